/** Counts failures by message, keeping the report short. */
export class ErrorTally {
  #counts = new Map<string, number>();
  total = 0;

  add(message: string | undefined): void {
    const key = message ?? 'unknown';
    this.total += 1;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** The most frequent messages with their counts, most frequent first. */
  top(limit = 5): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort((a, b) => b[1] - a[1]).slice(0, limit));
  }
}
