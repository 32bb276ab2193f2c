import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './run-sql-in-transaction.ts';

/**
 * Tenants (issue 13), an additive step after the base schema: runs and session messages get a `tenant_id`
 * (rows from before it belong to `default`), and sessions are keyed by (tenant_id, id) so two tenants that
 * pick the same session id (the Agno routes derive it from `user_id` + `project_id`) never share a conversation.
 * SQLite cannot change a primary key in place, so `sessions` is rebuilt once, in one transaction.
 */
export function migrateSqliteTenants(db: DatabaseSync): void {
  const columns = (table: string) => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name));
  const steps: string[] = [];
  if (!columns('runs').has('tenant_id')) steps.push(`ALTER TABLE runs ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';`);
  if (!columns('session_messages').has('tenant_id')) steps.push(`ALTER TABLE session_messages ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';`);
  if (!columns('sessions').has('tenant_id')) {
    steps.push(`CREATE TABLE sessions_by_tenant (
        tenant_id TEXT NOT NULL DEFAULT 'default',
        id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      INSERT INTO sessions_by_tenant (tenant_id, id, created_at, updated_at) SELECT 'default', id, created_at, updated_at FROM sessions;
      DROP TABLE sessions;
      ALTER TABLE sessions_by_tenant RENAME TO sessions;`);
  }
  steps.push(`CREATE INDEX IF NOT EXISTS runs_tenant_created ON runs (tenant_id, created_at DESC, id DESC);
    CREATE INDEX IF NOT EXISTS session_messages_tenant ON session_messages (tenant_id, session_id, id);`);
  inTransaction(db, steps.join('\n'));
}
