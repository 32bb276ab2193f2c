import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { describeStoreContract } from '../store-contract.ts';
import { SQLITE_SCHEMA } from './sqlite-schema.ts';
import { createSqliteStore } from './sqlite-store.ts';

const temporaryDatabaseFile = () => join(mkdtempSync(join(tmpdir(), 'agentstream-store-')), 'test.db');

describeStoreContract('sqlite', () => createSqliteStore({ file: temporaryDatabaseFile() }));

test('the SQLite file is in WAL mode and survives a reopen', async () => {
  const file = temporaryDatabaseFile();
  const store = createSqliteStore({ file });
  await store.createRun({ id: 'run_reopen', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_reopen', model: 'demo', input: 'hi', metadata: null });
  await store.close();
  const reopened = createSqliteStore({ file });
  assert.equal((await reopened.getRun('run_reopen'))?.input, 'hi');
  await reopened.close();
  const db = new DatabaseSync(file);
  assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
  db.close();
});

test('rows of an unknown schema version are refused, not misread', async () => {
  const file = temporaryDatabaseFile();
  const store = createSqliteStore({ file });
  await store.createRun({ id: 'run_future', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_future', model: 'demo', input: 'hi', metadata: null });
  const db = new DatabaseSync(file);
  db.prepare(`INSERT INTO run_events (run_key, first_seq, last_seq, body, schema_version) SELECT run_key, 1, 1, '{}', 99 FROM runs WHERE id = 'run_future'`).run();
  db.close();
  await assert.rejects(store.readEvents('run_future'), /Unsupported event schema version 99/);
  await store.close();
});

test('a file from before run ownership gains the columns, and its unfinished runs count as stale', async () => {
  const file = temporaryDatabaseFile();
  const old = new DatabaseSync(file);
  old.exec(SQLITE_SCHEMA.replace(',\n  owner_id TEXT,\n  heartbeat_at TEXT', ''));
  assert.ok(!(old.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).some((column) => column.name === 'owner_id'));
  old.prepare(`INSERT INTO runs (id, target_kind, target_id, session_id, model, input, status, created_at, last_seq) VALUES ('run_old', 'agent', 'chat', 'ses_old', 'demo', 'hi', 'running', '2026-01-01T00:00:00.000Z', 0)`).run();
  old.close();
  const store = createSqliteStore({ file });
  assert.deepEqual((await store.claimStaleRuns('instance_new', 60_000)).map((run) => run.id), ['run_old']);
  await store.close();
});

test('a file from before event batches keeps its events: each old row becomes a batch of one', async () => {
  const file = temporaryDatabaseFile();
  const store = createSqliteStore({ file });
  await store.createRun({ id: 'run_legacy', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_legacy', model: 'demo', input: 'hi', metadata: null });
  await store.close();
  const old = new DatabaseSync(file);
  // The event table as the first release wrote it: one row per event.
  old.exec(`CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, ts TEXT NOT NULL, body TEXT NOT NULL,
    schema_version INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (run_id, seq)) WITHOUT ROWID`);
  const agent = { id: 'chat', name: 'Chat', role: 'agent', path: [] };
  for (const seq of [1, 2]) {
    const body = JSON.stringify({ type: 'message.delta', messageId: 'm1', delta: `part ${seq}\n`, agent, runId: 'run_legacy', seq, ts: '2026-01-01T00:00:00.000Z' });
    old.prepare(`INSERT INTO events (run_id, seq, type, ts, body) VALUES ('run_legacy', ?, 'message.delta', '2026-01-01T00:00:00.000Z', ?)`).run(seq, body);
  }
  old.prepare(`UPDATE runs SET last_seq = 2 WHERE id = 'run_legacy'`).run();
  old.close();
  const reopened = createSqliteStore({ file });
  assert.deepEqual((await reopened.readEvents('run_legacy')).map((event) => event.type === 'message.delta' && event.delta), ['part 1\n', 'part 2\n']);
  assert.deepEqual((await reopened.readEvents('run_legacy', { afterSeq: 1 })).map((event) => event.seq), [2]);
  await reopened.close();
  const db = new DatabaseSync(file);
  assert.equal(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'events'`).get(), undefined, 'the old table is gone');
  db.close();
});

test('a file from before run keys keeps its events: event_batches rows move to run_events, and runs go on', async () => {
  const file = temporaryDatabaseFile();
  const old = new DatabaseSync(file);
  // The schema as the release before run keys wrote it: events keyed by the run's id, no run_key column.
  old.exec(SQLITE_SCHEMA.replace(',\n  run_key INTEGER', '').replace(/CREATE TABLE IF NOT EXISTS run_events \([^;]*\);/, `CREATE TABLE event_batches (run_id TEXT NOT NULL, first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL, body TEXT NOT NULL, schema_version INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (run_id, first_seq));`));
  assert.ok(!(old.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).some((column) => column.name === 'run_key'));
  const agent = { id: 'chat', name: 'Chat', role: 'agent', path: [] };
  const body = (runId: string, seq: number) => JSON.stringify({ type: 'message.delta', messageId: 'm1', delta: `${runId} ${seq}`, agent, runId, seq, ts: '2026-01-01T00:00:00.000Z' });
  for (const [runId, status] of [['run_done', 'completed'], ['run_going', 'running']]) {
    old.prepare(`INSERT INTO runs (id, target_kind, target_id, session_id, model, input, status, created_at, last_seq) VALUES (?, 'agent', 'chat', 'ses_old', 'demo', 'hi', ?, '2026-01-01T00:00:00.000Z', 3)`).run(runId, status);
    old.prepare('INSERT INTO event_batches (run_id, first_seq, last_seq, body) VALUES (?, 1, 2, ?)').run(runId, `${body(runId, 1)}\n${body(runId, 2)}`);
    old.prepare('INSERT INTO event_batches (run_id, first_seq, last_seq, body) VALUES (?, 3, 3, ?)').run(runId, body(runId, 3));
  }
  old.close();
  const store = createSqliteStore({ file });
  for (const runId of ['run_done', 'run_going']) {
    assert.deepEqual((await store.readEvents(runId)).map((event) => event.type === 'message.delta' && event.delta), [`${runId} 1`, `${runId} 2`, `${runId} 3`]);
    assert.equal((await store.getRun(runId))?.lastSeq, 3);
  }
  // The unfinished run of the old process takes its terminal event after what it had, and new runs get new keys.
  await store.appendEvents('run_going', [{ type: 'run.failed', error: { code: 'interrupted', message: 'gone' }, agent: agent as never, runId: 'run_going', seq: 4, ts: '2026-01-01T00:00:01.000Z' }]);
  await store.endRun('run_going', { status: 'failed', error: { code: 'interrupted', message: 'gone' } });
  assert.equal((await store.getRun('run_going'))?.lastSeq, 4);
  const fresh = await store.createRun({ id: 'run_new', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_new', model: 'demo', input: 'hi', metadata: null });
  assert.deepEqual(await store.readEvents(fresh.id), []);
  await store.close();
  const db = new DatabaseSync(file);
  assert.equal(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'event_batches'`).get(), undefined, 'the old table is gone');
  assert.deepEqual(db.prepare('SELECT id, run_key FROM runs ORDER BY run_key').all().map((row) => ({ ...row })), [{ id: 'run_done', run_key: 1 }, { id: 'run_going', run_key: 2 }, { id: 'run_new', run_key: 3 }]);
  db.close();
});

test('a running run reports its newest stored seq; the runs row is written once, when it ends', async () => {
  const file = temporaryDatabaseFile();
  const store = createSqliteStore({ file });
  await store.createRun({ id: 'run_live', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_live', model: 'demo', input: 'hi', metadata: null });
  await store.markRunStarted('run_live');
  const agent = { id: 'chat', name: 'Chat', role: 'agent' as const, path: [] };
  const delta = (seq: number) => ({ type: 'message.delta' as const, messageId: 'm1', delta: `d${seq}`, agent, runId: 'run_live', seq, ts: '2026-01-01T00:00:00.000Z' });
  await store.appendEvents('run_live', [delta(1), delta(2)]);
  await store.appendEvents('run_live', [delta(3)]);
  assert.equal((await store.getRun('run_live'))?.lastSeq, 3);
  assert.equal((await store.listRuns({})).runs[0].lastSeq, 3);
  assert.equal((await store.listUnfinishedRuns())[0].lastSeq, 3);
  const db = new DatabaseSync(file);
  assert.equal((db.prepare(`SELECT last_seq FROM runs WHERE id = 'run_live'`).get() as { last_seq: number }).last_seq, 0, 'no row update per batch');
  await store.endRun('run_live', { status: 'completed', output: 'd1d2d3' });
  assert.equal((db.prepare(`SELECT last_seq FROM runs WHERE id = 'run_live'`).get() as { last_seq: number }).last_seq, 3);
  db.close();
  assert.equal((await store.getRun('run_live'))?.lastSeq, 3);
  await store.close();
});

test('ending a run of an earlier process records its newest stored seq', async () => {
  const file = temporaryDatabaseFile();
  const first = createSqliteStore({ file });
  await first.createRun({ id: 'run_orphaned', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_orphaned', model: 'demo', input: 'hi', metadata: null });
  const agent = { id: 'chat', name: 'Chat', role: 'agent' as const, path: [] };
  await first.appendEvents('run_orphaned', [1, 2, 3].map((seq) => ({ type: 'message.delta' as const, messageId: 'm1', delta: `d${seq}`, agent, runId: 'run_orphaned', seq, ts: '2026-01-01T00:00:00.000Z' })));
  await first.close();
  const second = createSqliteStore({ file });
  await second.endRun('run_orphaned', { status: 'cancelled' });
  assert.equal((await second.getRun('run_orphaned'))?.lastSeq, 3);
  await second.close();
});

test('events read back across batch rows: any afterSeq, any limit, same objects as appended', async () => {
  const store = createSqliteStore({ file: temporaryDatabaseFile() });
  await store.createRun({ id: 'run_batches', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_batches', model: 'demo', input: 'hi', metadata: null });
  const agent = { id: 'chat', name: 'Chat', role: 'agent' as const, path: [] };
  const appended = Array.from({ length: 7 }, (_, index) => ({ type: 'message.delta' as const, messageId: 'm1', delta: `line ${index}\n"quoted"`, agent, runId: 'run_batches', seq: index + 1, ts: '2026-01-01T00:00:00.000Z' }));
  // Batches of 1, 4 and 2 events: three rows.
  for (const [from, to] of [[0, 1], [1, 5], [5, 7]]) await store.appendEvents('run_batches', appended.slice(from, to));
  for (let afterSeq = 0; afterSeq <= 7; afterSeq += 1) {
    for (const limit of [undefined, 1, 2, 5]) {
      const expected = appended.slice(afterSeq, limit === undefined ? undefined : afterSeq + limit);
      assert.deepEqual(await store.readEvents('run_batches', { afterSeq, limit }), expected, `afterSeq ${afterSeq}, limit ${limit}`);
    }
  }
  await store.close();
});

test('a file from before session order gives its runs their places, and its sessions their counts and titles', async () => {
  const file = temporaryDatabaseFile();
  const store = createSqliteStore({ file });
  for (const [id, input] of [['run_old_1', 'the first question'], ['run_old_2', 'the second']]) {
    await store.createRun({ id, target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_old', model: 'demo', input, metadata: null });
  }
  await store.appendSessionMessages('ses_old', [{ role: 'user', content: 'the first question', runId: 'run_old_1', ts: new Date().toISOString() }]);
  await store.close();
  const db = new DatabaseSync(file);
  db.exec(`DROP INDEX runs_session_seq; ALTER TABLE runs DROP COLUMN session_seq; ALTER TABLE runs DROP COLUMN session_waiting;
    ALTER TABLE sessions DROP COLUMN active_run_id; ALTER TABLE sessions DROP COLUMN run_count; ALTER TABLE sessions DROP COLUMN title;`);
  db.close();
  const reopened = createSqliteStore({ file });
  assert.deepEqual((await reopened.listSessionRuns('ses_old', undefined)).map((run) => [run.id, run.sessionSeq]), [['run_old_1', 1], ['run_old_2', 2]]);
  const [session] = (await reopened.listSessions({})).sessions;
  assert.deepEqual([session.id, session.title, session.runCount, session.lastRun?.id], ['ses_old', 'the first question', 2, 'run_old_2']);
  assert.equal((await reopened.createRun({ id: 'run_old_3', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_old', model: 'demo', input: 'third', metadata: null, sessionClaim: 'exclusive' })).sessionSeq, 3);
  await reopened.close();
});
