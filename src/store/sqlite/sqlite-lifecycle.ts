import type { DatabaseSync } from 'node:sqlite';
import { DEFAULT_TENANT, type Store } from '../store.ts';
import { rowToDelivery, rowToSchedule, type DeliveryRow, type ScheduleRow } from '../lifecycle-records.ts';
import type { TickTransaction } from './tick-transaction.ts';

/** Webhook deliveries and schedules. Timestamps are ISO-8601 UTC text of one length, so they compare in time order. */
export const SQLITE_LIFECYCLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  run_id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  status TEXT NOT NULL,
  next_attempt_at TEXT,
  claimed_until TEXT,
  created_at TEXT NOT NULL,
  attempt_log TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS schedules (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  input TEXT NOT NULL,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  session_id TEXT,
  enabled INTEGER NOT NULL,
  next_run_at TEXT,
  last_run_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS schedules_tenant ON schedules (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS schedules_due ON schedules (next_run_at) WHERE enabled = 1;
`;

type LifecycleMethods = Pick<Store, 'claimDueWebhooks' | 'recordWebhookAttempt' | 'getWebhookDelivery' | 'createSchedule' | 'getSchedule' | 'listSchedules'
  | 'updateSchedule' | 'deleteSchedule' | 'listDueSchedules' | 'advanceSchedule'>;

/**
 * The SQLite half of webhooks and schedules, on the store's connection and its turn transaction. `queueWebhook` runs
 * inside the write that ends a run: a run whose spec names a webhook never ends without its delivery queued.
 */
export function createSqliteLifecycle(db: DatabaseSync, tick: TickTransaction): { methods: LifecycleMethods; queueWebhook(runId: string, now: string): void } {
  const statements = {
    // One delivery per run (ON CONFLICT): an end written twice (a retried write) queues it once.
    queueWebhook: db.prepare(`INSERT INTO webhook_deliveries (run_id, message_id, url, event_type, status, next_attempt_at, created_at)
      SELECT id, 'msg_' || id, json_extract(spec, '$.webhook.url'), 'run.' || status, 'pending', ?, ?
      FROM runs WHERE id = ? AND json_extract(spec, '$.webhook.url') IS NOT NULL AND status IN ('completed', 'failed', 'cancelled')
      ON CONFLICT (run_id) DO NOTHING`),
    claimDue: db.prepare(`UPDATE webhook_deliveries SET claimed_until = ?
      WHERE run_id IN (SELECT run_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
        ORDER BY next_attempt_at LIMIT ?) RETURNING *`),
    recordAttempt: db.prepare(`UPDATE webhook_deliveries SET attempt_log = json_insert(attempt_log, '$[#]', json(?)), status = ?, next_attempt_at = ?, claimed_until = NULL
      WHERE run_id = ?`),
    getDelivery: db.prepare('SELECT * FROM webhook_deliveries WHERE run_id = ?'),
    insertSchedule: db.prepare(`INSERT INTO schedules (id, tenant_id, target_kind, target_id, input, cron, timezone, session_id, enabled, next_run_at, last_run_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    getSchedule: db.prepare('SELECT * FROM schedules WHERE id = ?'),
    getTenantSchedule: db.prepare('SELECT * FROM schedules WHERE id = ? AND tenant_id = ?'),
    listSchedules: db.prepare('SELECT * FROM schedules ORDER BY created_at, id'),
    listTenantSchedules: db.prepare('SELECT * FROM schedules WHERE tenant_id = ? ORDER BY created_at, id'),
    updateSchedule: db.prepare(`UPDATE schedules SET input = ?, cron = ?, timezone = ?, session_id = ?, enabled = ?, next_run_at = ?, updated_at = ? WHERE id = ? AND tenant_id = ?`),
    deleteSchedule: db.prepare('DELETE FROM schedules WHERE id = ? AND tenant_id = ?'),
    due: db.prepare('SELECT * FROM schedules WHERE enabled = 1 AND next_run_at <= ? ORDER BY next_run_at LIMIT ?'),
    advance: db.prepare('UPDATE schedules SET next_run_at = ?, last_run_at = ? WHERE id = ? AND enabled = 1 AND next_run_at = ?'),
  };
  const queueWebhook = (runId: string, now: string) => {
    statements.queueWebhook.run(now, now, runId);
  };
  const methods: LifecycleMethods = {
    claimDueWebhooks(now, holdMs, limit = 50) {
      const until = new Date(Date.parse(now) + holdMs).toISOString();
      return tick.write(() => (statements.claimDue.all(until, now, now, limit) as DeliveryRow[]).map(rowToDelivery));
    },
    recordWebhookAttempt(runId, attempt, outcome) {
      return tick.write(() => {
        statements.recordAttempt.run(JSON.stringify(attempt), outcome.status, outcome.status === 'pending' ? outcome.nextAttemptAt : null, runId);
      });
    },
    async getWebhookDelivery(runId) {
      const row = statements.getDelivery.get(runId) as DeliveryRow | undefined;
      return row ? rowToDelivery(row) : undefined;
    },
    createSchedule(schedule) {
      return tick.write(() => {
        statements.insertSchedule.run(schedule.id, schedule.tenant, schedule.target.kind, schedule.target.id, schedule.input, schedule.cron, schedule.timezone,
          schedule.sessionId, schedule.enabled ? 1 : 0, schedule.nextRunAt, schedule.lastRunAt, schedule.createdAt, schedule.updatedAt);
      });
    },
    async getSchedule(id, tenant) {
      const row = (tenant === undefined ? statements.getSchedule.get(id) : statements.getTenantSchedule.get(id, tenant)) as ScheduleRow | undefined;
      return row ? rowToSchedule(row) : undefined;
    },
    async listSchedules(tenant) {
      const rows = (tenant === undefined ? statements.listSchedules.all() : statements.listTenantSchedules.all(tenant)) as ScheduleRow[];
      return rows.map(rowToSchedule);
    },
    updateSchedule(schedule) {
      return tick.write(() => Number(statements.updateSchedule.run(schedule.input, schedule.cron, schedule.timezone, schedule.sessionId, schedule.enabled ? 1 : 0,
        schedule.nextRunAt, schedule.updatedAt, schedule.id, schedule.tenant ?? DEFAULT_TENANT).changes) > 0);
    },
    deleteSchedule(id, tenant = DEFAULT_TENANT) {
      return tick.write(() => Number(statements.deleteSchedule.run(id, tenant).changes) > 0);
    },
    async listDueSchedules(now, limit = 100) {
      return (statements.due.all(now, limit) as ScheduleRow[]).map(rowToSchedule);
    },
    advanceSchedule(id, slot, nextRunAt, firedAt) {
      return tick.write(() => Number(statements.advance.run(nextRunAt, firedAt, id, slot).changes) > 0);
    },
  };
  return { methods, queueWebhook };
}
