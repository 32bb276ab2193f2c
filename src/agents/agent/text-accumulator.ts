// How many deltas are held as separate strings before they are joined into one flat piece.
const PIECE_DELTAS = 64;

/**
 * The text of a stream of deltas, held compactly while the step runs. `text += delta` keeps every delta alive as
 * its own string under a rope node (~50 bytes per delta, whatever its length: 2,000 open paced runs held ~40 KB
 * of their text each that way); here every 64 deltas are joined into one flat string, so a run in progress holds
 * about a byte per character and one rope node per 64 deltas.
 */
export class TextAccumulator {
  #flat = '';
  #pending: string[] = [];

  append(delta: string): void {
    this.#pending.push(delta);
    if (this.#pending.length === PIECE_DELTAS) this.#joinPending();
  }

  get isEmpty(): boolean {
    return this.#flat === '' && this.#pending.length === 0;
  }

  /** The whole text so far. */
  text(): string {
    if (this.#pending.length > 0) this.#joinPending();
    return this.#flat;
  }

  #joinPending(): void {
    this.#flat += this.#pending.join('');
    this.#pending.length = 0;
  }
}
