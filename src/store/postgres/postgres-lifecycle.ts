import type pg from 'pg';
import type { Store } from '../store.ts';
import { rowToDelivery, rowToSchedule, type DeliveryRow, type ScheduleRow } from '../lifecycle-records.ts';

/** Webhook deliveries and schedules (see `lifecycle-records.ts`). */
export const POSTGRES_LIFECYCLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  run_id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  status TEXT NOT NULL,
  next_attempt_at TIMESTAMPTZ,
  claimed_until TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  attempt_log JSONB NOT NULL DEFAULT '[]'
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
  enabled BOOLEAN NOT NULL,
  next_run_at TIMESTAMPTZ,
  last_run_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS schedules_tenant ON schedules (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS schedules_due ON schedules (next_run_at) WHERE enabled;
`;

/**
 * A CTE for the statement that ends a run: queues the run's webhook when its spec names one, reading the `run` CTE
 * (which must return `id`, `status`, `spec`), so a refused end (stale attempt) queues nothing. One per run.
 */
export const WEBHOOK_INSERT_CTE = `, webhook AS (
      INSERT INTO webhook_deliveries (run_id, message_id, url, event_type, status, next_attempt_at, created_at)
      SELECT run.id, 'msg_' || run.id, run.spec->'webhook'->>'url', 'run.' || run.status, 'pending', now(), now()
      FROM run WHERE run.spec->'webhook'->>'url' IS NOT NULL AND run.status IN ('completed', 'failed', 'cancelled')
      ON CONFLICT (run_id) DO NOTHING
    )`;

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
type LifecycleMethods = Pick<Store, 'claimDueWebhooks' | 'recordWebhookAttempt' | 'getWebhookDelivery' | 'createSchedule' | 'getSchedule' | 'listSchedules'
  | 'updateSchedule' | 'deleteSchedule' | 'listDueSchedules' | 'advanceSchedule'>;

/** The PostgreSQL half of webhooks and schedules; several instances share it, so claims and slots are single statements. */
export function createPostgresLifecycle(query: Query): LifecycleMethods {
  return {
    async claimDueWebhooks(now, holdMs, limit = 50) {
      // SKIP LOCKED: an instance claiming at the same moment takes other rows instead of waiting for these.
      const { rows } = await query(`UPDATE webhook_deliveries SET claimed_until = $1::timestamptz + $2 * interval '1 millisecond'
        WHERE run_id IN (SELECT run_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
          ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING *`, [now, holdMs, limit]);
      return (rows as DeliveryRow[]).map(rowToDelivery);
    },
    async recordWebhookAttempt(runId, attempt, outcome) {
      await query(`UPDATE webhook_deliveries SET attempt_log = attempt_log || jsonb_build_array($2::jsonb), status = $3, next_attempt_at = $4, claimed_until = NULL
        WHERE run_id = $1`, [runId, JSON.stringify(attempt), outcome.status, outcome.status === 'pending' ? outcome.nextAttemptAt : null]);
    },
    async getWebhookDelivery(runId) {
      const { rows } = await query('SELECT * FROM webhook_deliveries WHERE run_id = $1', [runId]);
      return rows[0] ? rowToDelivery(rows[0] as DeliveryRow) : undefined;
    },
    async createSchedule(schedule) {
      await query(`INSERT INTO schedules (id, tenant_id, target_kind, target_id, input, cron, timezone, session_id, enabled, next_run_at, last_run_at, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [schedule.id, schedule.tenant, schedule.target.kind, schedule.target.id, schedule.input, schedule.cron, schedule.timezone, schedule.sessionId, schedule.enabled,
        schedule.nextRunAt, schedule.lastRunAt, schedule.createdAt, schedule.updatedAt]);
    },
    async getSchedule(id, tenant) {
      const { rows } = tenant === undefined
        ? await query('SELECT * FROM schedules WHERE id = $1', [id])
        : await query('SELECT * FROM schedules WHERE id = $1 AND tenant_id = $2', [id, tenant]);
      return rows[0] ? rowToSchedule(rows[0] as ScheduleRow) : undefined;
    },
    async listSchedules(tenant) {
      const { rows } = tenant === undefined
        ? await query('SELECT * FROM schedules ORDER BY created_at, id')
        : await query('SELECT * FROM schedules WHERE tenant_id = $1 ORDER BY created_at, id', [tenant]);
      return (rows as ScheduleRow[]).map(rowToSchedule);
    },
    async updateSchedule(schedule) {
      const result = await query(`UPDATE schedules SET input = $1, cron = $2, timezone = $3, session_id = $4, enabled = $5, next_run_at = $6, updated_at = $7
        WHERE id = $8 AND tenant_id = $9`, [schedule.input, schedule.cron, schedule.timezone, schedule.sessionId, schedule.enabled, schedule.nextRunAt, schedule.updatedAt, schedule.id, schedule.tenant]);
      return (result.rowCount ?? 0) > 0;
    },
    async deleteSchedule(id, tenant = 'default') {
      const result = await query('DELETE FROM schedules WHERE id = $1 AND tenant_id = $2', [id, tenant]);
      return (result.rowCount ?? 0) > 0;
    },
    async listDueSchedules(now, limit = 100) {
      const { rows } = await query('SELECT * FROM schedules WHERE enabled AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2', [now, limit]);
      return (rows as ScheduleRow[]).map(rowToSchedule);
    },
    async advanceSchedule(id, slot, nextRunAt, firedAt) {
      // The row lock makes a second instance's UPDATE wait, then re-check `next_run_at`, which no longer matches.
      const result = await query('UPDATE schedules SET next_run_at = $1, last_run_at = $2 WHERE id = $3 AND enabled AND next_run_at = $4', [nextRunAt, firedAt, id, slot]);
      return (result.rowCount ?? 0) === 1;
    },
  };
}
