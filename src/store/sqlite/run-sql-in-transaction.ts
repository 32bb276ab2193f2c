import type { DatabaseSync } from 'node:sqlite';

/** Runs `sql` all or nothing: a failure rolls back and rethrows, so the connection is not left inside a transaction. */
export function inTransaction(db: DatabaseSync, sql: string): void {
  db.exec('BEGIN');
  try {
    db.exec(sql);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
