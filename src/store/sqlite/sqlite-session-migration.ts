import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './run-sql-in-transaction.ts';

/**
 * Session streams and double-texting (issue 14), an additive step after tenants: every run gets its place in its
 * session (`session_seq`, the session stream's order) and may wait for the session's earlier run
 * (`session_waiting`); a session row knows the run holding it (`active_run_id`), how many runs it had and its title.
 * Rows from before get their places once, in creation order, when the column is added.
 */
export function migrateSqliteSessions(db: DatabaseSync): void {
  const columns = (table: string) => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name));
  const runColumns = columns('runs');
  const sessionColumns = columns('sessions');
  const steps: string[] = [];
  const backfill = !runColumns.has('session_seq');
  if (backfill) steps.push('ALTER TABLE runs ADD COLUMN session_seq INTEGER;');
  if (!runColumns.has('session_waiting')) steps.push('ALTER TABLE runs ADD COLUMN session_waiting INTEGER NOT NULL DEFAULT 0;');
  if (!sessionColumns.has('active_run_id')) steps.push('ALTER TABLE sessions ADD COLUMN active_run_id TEXT;');
  if (!sessionColumns.has('run_count')) steps.push('ALTER TABLE sessions ADD COLUMN run_count INTEGER NOT NULL DEFAULT 0;');
  if (!sessionColumns.has('title')) steps.push('ALTER TABLE sessions ADD COLUMN title TEXT;');
  if (backfill) {
    steps.push(`UPDATE runs SET session_seq = (SELECT COUNT(*) FROM runs AS earlier
        WHERE earlier.tenant_id = runs.tenant_id AND earlier.session_id = runs.session_id AND earlier.run_key <= runs.run_key);
      UPDATE sessions SET run_count = (SELECT COUNT(*) FROM runs WHERE runs.tenant_id = sessions.tenant_id AND runs.session_id = sessions.id);`);
  }
  steps.push(`CREATE INDEX IF NOT EXISTS runs_session_seq ON runs (tenant_id, session_id, session_seq);
    CREATE INDEX IF NOT EXISTS sessions_created ON sessions (tenant_id, created_at DESC, id DESC);`);
  inTransaction(db, steps.join('\n'));
}
