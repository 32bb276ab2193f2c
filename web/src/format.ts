/** Milliseconds as a short human duration: `840 ms`, `2.4 s`, `1 min 05 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  // Event times have millisecond precision, so 0 means "within the same millisecond": same unit as 1.0 ms.
  if (ms === 0) return '0 ms';
  if (ms < 10) return `${ms.toFixed(ms < 1 ? 2 : 1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

/** A whole number with thousands separators. */
export function formatCount(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString('en-US');
}

/** An ISO instant as local date and time to the second. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return `${date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })} ${date.toLocaleTimeString(undefined, { hour12: false })}`;
}

/** An ISO instant as local time with milliseconds, for event tables. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  return `${date.toLocaleTimeString(undefined, { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Milliseconds between two ISO instants, or undefined when one is missing. */
export function millisBetween(from: string | null | undefined, to: string | null | undefined): number | undefined {
  if (!from || !to) return undefined;
  return Date.parse(to) - Date.parse(from);
}

/** Text shortened to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A run's token count as the summary shows it. Usage arrives at the end of each model step, so while the
 * first step still streams the count is not known yet: "—", not a "0" beside a first-token time.
 */
export function formatRunTokens(view: { status: string; usage: { totalTokens: number } }): string {
  if ((view.status === 'running' || view.status === 'idle') && view.usage.totalTokens === 0) return '—';
  return formatCount(view.usage.totalTokens);
}
