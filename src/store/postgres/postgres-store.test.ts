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

  it('gives runs of a schema from before session order their places, and sessions their counts and titles', async () => {
    const legacy = uniqueTestSchema('store_legacy');
    try {
      const first = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema: legacy });
      for (const [id, input] of [['run_legacy_1', 'the first question'], ['run_legacy_2', 'the second']]) {
        await first.createRun({ id, target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_legacy', model: 'demo', input, metadata: null });
      }
      await first.appendSessionMessages('ses_legacy', [{ role: 'user', content: 'the first question', runId: 'run_legacy_1', ts: new Date().toISOString() }]);
      await first.close();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${legacy}` });
      await client.connect();
      await client.query(`DROP INDEX runs_session_seq; ALTER TABLE runs DROP COLUMN session_seq, DROP COLUMN session_waiting;
        ALTER TABLE sessions DROP COLUMN active_run_id, DROP COLUMN run_count, DROP COLUMN title`);
      await client.end();
      const reopened = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema: legacy });
      assert.deepEqual((await reopened.listSessionRuns('ses_legacy', undefined)).map((run) => [run.id, run.sessionSeq]), [['run_legacy_1', 1], ['run_legacy_2', 2]]);
      const [session] = (await reopened.listSessions({})).sessions;
      assert.deepEqual([session.id, session.title, session.runCount, session.lastRun?.id], ['ses_legacy', 'the first question', 2, 'run_legacy_2']);
      assert.equal((await reopened.createRun({ id: 'run_legacy_3', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_legacy', model: 'demo', input: 'third', metadata: null, sessionClaim: 'exclusive' })).sessionSeq, 3);
      await reopened.close();
    } finally {
      await dropTestSchema(legacy);
    }
  });

  it('many enqueued messages at once: one holds the session, the others wait, and each end hands it to the next in order', async () => {
    const store = await open();
    try {
      const ids = Array.from({ length: 6 }, (_, index) => `run_pg_queue_${process.pid}_${index}`);
      const runs = await Promise.all(ids.map((id) => store.createRun({ id, target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_pg_queue', model: 'demo', input: id, metadata: null, sessionClaim: 'enqueue' })));
      assert.deepEqual(runs.map((run) => run.sessionSeq).sort((left, right) => left! - right!), [1, 2, 3, 4, 5, 6], 'every run has its own place');
      const inOrder = [...runs].sort((left, right) => left.sessionSeq! - right.sessionSeq!);
      assert.equal(runs.filter((run) => !run.sessionWaiting).length, 1, 'exactly one holds the session');
      assert.equal(inOrder[0].sessionWaiting, undefined, 'the first in order is the one');
      for (let index = 0; index < inOrder.length; index += 1) {
        assert.equal((await store.getSession('ses_pg_queue'))?.activeRunId, inOrder[index].id);
        await store.endRun(inOrder[index].id, { status: 'completed', output: '' });
      }
      assert.equal((await store.getSession('ses_pg_queue'))?.activeRunId, null);
    } finally {
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
