import type pg from 'pg';

/**
 * Tenants (issue 13), an additive step after the base schema, inside the same locked migration transaction:
 * runs and session messages get a `tenant_id` (older rows belong to `default`) and sessions are keyed by
 * (tenant_id, id), so two tenants that pick the same session id never share a conversation. Runs once: the
 * primary key is swapped only while `sessions` has no `tenant_id` yet.
 */
export async function migratePostgresTenants(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query(`SELECT 1 FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'sessions' AND column_name = 'tenant_id'`);
  if (rows.length === 0) {
    await client.query(`ALTER TABLE sessions ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
      ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_pkey;
      ALTER TABLE sessions ADD PRIMARY KEY (tenant_id, id);`);
  }
  await client.query(`ALTER TABLE runs ADD COLUMN IF NOT EXISTS tenant_id TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE session_messages ADD COLUMN IF NOT EXISTS tenant_id TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX IF NOT EXISTS runs_tenant_created ON runs (tenant_id, created_at DESC, id DESC);
    CREATE INDEX IF NOT EXISTS session_messages_tenant ON session_messages (tenant_id, session_id, id);`);
}
