const MONEY_METRICS = /revenue|sales|amount|price|cost|profit|spend|income|value|gmv|arr|mrr/i;

/**
 * A figure as a reader wants it: money metrics as `$1.2M` / `$950K` / `$420`, other numbers with
 * thousands separators and at most two decimals.
 */
export function formatFigure(value: number, metric: string): string {
  if (!MONEY_METRICS.test(metric)) return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const sign = value < 0 ? '-' : '';
  const size = Math.abs(value);
  if (size >= 1e9) return `${sign}$${trim(size / 1e9)}B`;
  if (size >= 1e6) return `${sign}$${trim(size / 1e6)}M`;
  if (size >= 1e3) return `${sign}$${trim(size / 1e3)}K`;
  return `${sign}$${trim(size)}`;
}

function trim(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toFixed(1)));
}
