import type { JsonValue, PublicError, RunEvent, Usage } from '../events/run-event.ts';
import type { RunFilter, RunPage, RunRecord, RunStatus, SessionFilter, SessionPage, SessionSummary } from '../events/run-record.ts';
import type { ScheduleRecord, WebhookAttempt, WebhookDelivery, WebhookOutcome } from './lifecycle-records.ts';

export type { RunFilter, RunPage, RunRecord, RunStatus, SessionFilter, SessionPage, SessionSummary };
export type { ScheduleRecord, WebhookAttempt, WebhookDelivery, WebhookOutcome };

/**
 * What an execution needs besides the run's record, stored at admission so any worker can execute (or resume)
 * the run: `historyCount` is how many of the session's messages the run sees (later runs append more).
 */
export type RunSpec = {
  /** The tenant the run belongs to (its session is looked up under it). */
  tenant?: string;
  history?: { role: 'user' | 'assistant'; content: string }[];
  historyCount?: number;
  /**
   * The run sees the session's turns as they are when it executes, but its own: from its start to its end the session
   * is the run's alone (double-texting), so every attempt sees the same turns, and an `enqueue` run sees the runs before it.
   */
  sessionHistory?: boolean;
  mcpServers?: string[];
  timeoutMs?: number;
  /** What a wire format's client sent besides the message: its own tools and their results, an output schema, images. */
  clientTools?: { name: string; description?: string; parameters?: Record<string, unknown> }[];
  clientToolResults?: { toolCallId: string; toolName: string; input: JsonValue; output: string }[];
  outputSchema?: Record<string, unknown>;
  images?: { url: string; mediaType?: string }[];
  /** Tool names whose calls wait for a person's approval in this run (the request's `requireApproval`). */
  requireApproval?: string[];
  /** This run's wait for input before it fails `input_timeout` (ms; 0: never). */
  inputTimeoutMs?: number;
  /** Where the run's final record is POSTed when it ends: the store queues the delivery in the end's own transaction. */
  webhook?: { url: string };
};

/** The store refused a write from an execution that is no longer the run's current attempt. */
export class StaleAttemptError extends Error {
  override name = 'StaleAttemptError';
  constructor(runId: string, attempt: number) {
    super(`Run ${runId}: attempt ${attempt} is no longer the run's current attempt.`);
  }
}

export type NewRun = Pick<RunRecord, 'id' | 'target' | 'sessionId' | 'model' | 'input' | 'metadata'> & {
  spec?: RunSpec;
  /** The run's first event (`run.started`, seq 1), stored with the run in one transaction: no run exists without it. */
  started?: RunEvent;
  /** The instance executing the run. The run's heartbeat starts at creation; its owner keeps it fresh (`runs/run-liveness.ts`). */
  ownerId?: string;
  /** The tenant the run (and its session) belongs to; `default` when omitted (the embedded, key-less setup). */
  tenant?: string;
  /**
   * How the run takes its session (double-texting, see `runs/session-policy.ts`). `exclusive`: it becomes the session's
   * active run, or, when another run of the session is still going, the create is refused with `SessionBusyError`.
   * `enqueue`: it becomes the active run when the session is free, or else it is stored `queued` and waiting
   * (`sessionWaiting`), and the end of the run before it makes it the active one. The check and the claim are one
   * atomic step in the store. Unset: the run takes no part (stores written before double-texting behaved so).
   */
  sessionClaim?: 'exclusive' | 'enqueue';
};

/** `createRun` with `sessionClaim: 'exclusive'` found the session busy: `activeRunId` is the run still going. */
export class SessionBusyError extends Error {
  override name = 'SessionBusyError';
  readonly sessionId: string;
  readonly activeRunId: string;
  constructor(sessionId: string, activeRunId: string) {
    super(`Session ${sessionId} has a run still going (${activeRunId}).`);
    this.sessionId = sessionId;
    this.activeRunId = activeRunId;
  }
}

