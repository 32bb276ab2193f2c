import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { RunEvent } from '../../events/run-event.ts';
import { describeStoreContract } from '../store-contract.ts';
import { createPostgresStore } from './postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from './postgres-test-database.ts';

const skip = await postgresSkipReason();
const schema = uniqueTestSchema('store');
const open = () => createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });

after(async () => {
  if (!skip) await dropTestSchema(schema);
});

describeStoreContract('postgres', open, { skip });

describe('postgres store', { skip }, () => {
  it('keeps its tables in the schema it was given, and migrates twice without harm', async () => {
    const first = await open();
    const second = await open();
    await second.ping();
    await Promise.all([first.close(), second.close()]);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      assert.deepEqual(rows.map((row) => row.table_name), ['events', 'runs', 'schedules', 'session_messages', 'sessions', 'webhook_deliveries']);
    } finally {
      await client.end();
    }
  });

  it('stores the exact JSON text of each event and refuses rows of an unknown schema version', async () => {
    const store = await open();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await store.createRun({ id: 'run_pg_bytes', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_pg_bytes', model: 'demo', input: 'hi', metadata: { b: 1, a: [2] } });
      const event: RunEvent = { type: 'message.delta', messageId: 'm1', delta: 'line\nnext "quoted" ✓', runId: 'run_pg_bytes', seq: 1, ts: '2026-01-01T00:00:00.000Z', agent: { id: 'chat', name: 'Chat', role: 'agent', path: [] } };
      await store.appendEvents('run_pg_bytes', [event]);
      const { rows } = await client.query(`SELECT body FROM events WHERE run_id = 'run_pg_bytes'`);
      assert.equal(rows[0].body, JSON.stringify(event));
      assert.deepEqual((await store.getRun('run_pg_bytes'))?.metadata, { b: 1, a: [2] });

      await client.query(`INSERT INTO events (run_id, seq, type, ts, body, schema_version) VALUES ('run_pg_bytes', 2, 'message.delta', now(), '{}', 99)`);
      await assert.rejects(store.readEvents('run_pg_bytes'), /Unsupported event schema version 99/);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('names the database it could not reach, without its password', async () => {
    await assert.rejects(createPostgresStore({ connectionString: 'postgres://someone:secret@127.0.0.1:1/nowhere' }), (error: Error) => {
      assert.match(error.message, /PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere is not usable/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });
});
