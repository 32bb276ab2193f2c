import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createInProcessBus } from '../bus/in-process/in-process-bus.ts';
import type { RunEvent } from '../events/run-event.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { followRun } from './follow-run.ts';
import { createRunEmitter } from './run-emitter.ts';

const agent = { id: 'chat', name: 'chat', role: 'agent' as const, path: [] };
const completed = { type: 'run.completed' as const, output: 'hello', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, agent };

/** A real SQLite store whose appends can be made to fail: before writing (a full disk) or after (a lost reply). */
async function openFaultyStore() {
  const store = createSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'agentstream-emitter-')), 'emitter.db') });
  const fault: { mode: 'none' | 'refuse' | 'lose-reply' } = { mode: 'none' };
  const faulty: Store = Object.assign(Object.create(store) as Store, {
    async appendEvents(...args: Parameters<Store['appendEvents']>) {
      if (fault.mode === 'refuse') throw new Error('disk I/O error');
      await store.appendEvents(...args);
      if (fault.mode === 'lose-reply') throw new Error('connection lost after commit');
    },
  });
  const runId = (await store.createRun({ id: `run_${Math.random().toString(36).slice(2)}`, target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_emitter', model: 'demo', input: 'hi', metadata: null })).id;
  return { store, faulty, fault, runId };
}

test('events the store refused are stored once it accepts again; a follower that joined meanwhile still ends', { timeout: 10_000 }, async () => {
  const { store, faulty, fault, runId } = await openFaultyStore();
  const bus = createInProcessBus();
  const errors: string[] = [];
  const emitter = createRunEmitter({ runId, store: faulty, bus, storeRetryMs: 20, onStoreError: (error) => errors.push(String(error)) });
  const follow = () => {
    const seen: RunEvent[] = [];
    return { seen, done: followRun({ runId, afterSeq: 0, store, bus, signal: new AbortController().signal, onEvent: (event) => seen.push(event) }) };
  };
  const live = follow();
  await Promise.resolve();

  emitter.emit({ type: 'run.started', target: { kind: 'agent', id: 'chat' }, input: { text: 'hi' }, model: 'demo', agent });
  await emitter.flush();
  fault.mode = 'refuse';
  emitter.emit({ type: 'message.delta', messageId: 'm1', delta: 'hello', agent });
  await emitter.flush();
  const turn = { role: 'assistant' as const, content: 'hello', runId, ts: new Date().toISOString() };
  await emitter.finish(completed, { status: 'completed', output: 'hello', sessionMessages: [turn] });
  // Live followers got everything though the store had refused it.
  assert.equal(await live.done, 'ended');
  assert.deepEqual(live.seen.map((event) => event.seq), [1, 2, 3]);
  assert.ok(errors.length >= 2 && errors.every((error) => error.includes('disk I/O error')));
  assert.deepEqual((await store.readEvents(runId)).map((event) => event.seq), [1]);
  assert.equal((await store.getRun(runId))?.status, 'queued');

  const late = follow();
  fault.mode = 'none';
  assert.equal(await late.done, 'ended');
  assert.deepEqual(late.seen.map((event) => event.type), ['run.started', 'message.delta', 'run.completed']);
  assert.deepEqual((await store.readEvents(runId)).map((event) => event.seq), [1, 2, 3]);
  const run = await store.getRun(runId);
  assert.equal(run?.status, 'completed');
  assert.equal(run?.lastSeq, 3);
  assert.deepEqual((await store.getSession('ses_emitter'))?.messages.map((message) => message.content), ['hello'], 'the session messages that go with the end were written once, with it');
  assert.equal(bus.listenerCount(), 0);
  await store.close();
});

test('a batch stored but reported as failed is not stored twice when the next one goes in', { timeout: 10_000 }, async () => {
  const { store, faulty, fault, runId } = await openFaultyStore();
  const errors: unknown[] = [];
  const emitter = createRunEmitter({ runId, store: faulty, bus: createInProcessBus(), storeRetryMs: 20, onStoreError: (error) => errors.push(error) });
  emitter.emit({ type: 'run.started', target: { kind: 'agent', id: 'chat' }, input: { text: 'hi' }, model: 'demo', agent });
  fault.mode = 'lose-reply';
  await emitter.flush();
  fault.mode = 'none';
  emitter.emit({ type: 'message.delta', messageId: 'm1', delta: 'hello', agent });
  await emitter.flush();
  await emitter.finish(completed, { status: 'completed', output: 'hello' });
  assert.equal(errors.length, 1);
  assert.deepEqual((await store.readEvents(runId)).map((event) => event.seq), [1, 2, 3]);
  assert.equal((await store.getRun(runId))?.status, 'completed');
  await store.close();
});