/** The tenant of everything created without one: the embedded default and a single `AGENTSTREAM_API_KEY`. */
export const DEFAULT_TENANT = 'default';

export type RunEnd = {
  status: Exclude<RunStatus, 'queued' | 'running' | 'awaiting_input'>; output?: string | null; usage?: Usage | null; error?: PublicError | null;
  /** Turns appended to the run's session in the same transaction as the end, so a stale attempt cannot add them. */
  sessionMessages?: readonly SessionMessage[];
};

/**
 * `unlessBeatingWithinMs`: leave the run alone (undefined) while another owner's heartbeat is younger than this, so a
 * job delivered again while its worker is alive (Redis was briefly down) does not take a healthy run over.
 */
export type ClaimOptions = {
  unlessBeatingWithinMs?: number;
  /** Claim it even while it waits for its session's earlier run (`sessionWaiting`): only to cancel it. */
  evenIfWaiting?: boolean;
};

/**
 * An execution's hold on a run: the run as claimed (with its new `attempt`) and what executing it needs.
 * `handoffs` counts the attempts that handed the run back on shutdown (not lost); `handedBack` says the previous one did.
 */
export type ClaimedRun = { run: RunRecord; spec: RunSpec; handoffs: number; handedBack: boolean };

/** One turn of a conversation as a session keeps it. */
export type SessionMessage = { role: 'user' | 'assistant'; content: string; runId: string; ts: string };

export type SessionRecord = {
  id: string; createdAt: string; updatedAt: string; messages: SessionMessage[];
  /** The run that holds the session (still going, or about to start), if any. */
  activeRunId?: string | null;
};

/** The most of a first message a session's title keeps (`sessionTitle`). */
export const SESSION_TITLE_MAX = 80;

