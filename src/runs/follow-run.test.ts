import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createInProcessBus } from '../bus/in-process/in-process-bus.ts';
import type { RunEvent } from '../events/run-event.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { followRun } from './follow-run.ts';

const agent = { id: 'chat', name: 'chat', role: 'agent' as const, path: [] };
const delta = (runId: string, seq: number): RunEvent => ({ type: 'message.delta', messageId: 'm1', delta: `word${seq} `, runId, seq, ts: new Date().toISOString(), agent });

async function openRun() {
  const store = createSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'agentstream-follow-')), 'follow.db') });
  const bus = createInProcessBus();
  const run = await store.createRun({ id: 'run_follow', target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_follow', model: 'demo', input: 'hi', metadata: null });
  return { store, bus, runId: run.id };
}

test('a follower ends though the terminal event was stored and never published (a lost message)', { timeout: 10_000 }, async () => {
  const { store, bus, runId } = await openRun();
  const seen: RunEvent[] = [];
  let sawSecond!: () => void;
  const secondSeen = new Promise<void>((resolve) => (sawSecond = resolve));
  const followed = followRun({ runId, afterSeq: 0, store, bus, signal: new AbortController().signal, resyncMs: 50, onEvent: (event) => {
    seen.push(event);
    if (event.seq === 2) sawSecond();
  } });
  const live = [delta(runId, 1), delta(runId, 2)];
  await store.appendEvents(runId, live);
  bus.publish(runId, live);
  await secondSeen;
  // The publisher stores the terminal event and dies before publishing it: only the store has it.
  await store.appendEvents(runId, [{ type: 'run.failed', error: { code: 'interrupted', message: 'gone' }, runId, seq: 3, ts: new Date().toISOString(), agent }]);
  assert.equal(await followed, 'ended');
  assert.deepEqual(seen.map((event) => [event.seq, event.type]), [[1, 'message.delta'], [2, 'message.delta'], [3, 'run.failed']]);
  await store.close();
});

test('a follower fills a hole in the live stream from the store at once', { timeout: 10_000 }, async () => {
  const { store, bus, runId } = await openRun();
  const seen: number[] = [];
  const followed = followRun({ runId, afterSeq: 0, store, bus, signal: new AbortController().signal, resyncMs: 60_000, onEvent: (event) => seen.push(event.seq) });
  await bus.whenSubscribed(runId);
  const events = [delta(runId, 1), delta(runId, 2), delta(runId, 3), { type: 'run.completed', output: 'x', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, runId, seq: 4, ts: new Date().toISOString(), agent } as RunEvent];
  await store.appendEvents(runId, events);
  bus.publish(runId, events.slice(0, 1));
  // seq 2 and 3 are lost on the bus; seq 4 arrives and shows the hole, which the store fills.
  bus.publish(runId, events.slice(3));
  assert.equal(await followed, 'ended');
  assert.deepEqual(seen, [1, 2, 3, 4]);
  await store.close();
});

test('a reader that is slow while a run goes on live gets every event once, in order (its live buffer overflows; the rest comes from the store)', { timeout: 30_000 }, async () => {
  const { store, bus, runId } = await openRun();
  // 600 events stored before the reader comes: its replay starts from the store.
  const stored = Array.from({ length: 600 }, (_, index) => delta(runId, index + 1));
  await store.appendEvents(runId, stored);
  const seen: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let paused = true;
  let sawFirst!: () => void;
  const firstSeen = new Promise<void>((resolve) => (sawFirst = resolve));
  const followed = followRun({
    runId, afterSeq: 0, store, bus, signal: new AbortController().signal, resyncMs: 60_000,
    onEvent: (event) => {
      seen.push(event.seq);
      if (event.seq === 1) sawFirst();
    },
    // The reader takes its first event, then nothing until released.
    readerBusy: () => (paused ? released : undefined),
  });
  await firstSeen;
  // Meanwhile the run goes on live: 3000 more events, far past the follower's live buffer (1024).
  for (let seq = 601; seq <= 3600; seq += 100) {
    const batch = Array.from({ length: 100 }, (_, index) => delta(runId, seq + index));
    await store.appendEvents(runId, batch);
    bus.publish(runId, batch);
  }
  const end = { type: 'run.completed', output: 'x', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, runId, seq: 3601, ts: new Date().toISOString(), agent } as RunEvent;
  await store.appendEvents(runId, [end]);
  bus.publish(runId, [end]);
  paused = false;
  release();
  assert.equal(await followed, 'ended');
  assert.equal(seen.length, 3601);
  seen.forEach((seq, index) => assert.equal(seq, index + 1));
  await store.close();
});
