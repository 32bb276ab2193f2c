import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redact } from './postgres-store.ts';

/** The PostgreSQL the tests use: `AGENTSTREAM_TEST_DATABASE_URL`, else the local default. */
export const TEST_DATABASE_URL = process.env.AGENTSTREAM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * node:test's `skip` value for tests that need PostgreSQL, from one connection attempt: undefined when it answers,
 * else the reason. Under `CI=true` an unreachable database is never a skip: the tests run and fail.
 */
export async function postgresSkipReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL at ${redact(TEST_DATABASE_URL)} is unreachable (${String(error)}); start it or set AGENTSTREAM_TEST_DATABASE_URL`;
    if (process.env.CI === 'true') {
      process.stderr.write(`${reason}. CI=true: the PostgreSQL tests run anyway and fail.\n`);
      return undefined;
    }
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A schema name no other test run uses, so parallel runs on one database never see each other's rows. */
export function uniqueTestSchema(label: string): string {
  return `agentstream_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropTestSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
