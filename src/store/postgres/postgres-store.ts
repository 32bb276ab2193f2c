import pg from 'pg';
import type { RunEvent } from '../../events/run-event.ts';
import { deserializeEvent, serializeEvent } from '../../events/serialize-event.ts';
import { DEFAULT_TENANT, SessionBusyError, sessionTitle, StaleAttemptError, type NewRun, type RunEnd, type RunFilter, type RunPage, type RunSpec, type Store } from '../store.ts';
import { decodeCursor, encodeCursor, EVENT_SCHEMA_VERSION, rowToRun, type RunRow } from '../run-rows.ts';
import { assertSchemaName, migratePostgres } from './postgres-schema.ts';
import { createPostgresLifecycle, WEBHOOK_INSERT_CTE } from './postgres-lifecycle.ts';
import { createPostgresSessions, sessionInsert, sessionValues } from './postgres-sessions.ts';
import { json, storableText, type Query } from './postgres-values.ts';

/** Where the PostgreSQL store connects and which schema holds its tables. */
export type PostgresStoreOptions = {
  /** `postgres://user:password@host:port/database` (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING). */
  connectionString: string;
  /** Schema for agentstream's tables, created when missing; by default the connection's `search_path` decides. */
  schema?: string;
  /** Connections in the pool. */
  maxConnections?: number;
};

const UNFINISHED = `status IN ('queued', 'running')`;

