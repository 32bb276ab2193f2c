import { isTerminal, type Usage } from '../events/run-event.ts';
import type { Bus } from '../bus/bus.ts';
import { AppError } from '../errors/app-error.ts';
import type { Store } from '../store/store.ts';

/**
 * One admitted run's place under the cap. `release` is idempotent. `suspend` (a run paused for a person) gives the
 * place back but keeps the run watched: its `release` still comes at the end, with the usage to charge.
 */
export type Slot = { release(usage?: Usage): void; suspend?(): void };

/**
 * The cap on runs in flight that this instance admitted. `take` counts and refuses synchronously, so starts
 * in one tick cannot all pass a check made before an `await`. A slot is given back when its run's terminal
 * event is published (wherever the run executes), or, should that message be lost, when a periodic look at
 * the store finds the run ended.
 */
export class AdmissionSlots {
  readonly #max: number;
  readonly #bus: Bus;
  readonly #store: Store;
  readonly #held = new Map<string, { release: (usage?: Usage) => void; suspend: () => void; since: number }>();
  #taken = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #checkEveryMs: number;

  constructor(options: { max: number; bus: Bus; store: Store; checkEveryMs?: number }) {
    this.#max = options.max;
    this.#bus = options.bus;
    this.#store = options.store;
    this.#checkEveryMs = options.checkEveryMs ?? 5000;
  }

  get inFlight(): number {
    return this.#taken;
  }

  /** Takes a slot or throws `too_many_runs` (429) at once. */
  take(): Slot {
    if (this.#taken >= this.#max) {
      throw new AppError('too_many_runs', { message: `${this.#taken} runs are in progress, the limit is ${this.#max}.`, headers: { 'retry-after': '1' } });
    }
    this.#taken += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#taken -= 1;
      },
    };
  }

  /** Gives `slot` back once run `runId` has ended. */
  holdUntilEnded(runId: string, slot: Slot): void {
    // The run's usage goes back with the slot: per-key token budgets count what runs used.
    const unsubscribe = this.#bus.subscribe(runId, (event) => {
      if (isTerminal(event)) release(event.usage);
      // A run paused for a person gives its place back (waiting for hours must not hold the server's capacity);
      // it stays watched, so what it used is still charged to its key when it ends.
      else if (event.type === 'run.awaiting_input') suspend();
    });
    const suspend = () => slot.suspend?.();
    let released = false;
    const release = (usage?: Usage) => {
      if (released) return;
      released = true;
      unsubscribe();
      this.#held.delete(runId);
      slot.release(usage);
      if (this.#held.size === 0) this.#stopChecking();
    };
    this.#held.set(runId, { release, suspend, since: Date.now() });
    this.#timer ??= setInterval(() => void this.#check(), this.#checkEveryMs).unref();
  }

  /** Gives back every slot (the instance is closing). */
  releaseAll(): void {
    for (const held of [...this.#held.values()]) held.release();
  }

  async #check(): Promise<void> {
    const old = [...this.#held.entries()].filter(([, held]) => Date.now() - held.since >= this.#checkEveryMs);
    for (const [runId, held] of old) {
      const run = await this.#store.getRun(runId).catch(() => undefined);
      if (run?.status === 'awaiting_input') held.suspend();
      else if (run && run.status !== 'queued' && run.status !== 'running') held.release(run.usage ?? undefined);
    }
  }

  #stopChecking(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
