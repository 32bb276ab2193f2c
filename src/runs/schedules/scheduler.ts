import type { Logger } from '../../logging/logger.ts';
import type { Store } from '../../store/store.ts';
import type { RunManager } from '../run-manager.ts';
import { latestSlot, nextSlot } from './cron-slots.ts';

export type SchedulerOptions = {
  store: Store;
  runs: Pick<RunManager, 'start'>;
  /** How often (ms) due schedules are looked for. */
  tickMs: number;
  log: Logger;
  /** The clock slots are judged by; tests pass a fake one and call `tick` themselves. */
  now?: () => number;
};

/**
 * Fires due schedules. Each slot fires once across every instance sharing the store: firing is a compare-and-set
 * of the schedule's `nextRunAt` from the slot to the next one (`Store.advanceSchedule`), and only the instance whose
 * update matched starts the run. One mechanism for the embedded and the scaled shape, with no Redis needed; the run
 * itself then goes through `RunManager.start` (limits, admission, the queue in the scaled shape) like any other.
 * Slots missed while no instance ran fire once, as the latest of them; the rest are skipped.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<string[]> | undefined;
  #closed = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    const loop = () => {
      this.#timer = setTimeout(() => void this.tick().finally(() => { if (!this.#closed) loop(); }), this.#options.tickMs);
      this.#timer.unref();
    };
    void this.tick().finally(() => { if (!this.#closed) loop(); });
  }

  /** One pass: fires what is due now; resolves with the ids of the runs it started. Concurrent calls share one pass. */
  tick(): Promise<string[]> {
    this.#ticking ??= this.#pass().finally(() => { this.#ticking = undefined; });
    return this.#ticking;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#ticking?.catch(() => {});
  }

  async #pass(): Promise<string[]> {
    const { store, runs, log } = this.#options;
    const started: string[] = [];
    try {
      const now = this.#now();
      for (const schedule of await store.listDueSchedules(new Date(now).toISOString())) {
        if (this.#closed || schedule.nextRunAt === null) continue;
        const slot = latestSlot(schedule.cron, schedule.timezone, now);
        // Claimed before the run starts: at most one run per slot, even if this instance dies right after.
        if (!(await store.advanceSchedule(schedule.id, schedule.nextRunAt, nextSlot(schedule.cron, schedule.timezone, now), slot))) continue;
        try {
          const run = await runs.start({
            target: schedule.target, input: schedule.input, tenant: schedule.tenant, ...(schedule.sessionId ? { sessionId: schedule.sessionId } : {}),
            metadata: { scheduleId: schedule.id, scheduledFor: slot },
          });
          started.push(run.id);
          log('info', 'schedule fired', { scheduleId: schedule.id, runId: run.id, slot });
        } catch (error) {
          // Refused (limits, shutting down, the agent left the config): this slot is skipped, the next one will try.
          log('warn', 'a schedule\'s run was refused; its slot is skipped', { scheduleId: schedule.id, slot, error: String(error) });
        }
      }
    } catch (error) {
      log('warn', 'scheduler pass failed; retried on the next tick', { error: String(error) });
    }
    return started;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}
