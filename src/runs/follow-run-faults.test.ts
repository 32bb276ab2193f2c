import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createInProcessBus } from '../bus/in-process/in-process-bus.ts';
import type { RunEvent } from '../events/run-event.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { followRun } from './follow-run.ts';
import { createRunEmitter } from './run-emitter.ts';

const agent = { id: 'chat', name: 'chat', role: 'agent' as const, path: [] };

test('a follower whose consumer throws ends alone: the run and its other followers go on', { timeout: 10_000 }, async () => {
  const store = createSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'agentstream-follow-faults-')), 'follow.db') });
  const bus = createInProcessBus();
  const runId = (await store.createRun({ id: 'run_faults', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_faults', model: 'demo', input: 'hi', metadata: null })).id;
  const emitter = createRunEmitter({ runId, store, bus, onStoreError: (error) => assert.fail(String(error)) });
  const follow = (onEvent: (event: RunEvent) => void) => followRun({ runId, afterSeq: 0, store, bus, signal: new AbortController().signal, onEvent });

  const healthy: RunEvent[] = [];
  // Settled into a value at once: the rejection comes before the assertion looks at it.
  const broken = follow((event) => {
    if (event.seq === 2) throw new Error('a renderer bug');
  }).then(() => 'ended', (error: Error) => error.message);
  const fine = follow((event) => healthy.push(event));
  // Both followers are live before anything is published.
  await Promise.resolve();
  emitter.emit({ type: 'run.started', target: { kind: 'agent', id: 'chat' }, input: { text: 'hi' }, model: 'demo', agent });
  await emitter.flush();
  emitter.emit({ type: 'message.delta', messageId: 'm1', delta: 'hello', agent });
  await emitter.flush();
  await emitter.finish({ type: 'run.completed', output: 'hello', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, agent }, { status: 'completed', output: 'hello' });

  assert.equal(await broken, 'a renderer bug');
  assert.equal(await fine, 'ended');
  assert.deepEqual(healthy.map((event) => event.type), ['run.started', 'message.delta', 'run.completed']);
  assert.equal((await store.getRun(runId))?.status, 'completed', 'the run was stored to its end');
  assert.equal(bus.listenerCount(), 0);
  await store.close();
});
