import type { DatabaseSync } from 'node:sqlite';
import { migrateSqliteSessions } from './sqlite-session-migration.ts';
import { migrateSqliteTenants } from './sqlite-tenant-migration.ts';
import { SQLITE_LIFECYCLE_SCHEMA } from './sqlite-lifecycle.ts';
import { inTransaction } from './run-sql-in-transaction.ts';

/** The SQLite schema. Rows carry `schema_version` so readers can upgrade old rows or refuse unknown ones. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  model TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  usage TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  last_seq INTEGER NOT NULL DEFAULT 0,
  metadata TEXT,
  schema_version INTEGER NOT NULL DEFAULT 1,
  owner_id TEXT,
  heartbeat_at TEXT,
  run_key INTEGER,
  attempt INTEGER NOT NULL DEFAULT 0,
  spec TEXT,
  handoffs INTEGER NOT NULL DEFAULT 0,
  last_handoff_attempt INTEGER,
  input_expires_at TEXT
);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS runs_target ON runs (target_kind, target_id, created_at DESC);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
CREATE INDEX IF NOT EXISTS runs_session ON runs (session_id, created_at);
-- One row per appended batch, not per event: body holds the batch's event JSON, one event per line
-- (JSON.stringify never writes a raw newline), line i having seq first_seq + i. A row per event cost
-- 4-5 µs of SQLite CPU per event, a row per batch ~1 µs (bench/README.md). Keyed by the run's small
-- integer run_key, not its 40-character id: the key's index is ~5x smaller, so the rows that hundreds of
-- paced runs append in one commit land on a few index pages instead of one page each (bench/README.md).
CREATE TABLE IF NOT EXISTS run_events (
  run_key INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (run_key, first_seq)
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  run_id TEXT NOT NULL,
  ts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_messages_session ON session_messages (session_id, id);
`;

// Columns added after the first release: a file created before them gets them on open.
const ADDED_RUN_COLUMNS = [
  ['owner_id', 'TEXT'],
  ['heartbeat_at', 'TEXT'],
  ['run_key', 'INTEGER'],
  ['attempt', 'INTEGER NOT NULL DEFAULT 0'],
  ['spec', 'TEXT'],
  ['handoffs', 'INTEGER NOT NULL DEFAULT 0'],
  ['last_handoff_attempt', 'INTEGER'],
  ['input_expires_at', 'TEXT'],
] as const;

/** Creates missing tables, adds the columns newer versions expect and moves old event tables over. Safe on every open. */
export function migrateSqlite(db: DatabaseSync): void {
  db.exec(SQLITE_SCHEMA);
  const present = new Set((db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((column) => column.name));
  for (const [name, type] of ADDED_RUN_COLUMNS) {
    if (!present.has(name)) db.exec(`ALTER TABLE runs ADD COLUMN ${name} ${type}`);
  }
  inTransaction(db, `UPDATE runs SET run_key = rowid WHERE run_key IS NULL;
    CREATE UNIQUE INDEX IF NOT EXISTS runs_key ON runs (run_key);`);
  migrateEventTables(db);
  migrateSqliteTenants(db);
  db.exec(SQLITE_LIFECYCLE_SCHEMA);
  migrateSqliteSessions(db);
}


/**
 * A file from an earlier release keeps its events: rows of the first release's `events` table (one per event)
 * and of `event_batches` (keyed by run id) move to `run_events`, each in one transaction.
 */
function migrateEventTables(db: DatabaseSync): void {
  const hasTable = (name: string) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  // Rows whose run is gone cannot be read through any route (a run's events are found by its record): not moved.
  if (hasTable('events')) {
    inTransaction(db, `INSERT INTO run_events (run_key, first_seq, last_seq, body, schema_version)
        SELECT runs.run_key, events.seq, events.seq, events.body, events.schema_version FROM events JOIN runs ON runs.id = events.run_id;
      DROP TABLE events;`);
  }
  if (hasTable('event_batches')) {
    inTransaction(db, `INSERT INTO run_events (run_key, first_seq, last_seq, body, schema_version)
        SELECT runs.run_key, batches.first_seq, batches.last_seq, batches.body, batches.schema_version FROM event_batches AS batches JOIN runs ON runs.id = batches.run_id;
      DROP TABLE event_batches;`);
  }
}
