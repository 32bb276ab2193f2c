import type pg from 'pg';
import { migratePostgresSessions } from './postgres-session-migration.ts';
import { migratePostgresTenants } from './postgres-tenant-migration.ts';
import { POSTGRES_LIFECYCLE_SCHEMA } from './postgres-lifecycle.ts';

/**
 * The PostgreSQL schema (https://www.postgresql.org/docs/current/ddl.html). Rows carry `schema_version` so readers
 * can upgrade old rows or refuse unknown ones. Event bodies are TEXT, not JSONB: the exact bytes the emitter
 * serialised are stored and sent again, and JSONB would reorder their keys.
 */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  model TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  usage JSONB,
  error JSONB,
  created_at TIMESTAMPTZ NOT NULL,
  started_at TIMESTAMPTZ,
  ended_at TIMESTAMPTZ,
  last_seq INTEGER NOT NULL DEFAULT 0,
  metadata JSONB,
  owner_id TEXT,
  heartbeat_at TIMESTAMPTZ,
  schema_version INTEGER NOT NULL DEFAULT 1
);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS spec JSONB;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS handoffs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS last_handoff_attempt INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS input_expires_at TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS runs_paused ON runs (input_expires_at) WHERE status = 'awaiting_input';
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS runs_target ON runs (target_kind, target_id, created_at DESC);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status, created_at DESC);
CREATE INDEX IF NOT EXISTS runs_session ON runs (session_id, created_at);
CREATE INDEX IF NOT EXISTS runs_unfinished ON runs (owner_id, heartbeat_at) WHERE status IN ('queued', 'running');
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  ts TIMESTAMPTZ NOT NULL,
  body TEXT NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS session_messages (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id TEXT NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  run_id TEXT NOT NULL,
  ts TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS session_messages_session ON session_messages (session_id, id);
`;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema name safe to splice into SQL: lowercase letters, digits and `_`, as PostgreSQL folds unquoted names. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`PostgreSQL schema name '${schema}' must match ${SCHEMA_NAME}.`);
  return schema;
}

/**
 * Creates what is missing, at every start. Instances starting together take turns on an advisory lock, because
 * concurrent `CREATE TABLE IF NOT EXISTS` can still collide in PostgreSQL's catalogue.
 */
export async function migratePostgres(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`agentstream:migrate:${schema ?? ''}`]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${assertSchemaName(schema)}`);
    await client.query(POSTGRES_SCHEMA);
    await migratePostgresTenants(client);
    await client.query(POSTGRES_LIFECYCLE_SCHEMA);
    await migratePostgresSessions(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
