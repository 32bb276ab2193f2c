import type { PublicError, RunEvent, Usage } from '../events/run-event.ts';
import type { RunFilter, RunPage, RunRecord, RunStatus } from '../events/run-record.ts';

export type { RunFilter, RunPage, RunRecord, RunStatus };

export type NewRun = Pick<RunRecord, 'id' | 'target' | 'sessionId' | 'model' | 'input' | 'metadata'> & {
  /** The instance executing the run. The run's heartbeat starts at creation; its owner keeps it fresh (`runs/run-liveness.ts`). */
  ownerId?: string;
  /** The tenant the run (and its session) belongs to; `default` when omitted (the embedded, key-less setup). */
  tenant?: string;
};

/** The tenant of everything created without one: the embedded default and a single `AGENTSTREAM_API_KEY`. */
export const DEFAULT_TENANT = 'default';

export type RunEnd = { status: Exclude<RunStatus, 'queued' | 'running'>; output?: string | null; usage?: Usage | null; error?: PublicError | null };

/** One turn of a conversation as a session keeps it. */
export type SessionMessage = { role: 'user' | 'assistant'; content: string; runId: string; ts: string };

export type SessionRecord = { id: string; createdAt: string; updatedAt: string; messages: SessionMessage[] };

/**
 * Where runs, their events and sessions live. Implementations: SQLite (embedded default), PostgreSQL.
 * Every implementation passes `store-contract.ts`.
 */
export interface Store {
  readonly kind: string;
  /** True when several server instances may use this store at once (PostgreSQL); false when only this process opens it (SQLite). */
  readonly shared: boolean;
  createRun(run: NewRun): Promise<RunRecord>;
  markRunStarted(runId: string): Promise<void>;
  endRun(runId: string, end: RunEnd): Promise<void>;
  /** The run, when it exists and, with `tenant`, belongs to that tenant (another tenant's run reads as missing). */
  getRun(runId: string, tenant?: string): Promise<RunRecord | undefined>;
  /** With `tenant`, only that tenant's runs; without, every tenant's (internal sweeps and the admin key). */
  listRuns(filter: RunFilter, tenant?: string): Promise<RunPage>;
  /** Runs still marked `running` or `queued`, e.g. left behind by a crash. */
  listUnfinishedRuns(): Promise<RunRecord[]>;
  /** Marks every unfinished run owned by `ownerId` alive now, by the store's clock. */
  heartbeatRuns(ownerId: string): Promise<void>;
  /**
   * Hands to `ownerId` every unfinished run of another owner whose heartbeat is at least `staleAfterMs` old (by the
   * store's clock, so instances' clocks need not agree), refreshing its heartbeat, and returns those runs oldest first.
   * Atomic: a stale run goes to exactly one caller, however many instances sweep at once.
   */
  claimStaleRuns(ownerId: string, staleAfterMs: number): Promise<RunRecord[]>;
  /**
   * Appends events in seq order. The batch's seqs continue the run's stored seqs with no gap. With `end`, records
   * the run's end in the same transaction (the batch then holds the terminal event): no reader ever sees the
   * terminal event while the run still says `running`, nor the end without the terminal event.
   */
  appendEvents(runId: string, events: readonly RunEvent[], end?: RunEnd): Promise<void>;
  /** Events with `seq > afterSeq`, in order. */
  readEvents(runId: string, options?: { afterSeq?: number; limit?: number }): Promise<RunEvent[]>;
  /** Sessions are keyed by (tenant, id): two tenants may use the same session id and never share it. Default tenant `default`. */
  getSession(sessionId: string, tenant?: string): Promise<SessionRecord | undefined>;
  appendSessionMessages(sessionId: string, messages: readonly SessionMessage[], tenant?: string): Promise<void>;
  deleteSession(sessionId: string, tenant?: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
