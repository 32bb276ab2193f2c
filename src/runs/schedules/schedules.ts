import { randomUUID } from 'node:crypto';
import { assertTarget, type Catalog } from '../../agents/catalog.ts';
import { AppError } from '../../errors/app-error.ts';
import type { RunTarget } from '../../events/run-event.ts';
import type { ScheduleRecord, Store } from '../../store/store.ts';
import { assertCron, assertTimezone, nextSlot } from './cron-slots.ts';

export type NewSchedule = { target: RunTarget; input: string; cron: string; timezone: string; sessionId?: string | null; enabled?: boolean };
export type SchedulePatch = Partial<Pick<ScheduleRecord, 'input' | 'cron' | 'timezone' | 'sessionId' | 'enabled'>>;

/** The schedule API (create, read, update, delete), tenant-scoped like runs: validates cron, zone and target, and keeps `nextRunAt` right. */
export class Schedules {
  readonly #store: Store;
  readonly #catalog: Catalog;
  readonly #now: () => number;

  constructor(options: { store: Store; catalog: Catalog; now?: () => number }) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#now = options.now ?? Date.now;
  }

  async create(request: NewSchedule, tenant: string): Promise<ScheduleRecord> {
    assertTarget(this.#catalog, request.target);
    assertTimezone(request.timezone);
    assertCron(request.cron, request.timezone);
    const now = this.#now();
    const enabled = request.enabled ?? true;
    const schedule: ScheduleRecord = {
      id: `sch_${randomUUID()}`, tenant, target: request.target, input: request.input, cron: request.cron, timezone: request.timezone, sessionId: request.sessionId ?? null,
      enabled, nextRunAt: enabled ? nextSlot(request.cron, request.timezone, now) : null, lastRunAt: null, createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString(),
    };
    await this.#store.createSchedule(schedule);
    return schedule;
  }

  async get(id: string, tenant: string | undefined): Promise<ScheduleRecord> {
    const schedule = await this.#store.getSchedule(id, tenant);
    if (!schedule) throw new AppError('schedule_not_found', { message: `Schedule '${id}' not found.`, details: { scheduleId: id } });
    return schedule;
  }

  list(tenant: string | undefined): Promise<ScheduleRecord[]> {
    return this.#store.listSchedules(tenant);
  }

  /** Applies `patch`; a new cron, zone or re-enabling moves `nextRunAt` to the next slot from now (missed slots are not caught up). */
  async update(id: string, patch: SchedulePatch, tenant: string | undefined): Promise<ScheduleRecord> {
    const current = await this.get(id, tenant);
    const updated: ScheduleRecord = { ...current, ...stripUndefined(patch), updatedAt: new Date(this.#now()).toISOString() };
    assertTimezone(updated.timezone);
    assertCron(updated.cron, updated.timezone);
    const timing = updated.cron !== current.cron || updated.timezone !== current.timezone || updated.enabled !== current.enabled;
    if (!updated.enabled) updated.nextRunAt = null;
    else if (timing || updated.nextRunAt === null) updated.nextRunAt = nextSlot(updated.cron, updated.timezone, this.#now());
    if (!(await this.#store.updateSchedule(updated))) throw new AppError('schedule_not_found', { message: `Schedule '${id}' not found.`, details: { scheduleId: id } });
    return updated;
  }

  async delete(id: string, tenant: string | undefined): Promise<void> {
    const schedule = await this.get(id, tenant);
    if (!(await this.#store.deleteSchedule(id, schedule.tenant))) throw new AppError('schedule_not_found', { message: `Schedule '${id}' not found.`, details: { scheduleId: id } });
  }
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
