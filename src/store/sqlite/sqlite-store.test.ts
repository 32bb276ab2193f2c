import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { describeStoreContract } from '../store-contract.ts';
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
  db.prepare(`INSERT INTO events (run_id, seq, type, ts, body, schema_version) VALUES ('run_future', 1, 'message.delta', '2026-01-01T00:00:00Z', '{}', 99)`).run();
  db.close();
  await assert.rejects(store.readEvents('run_future'), /Unsupported event schema version 99/);
  await store.close();
});
