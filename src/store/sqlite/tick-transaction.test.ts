import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { createTickTransaction } from './tick-transaction.ts';

function openDatabase(): DatabaseSync {
  const db = new DatabaseSync(join(mkdtempSync(join(tmpdir(), 'agentstream-tick-')), 'tick.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
  db.exec(`CREATE TABLE parents (id INTEGER PRIMARY KEY);
    CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE,
      parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)`);
  return db;
}

const values = (db: DatabaseSync) => (db.prepare('SELECT value FROM rows ORDER BY id').all() as { value: string }[]).map((row) => row.value);

test('the writes of one turn share one transaction and resolve once it has committed', async () => {
  const db = openDatabase();
  const tick = createTickTransaction(db);
  const insert = db.prepare('INSERT INTO rows (value) VALUES (?)');
  const first = tick.write(() => insert.run('a').lastInsertRowid);
  const second = tick.write(() => insert.run('b').lastInsertRowid);
  assert.equal(db.isTransaction, true, 'still open until the next turn');
  assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  assert.equal(db.isTransaction, false);
  assert.deepEqual(values(db), ['a', 'b']);
  db.close();
});

test('a failing write is undone alone; the others of its turn commit', async () => {
  const db = openDatabase();
  const tick = createTickTransaction(db);
  const insert = db.prepare('INSERT INTO rows (value) VALUES (?)');
  const kept = tick.write(() => insert.run('kept'));
  const failed = tick.write(() => {
    insert.run('half');
    insert.run('kept'); // UNIQUE: fails after the first statement of this write already ran
  });
  await assert.rejects(failed, /UNIQUE/);
  await kept;
  assert.deepEqual(values(db), ['kept']);
  db.close();
});

test('a commit that fails rejects every write of the turn and keeps none of them', async () => {
  const db = openDatabase();
  const tick = createTickTransaction(db);
  const insert = db.prepare('INSERT INTO rows (value, parent) VALUES (?, ?)');
  // The deferred foreign key is only checked at COMMIT, so the whole turn fails there.
  const results = await Promise.allSettled([tick.write(() => insert.run('fine', null)), tick.write(() => insert.run('orphan', 42))]);
  assert.deepEqual(results.map((result) => result.status), ['rejected', 'rejected']);
  assert.equal(db.isTransaction, false);
  assert.deepEqual(values(db), []);
  // The next turn starts clean.
  await tick.write(() => insert.run('later', null));
  assert.deepEqual(values(db), ['later']);
  db.close();
});

test('commitNow commits at once, and a later write opens a new transaction', async () => {
  const db = openDatabase();
  const tick = createTickTransaction(db);
  const insert = db.prepare('INSERT INTO rows (value) VALUES (?)');
  const pending = tick.write(() => insert.run('now'));
  tick.commitNow();
  assert.equal(db.isTransaction, false);
  await pending;
  await tick.write(() => insert.run('next'));
  assert.deepEqual(values(db), ['now', 'next']);
  db.close();
});
