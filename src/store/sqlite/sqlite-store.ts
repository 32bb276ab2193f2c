import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { RunEvent } from '../../events/run-event.ts';
import { deserializeEvent, serializeEvent } from '../../events/serialize-event.ts';
import { DEFAULT_TENANT, SessionBusyError, sessionTitle, StaleAttemptError, type NewRun, type SessionFilter, type SessionPage, type RunEnd, type RunFilter, type RunPage, type RunRecord, type RunSpec, type SessionMessage, type SessionRecord, type Store } from '../store.ts';
import { decodeCursor, encodeCursor, EVENT_SCHEMA_VERSION, rowToRun, rowToSessionSummary, type RunRow, type SessionSummaryRow } from '../run-rows.ts';
import { migrateSqlite } from './sqlite-schema.ts';
import { createTickTransaction } from './tick-transaction.ts';
import { createSqliteLifecycle } from './sqlite-lifecycle.ts';

export type SqliteStoreOptions = { file: string };

/**
 * The embedded store: one SQLite file in WAL mode through `node:sqlite`. Calls are synchronous under
 * the hood; the async signatures are the port's, shared with PostgreSQL.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new DatabaseSync(options.file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  migrateSqlite(db);
  const statements = prepareStatements(db);
  // Every write joins the current event-loop turn's transaction (group commit; see tick-transaction.ts).
  const tick = createTickTransaction(db);
  const lifecycle = createSqliteLifecycle(db, tick);
  // Runs this store is writing: their key and newest seq, so an append neither reads nor updates the runs row
  // (the row's `last_seq` is written once, when the run ends). Runs it did not create are read from the file.
  const live = new Map<string, LiveRun>();
  const lastBatchSeq = (runKey: number) => (statements.lastBatchSeq.get(runKey) as { last_seq: number } | undefined)?.last_seq ?? 0;
  const endRun = (runId: string, end: RunEnd) => {
    const now = new Date().toISOString();
    statements.endRun.run(end.status, end.output ?? null, json(end.usage), json(end.error), now, live.get(runId)?.lastSeq ?? null, runId);
    if (end.sessionMessages && end.sessionMessages.length > 0) {
      const { session_id: sessionId, tenant_id: tenant } = statements.runSession.get(runId) as { session_id: string; tenant_id: string };
      statements.touchSession.run(tenant, sessionId, now, now, now);
      for (const message of end.sessionMessages) statements.insertMessage.run(tenant, sessionId, message.role, message.content, message.runId, message.ts);
    }
    // The run's webhook (when its spec names one) is queued in the same transaction as its end.
    lifecycle.queueWebhook(runId, now);
    freeSession(runId);
    live.delete(runId);
  };
  // The session's next waiting run (double-texting `enqueue`) takes the session over from the run that ended, in the end's transaction.
  const freeSession = (runId: string) => {
    const { session_id: sessionId, tenant_id: tenant } = statements.runSession.get(runId) as { session_id: string; tenant_id: string };
    const state = statements.sessionState.get(tenant, sessionId) as { active_run_id: string | null } | undefined;
    if (state?.active_run_id !== runId) return;
    const next = statements.nextWaiting.get(tenant, sessionId) as { id: string } | undefined;
    statements.setActive.run(next?.id ?? null, tenant, sessionId);
    if (next) statements.stopWaiting.run(next.id);
  };
  // Only this process writes the file (the data directory's lock), so the attempt it claimed last is the current one.
  const checkAttempt = (runId: string, attempt: number | undefined) => {
    if (attempt === undefined) return;
    const current = live.get(runId)?.attempt ?? (statements.runAttempt.get(runId) as { attempt: number } | undefined)?.attempt;
    if (current !== attempt) throw new StaleAttemptError(runId, attempt);
  };
  // One batch row for `events`, which must continue the run's stored seqs (`afterSeq`) with no gap; returns the last seq.
  const insertBatch = (runId: string, runKey: number, afterSeq: number, events: readonly RunEvent[]) => {
    const firstSeq = afterSeq + 1;
    let body = '';
    events.forEach((event, index) => {
      if (event.seq !== firstSeq + index) throw new Error(`appendEvents: seq ${event.seq} breaks the sequence of run ${runId} (expected ${firstSeq + index})`);
      body += index === 0 ? serializeEvent(event) : `\n${serializeEvent(event)}`;
    });
    const lastSeq = firstSeq + events.length - 1;
    statements.insertBatch.run(runKey, firstSeq, lastSeq, body, EVENT_SCHEMA_VERSION);
    return lastSeq;
  };
  // A row of a run still going reports its newest stored seq, which only the events table (or `live`) knows.
  const toRun = (row: RunRow & { run_key: number }) => {
    if (row.status === 'queued' || row.status === 'running') row.last_seq = live.get(row.id)?.lastSeq ?? lastBatchSeq(row.run_key);
    return rowToRun(row);
  };

  return {
    ...lifecycle.methods,
    kind: 'sqlite',
    shared: false,
    createRun(run: NewRun) {
      return tick.write(() => {
        const now = new Date().toISOString();
        const tenant = run.tenant ?? DEFAULT_TENANT;
        // Check and claim in one synchronous step: nothing else writes the file in between (see tick-transaction.ts).
        const state = statements.sessionState.get(tenant, run.sessionId) as { active_run_id: string | null; active_status: string | null; run_count: number } | undefined;
        const busyWith = state?.active_run_id && state.active_status !== null && !ENDED.has(state.active_status) ? state.active_run_id : null;
        if (run.sessionClaim === 'exclusive' && busyWith) throw new SessionBusyError(run.sessionId, busyWith);
        const waiting = run.sessionClaim === 'enqueue' && busyWith !== null;
        const takes = run.sessionClaim !== undefined && !waiting;
        // A session deleted and used again goes on counting after its old runs.
        const maxSeq = (statements.maxSessionSeq.get(tenant, run.sessionId) as { seq: number | null }).seq ?? 0;
        const sessionSeq = Math.max(state?.run_count ?? 0, maxSeq) + 1;
        // RETURNING: the new row (its run_key and defaults) without reading it back.
        const row = statements.insertRun.get(run.id, run.target.kind, run.target.id, run.sessionId, run.model, run.input, now, JSON.stringify(run.metadata ?? null), run.ownerId ?? null, now, json(run.spec), tenant, sessionSeq, waiting ? 1 : 0) as KeyedRunRow;
        statements.claimSession.run(tenant, run.sessionId, now, now, takes ? run.id : null, sessionSeq, sessionTitle(run.input), now, sessionSeq, takes ? 1 : 0, run.id);
        if (run.started) statements.insertBatch.run(row.run_key, 1, 1, serializeEvent(run.started), EVENT_SCHEMA_VERSION);
        live.set(run.id, { key: row.run_key, lastSeq: run.started ? 1 : 0, attempt: 0 });
        return rowToRun({ ...row, last_seq: run.started ? 1 : 0 });
      }).catch((error: unknown) => {
        // The turn's transaction was lost (its COMMIT failed): the run does not exist, so neither does its entry.
        live.delete(run.id);
        throw error;
      });
    },
    markRunStarted(runId) {
      return tick.write(() => {
        statements.startRun.run(new Date().toISOString(), runId);
      });
    },
    async claimRun(runId, ownerId, claimOptions = {}) {
      return tick.write(() => {
        const now = new Date().toISOString();
        const beatingSince = claimOptions.unlessBeatingWithinMs === undefined ? null : new Date(Date.now() - claimOptions.unlessBeatingWithinMs).toISOString();
        const row = statements.claimRun.get(ownerId, now, now, runId, claimOptions.evenIfWaiting ? 1 : 0, beatingSince, ownerId, beatingSince) as (KeyedRunRow & { spec: string | null; handoffs: number; last_handoff_attempt: number | null }) | undefined;
        if (!row) return undefined;
        const known = live.get(runId);
        live.set(runId, { key: row.run_key, lastSeq: known?.lastSeq ?? lastBatchSeq(row.run_key), attempt: row.attempt as number });
        return { run: toRun(row), spec: (row.spec ? JSON.parse(row.spec) : {}) as RunSpec, handoffs: row.handoffs, handedBack: row.last_handoff_attempt === (row.attempt as number) - 1 };
      });
    },
    releaseRun(runId, attempt) {
      return tick.write(() => {
        statements.releaseRun.run(runId, attempt);
      });
    },
    endRun(runId: string, end: RunEnd) {
      return tick.write(() => endRun(runId, end));
    },
    async getRun(runId, tenant) {
      const row = (tenant === undefined ? statements.getRun.get(runId) : statements.getTenantRun.get(runId, tenant)) as KeyedRunRow | undefined;
      return row ? toRun(row) : undefined;
    },
    async listRuns(filter: RunFilter, tenant?: string): Promise<RunPage> {
      return listRuns(db, filter, tenant, toRun);
    },
    async listUnfinishedRuns() {
      return (statements.unfinished.all() as KeyedRunRow[]).map(toRun);
    },
    async listStaleRuns(staleAfterMs, limit = 1000) {
      const staleBefore = new Date(Date.now() - staleAfterMs).toISOString();
      return (statements.stale.all(staleBefore, limit) as KeyedRunRow[]).map(toRun);
    },
    heartbeatRuns(ownerId) {
      return tick.write(() => {
        statements.heartbeat.run(new Date().toISOString(), ownerId);
      });
    },
    async claimStaleRuns(ownerId, staleAfterMs) {
      const staleBefore = new Date(Date.now() - staleAfterMs).toISOString();
      const runs = await tick.write(() => (statements.claimStale.all(ownerId, new Date().toISOString(), ownerId, staleBefore) as KeyedRunRow[]).map(toRun));
      return runs.sort((left, right) => left.createdAt.localeCompare(right.createdAt));
    },
    async appendEvents(runId: string, events: readonly RunEvent[], end?: RunEnd, attempt?: number) {
      if (events.length === 0) {
        if (end) {
          await tick.write(() => {
            checkAttempt(runId, attempt);
            endRun(runId, end);
          });
        }
        return;
      }
      try {
        await tick.write(() => {
          checkAttempt(runId, attempt);
          let run = live.get(runId);
          const isLive = run !== undefined;
          if (!run) {
            const row = statements.runKey.get(runId) as { run_key: number } | undefined;
            if (!row) throw new Error(`appendEvents: unknown run ${runId}`);
            run = { key: row.run_key, lastSeq: lastBatchSeq(row.run_key), attempt: -1 };
          }
          const lastSeq = insertBatch(runId, run.key, run.lastSeq, events);
          if (isLive) run.lastSeq = lastSeq;
          else statements.setLastSeq.run(lastSeq, runId);
          if (end) endRun(runId, end);
        });
      } catch (error) {
        if (error instanceof StaleAttemptError) throw error;
        // The turn's transaction may have been lost after this batch's row went in: read the file from now on.
        live.delete(runId);
        throw error;
      }
    },
    async pauseRun(runId, events, attempt, inputExpiresAt) {
      await tick.write(() => {
        checkAttempt(runId, attempt);
        const row = statements.runKey.get(runId) as { run_key: number } | undefined;
        if (!row) throw new Error(`pauseRun: unknown run ${runId}`);
        const lastSeq = events.length > 0 ? insertBatch(runId, row.run_key, live.get(runId)?.lastSeq ?? lastBatchSeq(row.run_key), events) : (live.get(runId)?.lastSeq ?? lastBatchSeq(row.run_key));
        statements.pauseRun.run(lastSeq, inputExpiresAt, runId, attempt);
        // Nobody writes a paused run: its row's last_seq is the truth until an attempt claims it again.
        live.delete(runId);
      });
    },
    appendToPausedRun(runId, events, expectedLastSeq, then) {
      // Synchronous inside the tick's transaction: the check and the write cannot interleave with another writer's.
      return tick.write(() => {
        const row = statements.pausedRun.get(runId) as { run_key: number; status: string; last_seq: number } | undefined;
        if (!row || row.status !== 'awaiting_input' || Number(row.last_seq) !== expectedLastSeq) return false;
        const lastSeq = events.length > 0 ? insertBatch(runId, row.run_key, expectedLastSeq, events) : expectedLastSeq;
        if (then === 'paused') statements.setLastSeq.run(lastSeq, runId);
        // Heart-beated now: the queue's reconciler must not take a run just queued again for a lost one.
        else if (then === 'queued') statements.requeuePaused.run(lastSeq, new Date().toISOString(), runId);
        else endRun(runId, then);
        return true;
      });
    },
    async listExpiredPausedRuns(now, limit = 100) {
      return (statements.expiredPaused.all(now, limit) as KeyedRunRow[]).map(toRun);
    },
    async readEvents(runId, readOptions = {}) {
      const afterSeq = readOptions.afterSeq ?? 0;
      const limit = readOptions.limit ?? Infinity;
      const events: RunEvent[] = [];
      for (const row of statements.readBatches.iterate(runId, afterSeq) as Iterable<BatchRow>) {
        if (row.schema_version !== EVENT_SCHEMA_VERSION) throw new Error(`Unsupported event schema version ${row.schema_version}`);
        let seq = row.first_seq;
        let start = 0;
        while (start <= row.body.length && events.length < limit) {
          const end = row.body.indexOf('\n', start);
          const stop = end < 0 ? row.body.length : end;
          if (seq > afterSeq) events.push(deserializeEvent(row.body.slice(start, stop)));
          seq += 1;
          start = stop + 1;
        }
        if (events.length >= limit) break;
      }
      return events;
    },
    async getSession(sessionId, tenant = DEFAULT_TENANT): Promise<SessionRecord | undefined> {
      const session = statements.getSession.get(tenant, sessionId) as { id: string; created_at: string; updated_at: string; active_run_id: string | null } | undefined;
      if (!session) return undefined;
      const messages = statements.sessionMessages.all(tenant, sessionId) as { role: SessionMessage['role']; content: string; run_id: string; ts: string }[];
      return {
        id: session.id,
        createdAt: session.created_at,
        updatedAt: session.updated_at,
        messages: messages.map((message) => ({ role: message.role, content: message.content, runId: message.run_id, ts: message.ts })),
        activeRunId: session.active_run_id ?? null,
      };
    },
    async listSessions(filter, tenant) {
      return listSessions(db, filter, tenant);
    },
    async listSessionRuns(sessionId, tenant, pageOptions = {}) {
      const rows = statements.sessionRuns.all(tenant ?? DEFAULT_TENANT, sessionId, pageOptions.fromSessionSeq ?? 0, pageOptions.limit ?? 100) as KeyedRunRow[];
      return rows.map(toRun);
    },
    deleteRunTurns(sessionId, runId, tenant = DEFAULT_TENANT) {
      return tick.write(() => Number(statements.deleteRunTurns.run(tenant, sessionId, runId).changes));
    },
    appendSessionMessages(sessionId, messages, tenant = DEFAULT_TENANT) {
      return tick.write(() => {
        const now = new Date().toISOString();
        statements.touchSession.run(tenant, sessionId, now, now, now);
        for (const message of messages) statements.insertMessage.run(tenant, sessionId, message.role, message.content, message.runId, message.ts);
      });
    },
    deleteSession(sessionId, tenant = DEFAULT_TENANT) {
      return tick.write(() => {
        const result = statements.deleteSession.run(tenant, sessionId);
        statements.deleteMessages.run(tenant, sessionId);
        return Number(result.changes) > 0;
      });
    },
    async ping() {
      statements.ping.get();
    },
    async close() {
      if (!db.isOpen) return;
      tick.commitNow();
      db.close();
    },
  };
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);

type BatchRow = { first_seq: number; body: string; schema_version: number };
type KeyedRunRow = RunRow & { run_key: number };
type LiveRun = { key: number; lastSeq: number; attempt: number };

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function prepareStatements(db: DatabaseSync): Record<string, StatementSync> {
  return {
    insertRun: db.prepare(`INSERT INTO runs (id, target_kind, target_id, session_id, model, input, status, created_at, metadata, owner_id, heartbeat_at, spec, last_seq, schema_version, run_key, tenant_id, session_seq, session_waiting)
      VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, 0, 1, (SELECT COALESCE(MAX(run_key), 0) + 1 FROM runs), ?, ?, ?) RETURNING *`),
    sessionState: db.prepare(`SELECT sessions.active_run_id, sessions.run_count, active.status AS active_status FROM sessions
      LEFT JOIN runs AS active ON active.id = sessions.active_run_id WHERE sessions.tenant_id = ? AND sessions.id = ?`),
    maxSessionSeq: db.prepare('SELECT MAX(session_seq) AS seq FROM runs WHERE tenant_id = ? AND session_id = ?'),
    claimSession: db.prepare(`INSERT INTO sessions (tenant_id, id, created_at, updated_at, active_run_id, run_count, title) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id, id) DO UPDATE SET updated_at = ?, run_count = ?, active_run_id = CASE WHEN ? THEN ? ELSE active_run_id END, title = COALESCE(title, excluded.title)`),
    nextWaiting: db.prepare(`SELECT id FROM runs WHERE tenant_id = ? AND session_id = ? AND session_waiting = 1 AND status = 'queued' ORDER BY session_seq LIMIT 1`),
    setActive: db.prepare('UPDATE sessions SET active_run_id = ? WHERE tenant_id = ? AND id = ?'),
    stopWaiting: db.prepare('UPDATE runs SET session_waiting = 0 WHERE id = ?'),
    sessionRuns: db.prepare('SELECT * FROM runs WHERE tenant_id = ? AND session_id = ? AND session_seq >= ? ORDER BY session_seq LIMIT ?'),
    deleteRunTurns: db.prepare('DELETE FROM session_messages WHERE tenant_id = ? AND session_id = ? AND run_id = ?'),
    claimRun: db.prepare(`UPDATE runs SET attempt = attempt + 1, status = 'running', owner_id = ?, heartbeat_at = ?, started_at = COALESCE(started_at, ?)
      WHERE id = ? AND status IN ('queued', 'running') AND (session_waiting = 0 OR ?)
        AND NOT (? IS NOT NULL AND status = 'running' AND owner_id IS NOT NULL AND owner_id IS NOT ? AND heartbeat_at > ?) RETURNING *`),
    releaseRun: db.prepare(`UPDATE runs SET status = 'queued', owner_id = NULL, handoffs = handoffs + 1, last_handoff_attempt = attempt
      WHERE id = ? AND attempt = ? AND status IN ('queued', 'running')`),
    runAttempt: db.prepare('SELECT attempt FROM runs WHERE id = ?'),
    // A pause is a hand-back: the attempt was not lost, and its open agents were paused at a boundary, not cut.
    pauseRun: db.prepare(`UPDATE runs SET status = 'awaiting_input', owner_id = NULL, handoffs = handoffs + 1, last_handoff_attempt = attempt, last_seq = ?, input_expires_at = ?
      WHERE id = ? AND attempt = ? AND status IN ('queued', 'running')`),
    pausedRun: db.prepare('SELECT run_key, status, last_seq FROM runs WHERE id = ?'),
    requeuePaused: db.prepare(`UPDATE runs SET status = 'queued', last_seq = ?, input_expires_at = NULL, heartbeat_at = ? WHERE id = ?`),
    expiredPaused: db.prepare(`SELECT * FROM runs WHERE status = 'awaiting_input' AND input_expires_at IS NOT NULL AND input_expires_at <= ? ORDER BY input_expires_at LIMIT ?`),
    runSession: db.prepare('SELECT session_id, tenant_id FROM runs WHERE id = ?'),
    startRun: db.prepare(`UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`),
    // A run this store was not writing (one of an earlier process) takes its last seq from its newest batch.
    endRun: db.prepare(`UPDATE runs SET status = ?, output = ?, usage = ?, error = ?, ended_at = ?,
      last_seq = COALESCE(?, (SELECT batch.last_seq FROM run_events AS batch WHERE batch.run_key = runs.run_key ORDER BY batch.first_seq DESC LIMIT 1), last_seq)
      WHERE id = ?`),
    getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
    getTenantRun: db.prepare('SELECT * FROM runs WHERE id = ? AND tenant_id = ?'),
    unfinished: db.prepare(`SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at`),
    // A run waiting for its session's earlier run is not stale: nobody is meant to execute it yet.
    stale: db.prepare(`SELECT * FROM runs WHERE status IN ('queued', 'running') AND session_waiting = 0 AND (heartbeat_at IS NULL OR heartbeat_at <= ?) ORDER BY created_at LIMIT ?`),
    heartbeat: db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE owner_id = ? AND status IN ('queued', 'running')`),
    // ISO-8601 UTC strings of one length compare in time order. One UPDATE, so a run is claimed once.
    claimStale: db.prepare(`UPDATE runs SET owner_id = ?, heartbeat_at = ?
      WHERE status IN ('queued', 'running') AND session_waiting = 0 AND owner_id IS NOT ? AND (heartbeat_at IS NULL OR heartbeat_at <= ?) RETURNING *`),
    runKey: db.prepare('SELECT run_key FROM runs WHERE id = ?'),
    lastBatchSeq: db.prepare('SELECT last_seq FROM run_events WHERE run_key = ? ORDER BY first_seq DESC LIMIT 1'),
    setLastSeq: db.prepare('UPDATE runs SET last_seq = ? WHERE id = ?'),
    insertBatch: db.prepare('INSERT INTO run_events (run_key, first_seq, last_seq, body, schema_version) VALUES (?, ?, ?, ?, ?)'),
    readBatches: db.prepare(`SELECT batch.first_seq, batch.body, batch.schema_version FROM run_events AS batch JOIN runs ON runs.run_key = batch.run_key
      WHERE runs.id = ? AND batch.last_seq > ? ORDER BY batch.first_seq`),
    touchSession: db.prepare('INSERT INTO sessions (tenant_id, id, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET updated_at = ?'),
    getSession: db.prepare('SELECT * FROM sessions WHERE tenant_id = ? AND id = ?'),
    sessionMessages: db.prepare('SELECT role, content, run_id, ts FROM session_messages WHERE tenant_id = ? AND session_id = ? ORDER BY id'),
    insertMessage: db.prepare('INSERT INTO session_messages (tenant_id, session_id, role, content, run_id, ts) VALUES (?, ?, ?, ?, ?, ?)'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE tenant_id = ? AND id = ?'),
    deleteMessages: db.prepare('DELETE FROM session_messages WHERE tenant_id = ? AND session_id = ?'),
    ping: db.prepare('SELECT 1'),
  };
}

function listRuns(db: DatabaseSync, filter: RunFilter, tenant: string | undefined, toRun: (row: KeyedRunRow) => RunRecord): RunPage {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (tenant !== undefined) { where.push('tenant_id = ?'); params.push(tenant); }
  if (filter.agent) { where.push(`target_kind = 'agent' AND target_id = ?`); params.push(filter.agent); }
  if (filter.team) { where.push(`target_kind = 'team' AND target_id = ?`); params.push(filter.team); }
  if (filter.status) { where.push('status = ?'); params.push(filter.status); }
  if (filter.sessionId) { where.push('session_id = ?'); params.push(filter.sessionId); }
  if (filter.since) { where.push('created_at >= ?'); params.push(filter.since); }
  if (filter.until) { where.push('created_at <= ?'); params.push(filter.until); }
  if (filter.scheduleId) { where.push(`json_extract(metadata, '$.scheduleId') = ?`); params.push(filter.scheduleId); }
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    params.push(cursor.createdAt, cursor.createdAt, cursor.id);
  }
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit + 1) as KeyedRunRow[];
  const page = rows.slice(0, limit).map(toRun);
  const last = page.at(-1);
  return { runs: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

function listSessions(db: DatabaseSync, filter: SessionFilter, tenant: string | undefined): SessionPage {
  const where: string[] = [];
  const params: (string | number)[] = [];
  // A session made before titles were stored is named after its first user message.
  const title = `COALESCE(s.title, (SELECT m.content FROM session_messages AS m WHERE m.tenant_id = s.tenant_id AND m.session_id = s.id AND m.role = 'user' ORDER BY m.id LIMIT 1))`;
  const hasRunOf = (kind: string) => `EXISTS (SELECT 1 FROM runs AS r WHERE r.tenant_id = s.tenant_id AND r.session_id = s.id AND r.target_kind = '${kind}' AND r.target_id = ?)`;
  if (tenant !== undefined) { where.push('s.tenant_id = ?'); params.push(tenant); }
  if (filter.agent) { where.push(hasRunOf('agent')); params.push(filter.agent); }
  if (filter.team) { where.push(hasRunOf('team')); params.push(filter.team); }
  if (filter.since) { where.push('s.created_at >= ?'); params.push(filter.since); }
  if (filter.until) { where.push('s.created_at <= ?'); params.push(filter.until); }
  if (filter.q) { where.push(`instr(lower(${title}), lower(?)) > 0`); params.push(filter.q); }
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    where.push('(s.created_at < ? OR (s.created_at = ? AND s.id < ?))');
    params.push(cursor.createdAt, cursor.createdAt, cursor.id);
  }
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const sql = `SELECT s.id, s.created_at, s.updated_at, s.run_count, s.active_run_id, ${title} AS title,
      last.id AS last_run_id, last.status AS last_run_status, last.target_kind AS last_target_kind, last.target_id AS last_target_id
    FROM sessions AS s
    LEFT JOIN runs AS last ON last.run_key = (SELECT r.run_key FROM runs AS r WHERE r.tenant_id = s.tenant_id AND r.session_id = s.id ORDER BY r.session_seq DESC LIMIT 1)
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.created_at DESC, s.id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit + 1) as SessionSummaryRow[];
  const page = rows.slice(0, limit).map(rowToSessionSummary);
  const last = page.at(-1);
  return { sessions: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export type { RunRecord };
