import type pg from 'pg';

/**
 * Session streams and double-texting (issue 14), an additive step after tenants, inside the same locked migration
 * transaction: every run gets its place in its session (`session_seq`, the session stream's order) and may wait for
 * the session's earlier run (`session_waiting`); a session row knows the run holding it (`active_run_id`), how many
 * runs it had and its title. Rows from before get their places once, in creation order, when the column is added.
 */
export async function migratePostgresSessions(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query(`SELECT 1 FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'runs' AND column_name = 'session_seq'`);
  await client.query(`ALTER TABLE runs ADD COLUMN IF NOT EXISTS session_seq INTEGER;
    ALTER TABLE runs ADD COLUMN IF NOT EXISTS session_waiting BOOLEAN NOT NULL DEFAULT false;
    ALTER TABLE sessions ADD COLUMN IF NOT EXISTS active_run_id TEXT;
    ALTER TABLE sessions ADD COLUMN IF NOT EXISTS run_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN IF NOT EXISTS title TEXT;
    CREATE INDEX IF NOT EXISTS runs_session_seq ON runs (tenant_id, session_id, session_seq);
    CREATE INDEX IF NOT EXISTS sessions_created ON sessions (tenant_id, created_at DESC, id DESC);`);
  if (rows.length === 0) {
    await client.query(`UPDATE runs SET session_seq = numbered.seq
      FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id, session_id ORDER BY created_at, id) AS seq FROM runs) AS numbered
      WHERE runs.id = numbered.id;
      UPDATE sessions SET run_count = counted.count
      FROM (SELECT tenant_id, session_id, count(*)::int AS count FROM runs GROUP BY tenant_id, session_id) AS counted
      WHERE sessions.tenant_id = counted.tenant_id AND sessions.id = counted.session_id;`);
  }
}
