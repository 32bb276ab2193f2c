import type { JsonValue, PublicError, RunTarget, Usage } from '../events/run-event.ts';
import { AppError } from '../errors/app-error.ts';
import { sessionTitle, type RunRecord, type RunStatus, type SessionSummary } from './store.ts';

/** The version written with every event row; readers refuse versions they do not know. */
export const EVENT_SCHEMA_VERSION = 1;

/** A `runs` row as SQL drivers return it (snake_case columns). */
export type RunRow = {
  id: string; target_kind: string; target_id: string; session_id: string; model: string; input: string;
  status: string; output: string | null; usage: string | null; error: string | null; created_at: string;
  started_at: string | null; ended_at: string | null; last_seq: number | string; metadata: string | null; attempt?: number | string | null;
  spec?: string | null; session_seq?: number | string | null; session_waiting?: number | boolean | null;
};

export function rowToRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    target: { kind: row.target_kind as RunTarget['kind'], id: row.target_id },
    sessionId: row.session_id,
    model: row.model,
    input: row.input,
    status: row.status as RunStatus,
    output: row.output,
    usage: row.usage ? (JSON.parse(row.usage) as Usage) : null,
    error: row.error ? (JSON.parse(row.error) as PublicError) : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    lastSeq: Number(row.last_seq),
    metadata: row.metadata ? (JSON.parse(row.metadata) as JsonValue) : null,
    attempt: Number(row.attempt ?? 0),
    ...(row.session_seq === undefined || row.session_seq === null ? {} : { sessionSeq: Number(row.session_seq) }),
    ...(row.session_waiting ? { sessionWaiting: true } : {}),
  };
}

export type SessionSummaryRow = {
  id: string; created_at: string; updated_at: string; run_count: number | string; active_run_id: string | null; title: string | null;
  last_run_id: string | null; last_run_status: string | null; last_target_kind: string | null; last_target_id: string | null;
};

/** A `listSessions` row of either store as the API answers it. */
export function rowToSessionSummary(row: SessionSummaryRow): SessionSummary {
  return {
    id: row.id, title: sessionTitle(row.title), createdAt: row.created_at, updatedAt: row.updated_at, runCount: Number(row.run_count), activeRunId: row.active_run_id,
    lastRun: row.last_run_id ? { id: row.last_run_id, status: row.last_run_status as RunRecord['status'], target: { kind: row.last_target_kind as 'agent' | 'team', id: row.last_target_id! } } : null,
  };
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(run: Pick<RunRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(`${run.createdAt}|${run.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = text.indexOf('|');
  const createdAt = text.slice(0, separator);
  if (separator < 1 || !isCanonicalTimestamp(createdAt)) throw new AppError('validation_failed', { message: 'cursor is not valid', details: { field: 'cursor' } });
  return { createdAt, id: text.slice(separator + 1) };
}

// Cursors carry `toISOString()` output; anything else is forged and must be a 422, not a database error.
function isCanonicalTimestamp(text: string): boolean {
  const time = Date.parse(text);
  return !Number.isNaN(time) && new Date(time).toISOString() === text;
}
