import { DEFAULT_TENANT, type RunEnd, type SessionFilter, type SessionMessage, type SessionPage, type SessionRecord, type Store } from '../store.ts';
import { decodeCursor, encodeCursor, rowToRun, rowToSessionSummary, type RunRow, type SessionSummaryRow } from '../run-rows.ts';
import { storableText, type Query } from './postgres-values.ts';

type SessionMethods = Pick<Store, 'getSession' | 'listSessions' | 'listSessionRuns' | 'deleteRunTurns' | 'appendSessionMessages' | 'deleteSession'>;

/** The PostgreSQL half of sessions: their messages, listing and paging. A run's own end writes its turns (`sessionInsert`). */
export function createPostgresSessions(query: Query): SessionMethods {
  return {
    async getSession(sessionId, tenant = DEFAULT_TENANT): Promise<SessionRecord | undefined> {
      const session = await query('SELECT id, created_at, updated_at, active_run_id FROM sessions WHERE tenant_id = $1 AND id = $2', [tenant, sessionId]);
      if (session.rows.length === 0) return undefined;
      const messages = await query('SELECT role, content, run_id, ts FROM session_messages WHERE tenant_id = $1 AND session_id = $2 ORDER BY id', [tenant, sessionId]);
      return {
        id: session.rows[0].id,
        createdAt: session.rows[0].created_at,
        updatedAt: session.rows[0].updated_at,
        messages: messages.rows.map((message: { role: SessionMessage['role']; content: string; run_id: string; ts: string }) => (
          { role: message.role, content: message.content, runId: message.run_id, ts: message.ts })),
        activeRunId: session.rows[0].active_run_id ?? null,
      };
    },
    listSessions: (filter, tenant) => listSessions(query, filter, tenant),
    async listSessionRuns(sessionId, tenant, pageOptions = {}) {
      const { rows } = await query('SELECT * FROM runs WHERE tenant_id = $1 AND session_id = $2 AND session_seq >= $3 ORDER BY session_seq LIMIT $4',
        [tenant ?? DEFAULT_TENANT, sessionId, pageOptions.fromSessionSeq ?? 0, pageOptions.limit ?? 100]);
      return rows.map((row) => rowToRun(row as RunRow));
    },
    async deleteRunTurns(sessionId, runId, tenant = DEFAULT_TENANT) {
      const result = await query('DELETE FROM session_messages WHERE tenant_id = $1 AND session_id = $2 AND run_id = $3', [tenant, sessionId, runId]);
      return result.rowCount ?? 0;
    },
    async appendSessionMessages(sessionId, messages, tenant = DEFAULT_TENANT) {
      const now = new Date().toISOString();
      await query(`WITH session AS (
          INSERT INTO sessions (tenant_id, id, created_at, updated_at) VALUES ($7, $1, $2, $2) ON CONFLICT (tenant_id, id) DO UPDATE SET updated_at = EXCLUDED.updated_at
        )
        INSERT INTO session_messages (tenant_id, session_id, role, content, run_id, ts)
        SELECT $7, $1, message.role, message.content, message.run_id, message.ts
        FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS message (role, content, run_id, ts, position)
        ORDER BY message.position`,
      [sessionId, now, messages.map((message) => message.role), messages.map((message) => storableText(message.content)), messages.map((message) => message.runId), messages.map((message) => message.ts), tenant]);
    },
    async deleteSession(sessionId, tenant = DEFAULT_TENANT) {
      const { rows } = await query(`WITH deleted AS (DELETE FROM sessions WHERE tenant_id = $2 AND id = $1 RETURNING id),
          messages AS (DELETE FROM session_messages WHERE tenant_id = $2 AND session_id = $1)
        SELECT count(*)::int AS count FROM deleted`, [sessionId, tenant]);
      return rows[0].count > 0;
    },
  };
}

/**
 * CTEs that append a run's final session turns in the statement that records its end: they read the `run` CTE,
 * so a refused end (stale attempt, broken sequence) adds no turn. Parameters from `$first`: roles, contents, run ids, times.
 */
export function sessionInsert(first: number): string {
  const [roles, contents, runIds, times] = [first, first + 1, first + 2, first + 3].map((index) => `$${index}`);
  return `, touched AS (
      UPDATE sessions SET updated_at = now() FROM run
      WHERE sessions.tenant_id = run.tenant_id AND sessions.id = run.session_id AND cardinality(${roles}::text[]) > 0
    ), turns AS (
      INSERT INTO session_messages (tenant_id, session_id, role, content, run_id, ts)
      SELECT run.tenant_id, run.session_id, message.role, message.content, message.run_id, message.ts
      FROM run, unnest(${roles}::text[], ${contents}::text[], ${runIds}::text[], ${times}::timestamptz[]) WITH ORDINALITY AS message (role, content, run_id, ts, position)
      ORDER BY message.position
    )`;
}

export function sessionValues(end: RunEnd): unknown[] {
  const messages = end.sessionMessages ?? [];
  return [messages.map((message) => message.role), messages.map((message) => storableText(message.content)), messages.map((message) => message.runId), messages.map((message) => message.ts)];
}

async function listSessions(query: Query, filter: SessionFilter, tenant: string | undefined): Promise<SessionPage> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  // A session made before titles were stored is named after its first user message.
  const title = `COALESCE(s.title, (SELECT m.content FROM session_messages AS m WHERE m.tenant_id = s.tenant_id AND m.session_id = s.id AND m.role = 'user' ORDER BY m.id LIMIT 1))`;
  const hasRunOf = (kind: string, id: string) => `EXISTS (SELECT 1 FROM runs AS r WHERE r.tenant_id = s.tenant_id AND r.session_id = s.id AND r.target_kind = '${kind}' AND r.target_id = ${param(id)})`;
  if (tenant !== undefined) where.push(`s.tenant_id = ${param(tenant)}`);
  if (filter.agent) where.push(hasRunOf('agent', filter.agent));
  if (filter.team) where.push(hasRunOf('team', filter.team));
  if (filter.since) where.push(`s.created_at >= ${param(filter.since)}`);
  if (filter.until) where.push(`s.created_at <= ${param(filter.until)}`);
  if (filter.q) where.push(`strpos(lower(${title}), lower(${param(storableText(filter.q))})) > 0`);
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    where.push(`(s.created_at, s.id) < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.id)})`);
  }
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const { rows } = await query(`SELECT s.id, s.created_at, s.updated_at, s.run_count, s.active_run_id, ${title} AS title,
      last.id AS last_run_id, last.status AS last_run_status, last.target_kind AS last_target_kind, last.target_id AS last_target_id
    FROM sessions AS s
    LEFT JOIN LATERAL (SELECT r.id, r.status, r.target_kind, r.target_id FROM runs AS r WHERE r.tenant_id = s.tenant_id AND r.session_id = s.id ORDER BY r.session_seq DESC LIMIT 1) AS last ON true
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.created_at DESC, s.id DESC LIMIT ${param(limit + 1)}`, values);
  const page = (rows as SessionSummaryRow[]).slice(0, limit).map(rowToSessionSummary);
  const last = page.at(-1);
  return { sessions: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
