import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { RunEvent } from '../../events/run-event.ts';
import { deserializeEvent, serializeEvent } from '../../events/serialize-event.ts';
import type { NewRun, RunEnd, RunFilter, RunPage, RunRecord, SessionMessage, SessionRecord, Store } from '../store.ts';
import { decodeCursor, encodeCursor, EVENT_SCHEMA_VERSION, rowToRun, type RunRow } from '../run-rows.ts';
import { SQLITE_SCHEMA } from './sqlite-schema.ts';

export type SqliteStoreOptions = { file: string };

/**
 * The embedded store: one SQLite file in WAL mode through `node:sqlite`. Calls are synchronous under
 * the hood; the async signatures are the port's, shared with PostgreSQL.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new DatabaseSync(options.file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  db.exec(SQLITE_SCHEMA);
  const statements = prepareStatements(db);

  return {
    kind: 'sqlite',
    async createRun(run: NewRun) {
      const now = new Date().toISOString();
      statements.insertRun.run(run.id, run.target.kind, run.target.id, run.sessionId, run.model, run.input, now, JSON.stringify(run.metadata ?? null));
      statements.touchSession.run(run.sessionId, now, now, now);
      return rowToRun(statements.getRun.get(run.id) as RunRow);
    },
    async markRunStarted(runId) {
      statements.startRun.run(new Date().toISOString(), runId);
    },
    async endRun(runId: string, end: RunEnd) {
      statements.endRun.run(end.status, end.output ?? null, json(end.usage), json(end.error), new Date().toISOString(), runId);
    },
    async getRun(runId) {
      const row = statements.getRun.get(runId) as RunRow | undefined;
      return row ? rowToRun(row) : undefined;
    },
    async listRuns(filter: RunFilter): Promise<RunPage> {
      return listRuns(db, filter);
    },
    async listUnfinishedRuns() {
      return (statements.unfinished.all() as RunRow[]).map(rowToRun);
    },
    async appendEvents(runId: string, events: readonly RunEvent[]) {
      if (events.length === 0) return;
      db.exec('BEGIN');
      try {
        const row = statements.lastSeq.get(runId) as { last_seq: number } | undefined;
        if (!row) throw new Error(`appendEvents: unknown run ${runId}`);
        let expected = row.last_seq + 1;
        for (const event of events) {
          if (event.seq !== expected) throw new Error(`appendEvents: seq ${event.seq} breaks the sequence of run ${runId} (expected ${expected})`);
          statements.insertEvent.run(runId, event.seq, event.type, event.ts, serializeEvent(event), EVENT_SCHEMA_VERSION);
          expected += 1;
        }
        statements.setLastSeq.run(expected - 1, runId);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async readEvents(runId, readOptions = {}) {
      const rows = statements.readEvents.all(runId, readOptions.afterSeq ?? 0, readOptions.limit ?? -1) as { body: string; schema_version: number }[];
      return rows.map((row) => {
        if (row.schema_version !== EVENT_SCHEMA_VERSION) throw new Error(`Unsupported event schema version ${row.schema_version}`);
        return deserializeEvent(row.body);
      });
    },
    async getSession(sessionId): Promise<SessionRecord | undefined> {
      const session = statements.getSession.get(sessionId) as { id: string; created_at: string; updated_at: string } | undefined;
      if (!session) return undefined;
      const messages = statements.sessionMessages.all(sessionId) as { role: SessionMessage['role']; content: string; run_id: string; ts: string }[];
      return {
        id: session.id,
        createdAt: session.created_at,
        updatedAt: session.updated_at,
        messages: messages.map((message) => ({ role: message.role, content: message.content, runId: message.run_id, ts: message.ts })),
      };
    },
    async appendSessionMessages(sessionId, messages) {
      const now = new Date().toISOString();
      db.exec('BEGIN');
      try {
        statements.touchSession.run(sessionId, now, now, now);
        for (const message of messages) statements.insertMessage.run(sessionId, message.role, message.content, message.runId, message.ts);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async deleteSession(sessionId) {
      const result = statements.deleteSession.run(sessionId);
      statements.deleteMessages.run(sessionId);
      return Number(result.changes) > 0;
    },
    async ping() {
      statements.ping.get();
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function prepareStatements(db: DatabaseSync): Record<string, StatementSync> {
  return {
    insertRun: db.prepare(`INSERT INTO runs (id, target_kind, target_id, session_id, model, input, status, created_at, metadata, last_seq, schema_version)
      VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, 0, 1)`),
    startRun: db.prepare(`UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`),
    endRun: db.prepare(`UPDATE runs SET status = ?, output = ?, usage = ?, error = ?, ended_at = ? WHERE id = ?`),
    getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
    unfinished: db.prepare(`SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at`),
    lastSeq: db.prepare('SELECT last_seq FROM runs WHERE id = ?'),
    setLastSeq: db.prepare('UPDATE runs SET last_seq = ? WHERE id = ?'),
    insertEvent: db.prepare('INSERT INTO events (run_id, seq, type, ts, body, schema_version) VALUES (?, ?, ?, ?, ?, ?)'),
    readEvents: db.prepare('SELECT body, schema_version FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    touchSession: db.prepare('INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET updated_at = ?'),
    getSession: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    sessionMessages: db.prepare('SELECT role, content, run_id, ts FROM session_messages WHERE session_id = ? ORDER BY id'),
    insertMessage: db.prepare('INSERT INTO session_messages (session_id, role, content, run_id, ts) VALUES (?, ?, ?, ?, ?)'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    deleteMessages: db.prepare('DELETE FROM session_messages WHERE session_id = ?'),
    ping: db.prepare('SELECT 1'),
  };
}

function listRuns(db: DatabaseSync, filter: RunFilter): RunPage {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.agent) { where.push(`target_kind = 'agent' AND target_id = ?`); params.push(filter.agent); }
  if (filter.team) { where.push(`target_kind = 'team' AND target_id = ?`); params.push(filter.team); }
  if (filter.status) { where.push('status = ?'); params.push(filter.status); }
  if (filter.sessionId) { where.push('session_id = ?'); params.push(filter.sessionId); }
  if (filter.since) { where.push('created_at >= ?'); params.push(filter.since); }
  if (filter.until) { where.push('created_at <= ?'); params.push(filter.until); }
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    params.push(cursor.createdAt, cursor.createdAt, cursor.id);
  }
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit + 1) as RunRow[];
  const page = rows.slice(0, limit).map(rowToRun);
  const last = page.at(-1);
  return { runs: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export type { RunRecord };
