/** Summary of a sample in its own unit: count, p50, p90, p99, max, mean. */
export type Distribution = { count: number; p50: number; p90: number; p99: number; max: number; mean: number };

/** Nearest-rank quantiles of `values` (sorted in place). NaN everywhere for an empty sample. */
export function distributionOf(values: number[] | Float64Array): Distribution {
  const sorted = values instanceof Float64Array ? values.sort() : Float64Array.from(values).sort();
  const count = sorted.length;
  const at = (quantile: number) => (count === 0 ? Number.NaN : sorted[Math.min(count - 1, Math.ceil(quantile * count) - 1)]);
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: count === 0 ? Number.NaN : sorted[count - 1], mean: count === 0 ? Number.NaN : sum / count };
}

/** A growable list of numbers that does not box them. */
export class NumberLog {
  #values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.length++] = value;
  }

  toArray(): Float64Array {
    return this.#values.slice(0, this.length);
  }
}