/** A session's title from its first user message: one line, at most `SESSION_TITLE_MAX` characters, cut at a word with `…`. */
export function sessionTitle(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= SESSION_TITLE_MAX) return line || null;
  const cut = line.slice(0, SESSION_TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SESSION_TITLE_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

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
  /**
   * Starts a new attempt of an unfinished run for `ownerId`: the attempt number goes up by one, the run becomes
   * `running` and its heartbeat fresh. Atomic: of two claims, each gets its own attempt and only the newest may write.
   * Undefined when the run has ended or does not exist.
   */
  claimRun(runId: string, ownerId: string, options?: ClaimOptions): Promise<ClaimedRun | undefined>;
  /** Hands a run back (shutdown): `queued` again with no owner, if `attempt` is still current. */
  releaseRun(runId: string, attempt: number): Promise<void>;
  endRun(runId: string, end: RunEnd): Promise<void>;
  /** The run, when it exists and, with `tenant`, belongs to that tenant (another tenant's run reads as missing). */
  getRun(runId: string, tenant?: string): Promise<RunRecord | undefined>;
  /** With `tenant`, only that tenant's runs; without, every tenant's (internal sweeps and the admin key). */
  listRuns(filter: RunFilter, tenant?: string): Promise<RunPage>;
  /** Runs still marked `running` or `queued`, e.g. left behind by a crash. */
  listUnfinishedRuns(): Promise<RunRecord[]>;
  /** Unfinished runs whose heartbeat is at least `staleAfterMs` old (by the store's clock), oldest first, at most `limit` (default 1 000). */
  listStaleRuns(staleAfterMs: number, limit?: number): Promise<RunRecord[]>;
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
   * terminal event while the run still says `running`, nor the end without the terminal event. With `attempt`, refuses
 * (`StaleAttemptError`) unless it is the run's current attempt: a worker presumed dead cannot write past its successor.
   */
  appendEvents(runId: string, events: readonly RunEvent[], end?: RunEnd, attempt?: number): Promise<void>;
  /**
   * Pauses the run's current attempt for a person's input: appends `events` (the last is `run.awaiting_input`) and
   * makes the run `awaiting_input` with no owner, expiring at `inputExpiresAt` (ISO, or null). The attempt counts as
   * handed back, not lost. Refuses (`StaleAttemptError`) unless `attempt` is current.
   */
  pauseRun(runId: string, events: readonly RunEvent[], attempt: number, inputExpiresAt: string | null): Promise<void>;
  /**
   * Appends `events` to a run paused for input, only while it is still paused with `expectedLastSeq` as its newest
   * seq: of concurrent writers exactly one wins, the others get false and write nothing. Then the run stays
   * `paused`, goes back to the queue (`queued`: a worker resumes it) or ends (`RunEnd`: `events` end with the terminal event).
   */
  appendToPausedRun(runId: string, events: readonly RunEvent[], expectedLastSeq: number, then: 'paused' | 'queued' | RunEnd): Promise<boolean>;
  /** Runs paused for input whose input expired at or before `now` (ISO), oldest first, at most `limit` (default 100). */
  listExpiredPausedRuns(now: string, limit?: number): Promise<RunRecord[]>;
  /** Events with `seq > afterSeq`, in order. */
  readEvents(runId: string, options?: { afterSeq?: number; limit?: number }): Promise<RunEvent[]>;
  /** Sessions are keyed by (tenant, id): two tenants may use the same session id and never share it. Default tenant `default`. */
  getSession(sessionId: string, tenant?: string): Promise<SessionRecord | undefined>;
  appendSessionMessages(sessionId: string, messages: readonly SessionMessage[], tenant?: string): Promise<void>;
  deleteSession(sessionId: string, tenant?: string): Promise<boolean>;
  /**
   * Webhooks (runs/webhooks/): deliveries due at `now` (ISO-8601) that nobody holds, each now held until `now + holdMs`.
   * Atomic: of several instances claiming at once, each delivery goes to one.
   */
  claimDueWebhooks(now: string, holdMs: number, limit?: number): Promise<WebhookDelivery[]>;
  /** Appends an attempt to the run's delivery and sets what comes next; releases the hold. */
  recordWebhookAttempt(runId: string, attempt: WebhookAttempt, outcome: WebhookOutcome): Promise<void>;
  getWebhookDelivery(runId: string): Promise<WebhookDelivery | undefined>;
  /** Schedules (runs/schedules/), keyed by id and scoped by tenant like runs: another tenant's schedule reads as missing. */
  createSchedule(schedule: ScheduleRecord): Promise<void>;
  getSchedule(id: string, tenant?: string): Promise<ScheduleRecord | undefined>;
  listSchedules(tenant?: string): Promise<ScheduleRecord[]>;
  /** Writes the schedule's mutable fields (input, cron, timezone, sessionId, enabled, nextRunAt, updatedAt); false when it is gone. */
  updateSchedule(schedule: ScheduleRecord): Promise<boolean>;
  deleteSchedule(id: string, tenant?: string): Promise<boolean>;
  /** Enabled schedules whose `nextRunAt` is at or before `now`, every tenant's. */
  listDueSchedules(now: string, limit?: number): Promise<ScheduleRecord[]>;
  /**
   * Claims a slot: moves `nextRunAt` from `slot` to `nextRunAt` and records `firedAt`, only if it still is `slot`
   * (compare-and-set). True for exactly one of several instances firing the same slot.
   */
  advanceSchedule(id: string, slot: string, nextRunAt: string, firedAt: string): Promise<boolean>;
  /** Sessions newest first (by creation), with filters and a cursor, like `listRuns`. With `tenant`, only that tenant's. */
  listSessions(filter: SessionFilter, tenant?: string): Promise<SessionPage>;
  /**
   * The session's runs in session order (`sessionSeq` 1, 2, 3…), from `fromSessionSeq` on, at most `limit` (default 100):
   * how a session stream pages through a conversation without reading it whole.
   */
  listSessionRuns(sessionId: string, tenant: string | undefined, options?: { fromSessionSeq?: number; limit?: number }): Promise<RunRecord[]>;
  /** Removes the turns run `runId` added to its session (rollback); resolves with how many. */
  deleteRunTurns(sessionId: string, runId: string, tenant?: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
