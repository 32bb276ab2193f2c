import type { RunTarget } from '../events/run-event.ts';

// What a run's end leaves to deliver (its webhook) and what starts runs on a clock (schedules), as both stores keep them.

/** One try at delivering a run's webhook: when, how long, and the receiver's status code or the network error. */
export type WebhookAttempt = { attempt: number; at: string; durationMs: number; statusCode: number | null; error: string | null };

/**
 * The webhook of one ended run (at most one per run). `messageId` is the Standard Webhooks `webhook-id`, the same on
 * every retry so a receiver can drop duplicates. `pending` until a 2xx (`delivered`) or the last retry (`failed`).
 */
export type WebhookDelivery = {
  runId: string; messageId: string; url: string; eventType: 'run.completed' | 'run.failed' | 'run.cancelled';
  status: 'pending' | 'delivered' | 'failed'; nextAttemptAt: string | null; createdAt: string; attempts: WebhookAttempt[];
};

/** After an attempt: try again at `nextAttemptAt`, or stop. */
export type WebhookOutcome = { status: 'pending'; nextAttemptAt: string } | { status: 'delivered' | 'failed' };

/**
 * A run started on a cron: `nextRunAt` is the next slot (ISO-8601 UTC), null while disabled; `lastRunAt` the last slot
 * fired. Slots are computed in `timezone` (IANA), so `0 9 * * *` stays 09:00 local across daylight-saving changes.
 */
export type ScheduleRecord = {
  id: string; tenant: string; target: RunTarget; input: string; cron: string; timezone: string; sessionId: string | null;
  enabled: boolean; nextRunAt: string | null; lastRunAt: string | null; createdAt: string; updatedAt: string;
};

/** A `webhook_deliveries` row, snake_case as the drivers return it. */
export type DeliveryRow = {
  run_id: string; message_id: string; url: string; event_type: string; status: string; next_attempt_at: string | null; created_at: string; attempt_log: string;
};

export function rowToDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    runId: row.run_id, messageId: row.message_id, url: row.url, eventType: row.event_type as WebhookDelivery['eventType'], status: row.status as WebhookDelivery['status'],
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null, createdAt: row.created_at, attempts: JSON.parse(row.attempt_log) as WebhookAttempt[],
  };
}

/** A `schedules` row. */
export type ScheduleRow = {
  id: string; tenant_id: string; target_kind: string; target_id: string; input: string; cron: string; timezone: string; session_id: string | null;
  enabled: boolean | number; next_run_at: string | null; last_run_at: string | null; created_at: string; updated_at: string;
};

export function rowToSchedule(row: ScheduleRow): ScheduleRecord {
  return {
    id: row.id, tenant: row.tenant_id, target: { kind: row.target_kind as RunTarget['kind'], id: row.target_id }, input: row.input, cron: row.cron, timezone: row.timezone,
    sessionId: row.session_id, enabled: Boolean(row.enabled), nextRunAt: row.next_run_at, lastRunAt: row.last_run_at, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
