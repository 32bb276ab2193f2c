import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readSse } from '../../client/read-sse.ts';
import { createRedisBus } from '../../src/bus/redis/redis-bus.ts';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { createGatedProvider } from './support/gated-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
const schema = uniqueTestSchema('sessions');
const channelPrefix = `agentstream-test-${process.pid}-${randomBytes(4).toString('hex')}`;

type Json = Record<string, any>;

/** One instance sharing the test's PostgreSQL schema and Redis; a long resync period, so what arrives live came through Redis. */
async function startInstance(name: string, gate: ReturnType<typeof createGatedProvider>): Promise<TestServer> {
  const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
  const bus = await createRedisBus({ url: TEST_REDIS_URL, channelPrefix, name: `agentstream-test-${name}` });
  return startTestServer({ runHeartbeatMs: 50, runStaleAfterMs: 1000, followResyncMs: 60_000 }, { providers: [gate.provider], store, bus });
}

async function start(server: TestServer, body: Json): Promise<{ status: number; body: Json }> {
  const response = await postJson(`${server.url}/v1/runs`, { agent: 'chat', background: true, ...body });
  return { status: response.status, body: (await response.json()) as Json };
}

const eventsOf = async (server: TestServer, runId: string) => collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));

describe('sessions across instances sharing PostgreSQL and Redis', { skip, timeout: 60_000 }, () => {
  const gateA = createGatedProvider();
  const gateB = createGatedProvider();
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startInstance('a', gateA);
    b = await startInstance('b', gateB);
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await dropTestSchema(schema);
  });

  it('two messages for one session at once, one per instance: exactly one is admitted (reject)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const sessionId = `ses_race_${round}`;
      const answers = await Promise.all([
        start(a, { input: `race ${round} on a`, model: 'gate:hold', sessionId }),
        start(b, { input: `race ${round} on b`, model: 'gate:hold', sessionId }),
      ]);
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [202, 409], `round ${round}: ${JSON.stringify(answers.map((answer) => answer.body))}`);
      const winner = answers.find((answer) => answer.status === 202)!;
      assert.equal(answers.find((answer) => answer.status === 409)!.body.error.details.runId, winner.body.runId);
      gateA.release(`race ${round} on a`);
      gateB.release(`race ${round} on b`);
      await eventsOf(a, winner.body.runId);
    }
  });

  it('a session stream on B follows a run admitted on A, live, and an enqueued run from B starts once A\'s run ends', async () => {
    const sessionId = 'ses_across';
    const first = await start(a, { input: 'across one', model: 'gate:echo', sessionId });
    await eventsOf(a, first.body.runId);
    const controller = new AbortController();
    const response = await fetch(`${b.url}/v1/sessions/${sessionId}/events`, { signal: controller.signal });
    assert.equal(response.status, 200);
    const frames: { id: string; event: RunEvent }[] = [];
    let sawSecondDelta!: () => void;
    const secondDelta = new Promise<void>((resolve) => (sawSecondDelta = resolve));
    const reading = readSse(response, (frame) => {
      const event = JSON.parse(frame.data) as RunEvent;
      frames.push({ id: frame.id!, event });
      if (frame.id!.startsWith('2:') && event.type === 'message.delta') sawSecondDelta();
      if (frame.id!.startsWith('3:') && event.type === 'run.completed') controller.abort();
    }).catch((error: unknown) => {
      if (!controller.signal.aborted) throw error;
    });
    const second = await start(a, { input: 'across two', model: 'gate:hold', sessionId });
    assert.equal(second.status, 202);
    // Live on B, well before B's own look at the store (60 s): A's announcement and events came through Redis.
    await secondDelta;
    const third = await start(b, { input: 'across three', model: 'gate:echo', sessionId, multitask: 'enqueue' });
    assert.equal(third.status, 202);
    assert.equal(third.body.status, 'queued');
    gateA.release('across two');
    await reading;
    const expected = [
      ...(await eventsOf(a, first.body.runId)).map((event) => `1:${event.seq}`),
      ...(await eventsOf(a, second.body.runId)).map((event) => `2:${event.seq}`),
      ...(await eventsOf(b, third.body.runId)).map((event) => `3:${event.seq}`),
    ];
    assert.deepEqual(frames.map((frame) => frame.id), expected);
    const call = await gateA.whenCalled('across three');
    assert.deepEqual(call.history.map((turn) => turn.text), ['across one', 'answer to across one', 'across two', 'partial answer to across two and the rest'], 'the enqueued run sees the runs before it');
  });
});