// Timestamps come back as the ISO-8601 strings the rest of the code (and the SQLite store) uses, and JSONB as
// its text, so `rowToRun` reads rows of both stores alike. Written timestamps come from JS (millisecond
// precision), so they round-trip exactly and cursors compare equal.
const parseTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === pg.types.builtins.TIMESTAMPTZ) return (text: string) => parseTimestamp(text).toISOString();
    if (oid === pg.types.builtins.JSONB) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/**
 * The shared store for several instances: PostgreSQL through a `pg.Pool`. Resolves once the schema is in place.
 * Appends are gapless under concurrency: the run's row is locked and its `last_seq` checked in the same statement.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema === undefined ? undefined : assertSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: typeParsers,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection that drops is reported to the query that next needs one; the pool replaces it.
  pool.on('error', () => {});
  try {
    await migratePostgres(pool, schema);
  } catch (error) {
    await pool.end();
    throw new Error(`PostgreSQL at ${redact(options.connectionString)} is not usable: ${String(error)}`, { cause: error });
  }
  let closed = false;
  const query = (text: string, values?: unknown[]) => pool.query(text, values);
  /**
   * A run's end, in one transaction with its session's hand-over: the session row is locked first, so an `enqueue`
   * admission either committed its waiting run before (then the statement after the end, with a fresh snapshot, sees
   * it and makes it the active run) or comes after and finds the session in its new state. `write` runs the end's own
   * statement and says whether it took; when not, nothing is committed.
   */
  const endWithSession = async (runId: string, write: (run: Query) => Promise<boolean>): Promise<boolean> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(`SELECT sessions.active_run_id, runs.session_id, runs.tenant_id FROM runs
        JOIN sessions ON sessions.tenant_id = runs.tenant_id AND sessions.id = runs.session_id WHERE runs.id = $1 FOR UPDATE OF sessions`, [runId]);
      if (!(await write((text, values) => client.query(text, values)))) {
        await client.query('ROLLBACK');
        return false;
      }
      const session = rows[0] as { active_run_id: string | null; session_id: string; tenant_id: string } | undefined;
      if (session?.active_run_id === runId) {
        await client.query(`WITH next AS (
            SELECT id FROM runs WHERE tenant_id = $1 AND session_id = $2 AND session_waiting AND status = 'queued' ORDER BY session_seq LIMIT 1
          ), started AS (
            UPDATE runs SET session_waiting = false FROM next WHERE runs.id = next.id
          )
          UPDATE sessions SET active_run_id = (SELECT id FROM next) WHERE tenant_id = $1 AND id = $2`, [session.tenant_id, session.session_id]);
      }
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  const endRun = async (runId: string, end: RunEnd, attempt?: number) => {
    const ended = await endWithSession(runId, async (run) => {
      const { rows } = await run(`WITH run AS (
        UPDATE runs SET status = $1, output = $2, usage = $3, error = $4, ended_at = $5 WHERE id = $6 AND ($7::int IS NULL OR attempt = $7) RETURNING id, session_id, tenant_id, status, spec
      )${sessionInsert(8)}${WEBHOOK_INSERT_CTE}
      SELECT count(*)::int AS count FROM run`,
      [end.status, storableText(end.output ?? null), json(end.usage), json(end.error), new Date().toISOString(), runId, attempt ?? null, ...sessionValues(end)]);
      return attempt === undefined || rows[0].count > 0;
    });
    if (!ended) throw new StaleAttemptError(runId, attempt!);
  };

  return {
    ...createPostgresLifecycle(query),
    ...createPostgresSessions(query),
    kind: 'postgres',
    shared: true,
    async createRun(run: NewRun) {
      const now = new Date().toISOString();
      // The run and its `run.started` in one statement: a reader never finds the one without the other. The session's
      // check and claim are in it too ($15, `sessionClaim`): ON CONFLICT DO UPDATE locks the session row and reads its
      // newest version, so of two admissions at once the second sees the first's claim (on any instance). A session
      // whose active run has ended (in this statement's snapshot) is free; one whose run is invisible to it is not.
      const free = `(s.active_run_id IS NULL OR EXISTS (SELECT 1 FROM runs AS active WHERE active.id = s.active_run_id AND active.status IN ('completed', 'failed', 'cancelled')))`;
      const admit = `($15::text IS DISTINCT FROM 'exclusive' OR ${free})`;
      const { rows } = await query(`WITH session AS (
          INSERT INTO sessions AS s (tenant_id, id, created_at, updated_at, active_run_id, run_count, title)
          VALUES ($14, $4, $7, $7, CASE WHEN $15::text IS NULL THEN NULL ELSE $1 END, COALESCE((SELECT max(session_seq) FROM runs WHERE tenant_id = $14 AND session_id = $4), 0) + 1, $16)
          ON CONFLICT (tenant_id, id) DO UPDATE SET
            updated_at = CASE WHEN ${admit} THEN EXCLUDED.updated_at ELSE s.updated_at END,
            run_count = CASE WHEN ${admit} THEN GREATEST(s.run_count, EXCLUDED.run_count - 1) + 1 ELSE s.run_count END,
            active_run_id = CASE WHEN $15::text IS NOT NULL AND ${free} THEN $1 ELSE s.active_run_id END,
            title = COALESCE(s.title, EXCLUDED.title)
          RETURNING s.active_run_id, s.run_count
        ), run AS (
          INSERT INTO runs (id, target_kind, target_id, session_id, model, input, status, created_at, metadata, owner_id, heartbeat_at, spec, last_seq, schema_version, tenant_id, session_seq, session_waiting)
          SELECT $1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, now(), $10, CASE WHEN $11::text IS NULL THEN 0 ELSE 1 END, 1, $14, session.run_count,
            COALESCE($15::text = 'enqueue' AND session.active_run_id IS DISTINCT FROM $1, false)
          FROM session WHERE $15::text IS DISTINCT FROM 'exclusive' OR session.active_run_id = $1
          RETURNING *
        ), started AS (
          INSERT INTO events (run_id, seq, type, ts, body, schema_version) SELECT run.id, 1, 'run.started', $12, $11, $13 FROM run WHERE $11::text IS NOT NULL
        )
        SELECT session.active_run_id AS session_active_run_id, run.* FROM session LEFT JOIN run ON true`,
      [run.id, run.target.kind, run.target.id, run.sessionId, run.model, run.input, now, JSON.stringify(run.metadata ?? null), run.ownerId ?? null, json(run.spec),
        run.started ? serializeEvent(run.started) : null, run.started?.ts ?? now, EVENT_SCHEMA_VERSION, run.tenant ?? DEFAULT_TENANT, run.sessionClaim ?? null, sessionTitle(storableText(run.input))]);
      const row = rows[0] as RunRow & { session_active_run_id: string | null };
      if (!row.id) throw new SessionBusyError(run.sessionId, row.session_active_run_id ?? 'unknown');
      return rowToRun(row);
    },
    async markRunStarted(runId) {
      await query(`UPDATE runs SET status = 'running', started_at = $1 WHERE id = $2 AND status = 'queued'`, [new Date().toISOString(), runId]);
    },
    endRun: (runId, end) => endRun(runId, end),
    async claimRun(runId, ownerId, claimOptions = {}) {
      const { rows } = await query(`UPDATE runs SET attempt = attempt + 1, status = 'running', owner_id = $2, heartbeat_at = now(), started_at = COALESCE(started_at, $3)
        WHERE id = $1 AND ${UNFINISHED} AND (NOT session_waiting OR $5::boolean)
          AND NOT ($4::int IS NOT NULL AND status = 'running' AND owner_id IS NOT NULL AND owner_id <> $2 AND heartbeat_at > now() - $4 * interval '1 millisecond')
        RETURNING *`, [runId, ownerId, new Date().toISOString(), claimOptions.unlessBeatingWithinMs ?? null, claimOptions.evenIfWaiting ?? false]);
      if (!rows[0]) return undefined;
      const row = rows[0] as RunRow & { spec: string | null; handoffs: number; last_handoff_attempt: number | null };
      return { run: rowToRun(row), spec: (row.spec ? JSON.parse(row.spec) : {}) as RunSpec, handoffs: row.handoffs, handedBack: row.last_handoff_attempt !== null && row.last_handoff_attempt === Number(row.attempt) - 1 };
    },
    async releaseRun(runId, attempt) {
      await query(`UPDATE runs SET status = 'queued', owner_id = NULL, handoffs = handoffs + 1, last_handoff_attempt = attempt
        WHERE id = $1 AND attempt = $2 AND ${UNFINISHED}`, [runId, attempt]);
    },
    async getRun(runId, tenant) {
      const { rows } = tenant === undefined
        ? await query('SELECT * FROM runs WHERE id = $1', [runId])
        : await query('SELECT * FROM runs WHERE id = $1 AND tenant_id = $2', [runId, tenant]);
      return rows[0] ? rowToRun(rows[0] as RunRow) : undefined;
    },
    listRuns: (filter, tenant) => listRuns(query, filter, tenant),
    async listUnfinishedRuns() {
      const { rows } = await query(`SELECT * FROM runs WHERE ${UNFINISHED} ORDER BY created_at`);
      return rows.map((row) => rowToRun(row as RunRow));
    },
    async listStaleRuns(staleAfterMs, limit = 1000) {
      const { rows } = await query(`SELECT * FROM runs WHERE ${UNFINISHED} AND NOT session_waiting AND (heartbeat_at IS NULL OR heartbeat_at <= now() - $1 * interval '1 millisecond') ORDER BY created_at LIMIT $2`, [staleAfterMs, limit]);
      return rows.map((row) => rowToRun(row as RunRow));
    },
    async heartbeatRuns(ownerId) {
      await query(`UPDATE runs SET heartbeat_at = now() WHERE owner_id = $1 AND ${UNFINISHED}`, [ownerId]);
    },
    async claimStaleRuns(ownerId, staleAfterMs) {
      // One UPDATE: a second sweeper blocks on the row lock, then re-checks the heartbeat this one just refreshed.
      const { rows } = await query(`UPDATE runs SET owner_id = $1, heartbeat_at = now()
        WHERE ${UNFINISHED} AND NOT session_waiting AND owner_id IS DISTINCT FROM $1
          AND (heartbeat_at IS NULL OR heartbeat_at <= now() - $2 * interval '1 millisecond')
        RETURNING *`, [ownerId, staleAfterMs]);
      return rows.map((row) => rowToRun(row as RunRow)).sort((left, right) => left.createdAt.localeCompare(right.createdAt));
    },
    async appendEvents(runId: string, events: readonly RunEvent[], end?: RunEnd, attempt?: number) {
      if (events.length === 0) {
        if (end) await endRun(runId, end, attempt);
        return;
      }
      const first = events[0].seq;
      events.forEach((event, index) => {
        if (event.seq !== first + index) throw new Error(`appendEvents: seq ${event.seq} breaks the sequence of run ${runId} (expected ${first + index})`);
      });
      // One statement, one round trip, one transaction: the UPDATE locks the run's row (as SELECT … FOR UPDATE
      // would) and matches only if the batch continues the stored seqs; the INSERT writes nothing otherwise.
      // A concurrent append of the same seqs waits on the lock, re-reads last_seq and matches nothing. With `end`,
      // the same UPDATE records the run's end, so the terminal event and the final status commit together.
      // $9: the writer's attempt (NULL: unfenced); with `end`, $10.. the end and the session's new turns.
      const endColumns = end ? ', status = $10, output = $11, usage = $12, error = $13, ended_at = $14' : '';
      const endValues = end ? [end.status, storableText(end.output ?? null), json(end.usage), json(end.error), new Date().toISOString(), ...sessionValues(end)] : [];
      const statement = `WITH run AS (
          UPDATE runs SET last_seq = $3${endColumns} WHERE id = $1 AND last_seq = $2 - 1 AND ($9::int IS NULL OR attempt = $9) RETURNING id, session_id, tenant_id, status, spec
        )${end ? `${sessionInsert(15)}${WEBHOOK_INSERT_CTE}` : ''}
        INSERT INTO events (run_id, seq, type, ts, body, schema_version)
        SELECT run.id, batch.seq, batch.type, batch.ts, batch.body, $4
        FROM run, unnest($5::int[], $6::text[], $7::timestamptz[], $8::text[]) AS batch (seq, type, ts, body)`;
      const values = [runId, first, events.at(-1)!.seq, EVENT_SCHEMA_VERSION,
        events.map((event) => event.seq), events.map((event) => event.type), events.map((event) => event.ts), events.map(serializeEvent), attempt ?? null, ...endValues];
      // Only the end needs the session's lock (and a transaction); every other batch stays one round trip.
      const stored = end
        ? await endWithSession(runId, async (run) => (await run(statement, values)).rowCount === events.length)
        : (await query(statement, values)).rowCount === events.length;
      if (stored) return;
      const { rows } = await query('SELECT last_seq, attempt FROM runs WHERE id = $1', [runId]);
      if (rows.length === 0) throw new Error(`appendEvents: unknown run ${runId}`);
      if (attempt !== undefined && Number(rows[0].attempt) !== attempt) throw new StaleAttemptError(runId, attempt);
      throw new Error(`appendEvents: seq ${first} breaks the sequence of run ${runId} (expected ${Number(rows[0].last_seq) + 1})`);
    },
    async pauseRun(runId, events, attempt, inputExpiresAt) {
      const first = events[0]?.seq;
      // Like an append: the UPDATE locks the row and matches only if the batch continues the stored seqs and the attempt is current.
      const result = await query(`WITH run AS (
          UPDATE runs SET last_seq = COALESCE($3, last_seq), status = 'awaiting_input', owner_id = NULL, handoffs = handoffs + 1, last_handoff_attempt = attempt, input_expires_at = $10
          WHERE id = $1 AND ($2::int IS NULL OR last_seq = $2 - 1) AND attempt = $9 AND ${UNFINISHED} RETURNING id
        ), batch AS (
          INSERT INTO events (run_id, seq, type, ts, body, schema_version)
          SELECT run.id, batch.seq, batch.type, batch.ts, batch.body, $4
          FROM run, unnest($5::int[], $6::text[], $7::timestamptz[], $8::text[]) AS batch (seq, type, ts, body)
        )
        SELECT count(*)::int AS count FROM run`,
      [runId, first ?? null, events.at(-1)?.seq ?? null, EVENT_SCHEMA_VERSION,
        events.map((event) => event.seq), events.map((event) => event.type), events.map((event) => event.ts), events.map(serializeEvent), attempt, inputExpiresAt]);
      if (result.rows[0].count === 1) return;
      const { rows } = await query('SELECT last_seq, attempt FROM runs WHERE id = $1', [runId]);
      if (rows.length === 0) throw new Error(`pauseRun: unknown run ${runId}`);
      if (Number(rows[0].attempt) !== attempt) throw new StaleAttemptError(runId, attempt);
      throw new Error(`pauseRun: seq ${first} breaks the sequence of run ${runId} (expected ${Number(rows[0].last_seq) + 1})`);
    },
    async appendToPausedRun(runId, events, expectedLastSeq, then) {
      const end = typeof then === 'object' ? then : undefined;
      const status = end ? end.status : then === 'queued' ? 'queued' : 'awaiting_input';
      const endColumns = end ? ', output = $10, usage = $11, error = $12, ended_at = $13' : '';
      const endValues = end ? [storableText(end.output ?? null), json(end.usage), json(end.error), new Date().toISOString(), ...sessionValues(end)] : [];
      // Compare-and-set on (status, last_seq): a second writer waits on the row lock, then matches nothing.
      const statement = `WITH run AS (
          UPDATE runs SET last_seq = $3, status = $9, input_expires_at = CASE WHEN $9 = 'awaiting_input' THEN input_expires_at END,
            heartbeat_at = CASE WHEN $9 = 'queued' THEN now() ELSE heartbeat_at END${endColumns}
          WHERE id = $1 AND status = 'awaiting_input' AND last_seq = $2 RETURNING id, session_id, tenant_id, status, spec
        )${end ? `${sessionInsert(14)}${WEBHOOK_INSERT_CTE}` : ''}, batch AS (
          INSERT INTO events (run_id, seq, type, ts, body, schema_version)
          SELECT run.id, batch.seq, batch.type, batch.ts, batch.body, $4
          FROM run, unnest($5::int[], $6::text[], $7::timestamptz[], $8::text[]) AS batch (seq, type, ts, body)
        )
        SELECT count(*)::int AS count FROM run`;
      const values = [runId, expectedLastSeq, events.at(-1)?.seq ?? expectedLastSeq, EVENT_SCHEMA_VERSION,
        events.map((event) => event.seq), events.map((event) => event.type), events.map((event) => event.ts), events.map(serializeEvent), status, ...endValues];
      // Ended while paused (cancel, expiry): the session goes to its next waiting run in the same transaction.
      if (end) return endWithSession(runId, async (run) => (await run(statement, values)).rows[0].count === 1);
      return (await query(statement, values)).rows[0].count === 1;
    },
    async listExpiredPausedRuns(now, limit = 100) {
      const { rows } = await query(`SELECT * FROM runs WHERE status = 'awaiting_input' AND input_expires_at <= $1 ORDER BY input_expires_at LIMIT $2`, [now, limit]);
      return rows.map((row) => rowToRun(row as RunRow));
    },
    async readEvents(runId, readOptions = {}) {
      const { rows } = await query('SELECT body, schema_version FROM events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [runId, readOptions.afterSeq ?? 0, readOptions.limit ?? null]);
      return rows.map((row: { body: string; schema_version: number }) => {
        if (row.schema_version !== EVENT_SCHEMA_VERSION) throw new Error(`Unsupported event schema version ${row.schema_version}`);
        return deserializeEvent(row.body);
      });
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}


async function listRuns(query: Query, filter: RunFilter, tenant: string | undefined): Promise<RunPage> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (tenant !== undefined) where.push(`tenant_id = ${param(tenant)}`);
  if (filter.agent) where.push(`target_kind = 'agent' AND target_id = ${param(filter.agent)}`);
  if (filter.team) where.push(`target_kind = 'team' AND target_id = ${param(filter.team)}`);
  if (filter.status) where.push(`status = ${param(filter.status)}`);
  if (filter.sessionId) where.push(`session_id = ${param(filter.sessionId)}`);
  if (filter.since) where.push(`created_at >= ${param(filter.since)}`);
  if (filter.until) where.push(`created_at <= ${param(filter.until)}`);
  if (filter.scheduleId) where.push(`metadata->>'scheduleId' = ${param(filter.scheduleId)}`);
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    where.push(`(created_at, id) < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.id)})`);
  }
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const { rows } = await query(`SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${param(limit + 1)}`, values);
  const page = rows.slice(0, limit).map((row) => rowToRun(row as RunRow));
  const last = page.at(-1);
  return { runs: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** The connection string without its password, for error messages and logs. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(an unparsable connection string)';
  }
}
