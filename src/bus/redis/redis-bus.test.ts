import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { RunEvent } from '../../events/run-event.ts';
import { followRun } from '../../runs/follow-run.ts';
import { createSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { describeBusContract } from '../bus-contract.ts';
import { createRedisBus } from './redis-bus.ts';
import { redisSkipReason, TEST_REDIS_URL } from './redis-test-connection.ts';

const skip = await redisSkipReason();
// A prefix of its own, so test runs sharing one Redis never hear each other's control messages.
const channelPrefix = `agentstream-test-${process.pid}-${randomBytes(4).toString('hex')}`;

describeBusContract('redis', () => createRedisBus({ url: TEST_REDIS_URL, channelPrefix }), { skip });

const agent = { id: 'chat', name: 'chat', role: 'agent' as const, path: [] };
const delta = (runId: string, seq: number): RunEvent => ({ type: 'message.delta', messageId: 'm1', delta: `word${seq} `, runId, seq, ts: new Date().toISOString(), agent });

/** Resolves with the first message on `channel`, received by a plain Redis connection. */
async function firstMessage(channel: string): Promise<{ done: Promise<string>; close(): void }> {
  const listener = new Redis(TEST_REDIS_URL);
  await listener.subscribe(channel);
  const done = new Promise<string>((resolve) => listener.once('message', (_channel: string, message: string) => resolve(message)));
  return { done, close: () => listener.disconnect() };
}

describe('redis bus', { skip, timeout: 20_000 }, () => {
  it('publishes a batch as one message of newline-separated event JSON on agentstream:run:<runId>, control on agentstream:control', async () => {
    const bus = await createRedisBus({ url: TEST_REDIS_URL });
    const runId = `run_${randomUUID()}`;
    const onRun = await firstMessage(`agentstream:run:${runId}`);
    const onControl = await firstMessage('agentstream:control');
    try {
      const events = [delta(runId, 1), delta(runId, 2)];
      bus.publish(runId, events);
      assert.equal(await onRun.done, `${JSON.stringify(events[0])}\n${JSON.stringify(events[1])}`);
      bus.publishControl({ type: 'cancel', runId, reason: 'because' });
      assert.deepEqual(JSON.parse(await onControl.done), { type: 'cancel', runId, reason: 'because' });
    } finally {
      onRun.close();
      onControl.close();
      await bus.close();
    }
  });

  it('ignores malformed messages on its channels and keeps delivering', async () => {
    const bus = await createRedisBus({ url: TEST_REDIS_URL, channelPrefix });
    const raw = new Redis(TEST_REDIS_URL);
    const runId = `run_${randomUUID()}`;
    try {
      const received: RunEvent[] = [];
      let gotOne!: () => void;
      const arrived = new Promise<void>((resolve) => (gotOne = resolve));
      bus.subscribe(runId, (event) => {
        received.push(event);
        gotOne();
      });
      await bus.whenSubscribed(runId);
      await raw.publish(`${channelPrefix}:run:${runId}`, 'not json');
      await raw.publish(`${channelPrefix}:control`, '{"type":"explode"}');
      bus.publish(runId, [delta(runId, 1)]);
      await arrived;
      assert.deepEqual(received.map((event) => event.seq), [1]);
    } finally {
      raw.disconnect();
      await bus.close();
    }
  });

  it('resubscribes after its connection is killed; the follower fills what was lost from the store', async () => {
    const name = `agentstream-test-${randomBytes(4).toString('hex')}`;
    const bus = await createRedisBus({ url: TEST_REDIS_URL, channelPrefix, name });
    const admin = new Redis(TEST_REDIS_URL);
    const store = createSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'agentstream-redis-')), 'follow.db') });
    try {
      const run = await store.createRun({ id: `run_${randomUUID()}`, target: { kind: 'agent', id: 'chat' }, sessionId: 'ses_redis', model: 'demo', input: 'hi', metadata: null });
      const seen: number[] = [];
      let sawFirst!: () => void;
      const firstSeen = new Promise<void>((resolve) => (sawFirst = resolve));
      // No resync timer: only the reconnect and the gap check can end this follower.
      const followed = followRun({ runId: run.id, afterSeq: 0, store, bus, signal: new AbortController().signal, resyncMs: 0, onEvent: (event) => {
        seen.push(event.seq);
        sawFirst();
      } });
      const first = [delta(run.id, 1)];
      await store.appendEvents(run.id, first);
      bus.publish(run.id, first);
      await firstSeen;

      const clients = String(await admin.client('LIST')).split('\n');
      const subscriberId = /id=(\d+) .*name=(\S+)/.exec(clients.find((line) => line.includes(`name=${name}:subscriber`)) ?? '')?.[1];
      assert.ok(subscriberId, 'the bus names its subscriber connection');
      await admin.client('KILL', 'ID', subscriberId);
      // Published while the subscriber is away: Redis drops it (pub/sub is at most once).
      const lost = [delta(run.id, 2)];
      await store.appendEvents(run.id, lost);
      await admin.publish(`${channelPrefix}:run:${run.id}`, JSON.stringify(lost[0]));

      // A subscription made after the kill is acknowledged only once the connection is back, after the resubscribe.
      const probeRunId = `run_probe_${randomUUID()}`;
      const stopProbe = bus.subscribe(probeRunId, () => {});
      await bus.whenSubscribed(probeRunId);
      stopProbe();
      const last: RunEvent[] = [{ type: 'run.completed', output: 'x', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, runId: run.id, seq: 3, ts: new Date().toISOString(), agent }];
      await store.appendEvents(run.id, last);
      bus.publish(run.id, last);
      assert.equal(await followed, 'ended');
      assert.deepEqual(seen, [1, 2, 3]);
    } finally {
      admin.disconnect();
      await store.close();
      await bus.close();
    }
  });

  it('refuses to start when Redis does not answer, naming it without the password', async () => {
    await assert.rejects(createRedisBus({ url: 'redis://:secret@127.0.0.1:1' }), (error: Error) => {
      assert.match(error.message, /Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 did not answer/);
      return true;
    });
  });
});
