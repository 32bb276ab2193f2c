import type { JsonValue, PublicError, RunTarget, Usage } from './run-event.ts';

// The run's own shape, beside its events: the store keeps it, the HTTP API answers with it and the client
// reads it, so it lives here, where `client/` may import it.

/** `awaiting_input`: paused until a person answers (human in the loop); not ended, like `queued` and `running`. */
export type RunStatus = 'queued' | 'running' | 'awaiting_input' | 'completed' | 'failed' | 'cancelled';

/** True while a run has not ended: queued, running or paused for input. */
export function isUnfinishedStatus(status: RunStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'awaiting_input';
}

/** A run as stored and as `GET /v1/runs` and `GET /v1/runs/{id}` answer it. Times are ISO-8601; `lastSeq` is the seq of the newest stored event. */
export type RunRecord = {
  id: string;
  target: RunTarget;
  sessionId: string;
  model: string;
  input: string;
  status: RunStatus;
  output: string | null;
  usage: Usage | null;
  error: PublicError | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  lastSeq: number;
  metadata: JsonValue;
  /** Executions so far: 0 while queued, 1 for the first, one more each time the run is resumed elsewhere. */
  attempt: number;
  /** The run's place in its session: 1 for the session's first run, one more per run (the session stream's order). */
  sessionSeq?: number;
  /** True while the run waits (queued) for the session's earlier run to end (double-texting `enqueue`). */
  sessionWaiting?: boolean;
};

/**
 * `GET /v1/runs` filters; `since`/`until` are ISO-8601 instants, `cursor` comes from the previous page. `scheduleId`:
 * runs a schedule started (their `metadata.scheduleId`).
 */
export type RunFilter = { agent?: string; team?: string; status?: RunStatus; sessionId?: string; since?: string; until?: string; cursor?: string; limit?: number; scheduleId?: string };

/** One page of `GET /v1/runs`; `nextCursor` is null on the last page. */
export type RunPage = { runs: RunRecord[]; nextCursor: string | null };

/** A session as `GET /v1/sessions` lists it: no messages, its title (from its first message) and its newest run. */
export type SessionSummary = {
  id: string; title: string | null; createdAt: string; updatedAt: string; runCount: number;
  activeRunId: string | null; lastRun: { id: string; status: RunStatus; target: RunRecord['target'] } | null;
};

/** `GET /v1/sessions` filters: sessions with a run of `agent`/`team`, created in [since, until], title containing `q`. */
export type SessionFilter = { agent?: string; team?: string; since?: string; until?: string; q?: string; cursor?: string; limit?: number };

export type SessionPage = { sessions: SessionSummary[]; nextCursor: string | null };
