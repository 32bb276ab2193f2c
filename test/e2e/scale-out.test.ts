import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { readSse } from '../../client/read-sse.ts';
import { createRedisBus } from '../../src/bus/redis/redis-bus.ts';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { startMain } from './support/start-main.ts';

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
const schema = uniqueTestSchema('scaleout');
const channelPrefix = `agentstream-test-${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * One instance of a scale-out deployment: the real server with its own PostgreSQL store and Redis bus objects,
 * on the schema and Redis every instance of this test shares. Liveness runs on short periods (config, not sleeps).
 * The resync timer is off, so a live event on another instance can only have come through Redis.
 */
async function startInstance(name: string, probe: ReturnType<typeof createProbeProvider>): Promise<TestServer> {
  const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
  const bus = await createRedisBus({ url: TEST_REDIS_URL, channelPrefix, name: `agentstream-test-${name}` });
  return startTestServer({ runHeartbeatMs: 50, runStaleAfterMs: 1000, followResyncMs: 0 }, { providers: [probe.provider], store, bus });
}

async function startBackgroundRun(server: TestServer, input: string): Promise<string> {
  const response = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input, model: 'probe:slow', background: true });
  assert.equal(response.status, 202);
  return ((await response.json()) as { runId: string }).runId;
}

/** Follows a run's native SSE stream to its end, calling `onEvent` per event (e.g. to act mid-run). */
async function follow(url: string, runId: string, options: { afterSeq?: number; onEvent?: (event: RunEvent) => void } = {}): Promise<RunEvent[]> {
  const headers: Record<string, string> = options.afterSeq === undefined ? {} : { 'last-event-id': String(options.afterSeq) };
  const response = await fetch(`${url}/v1/runs/${runId}/events`, { headers });
  assert.equal(response.status, 200);
  const events: RunEvent[] = [];
  await readSse(response, (frame) => {
    const event = JSON.parse(frame.data) as RunEvent;
    assert.equal(frame.id, String(event.seq));
    events.push(event);
    options.onEvent?.(event);
  });
  return events;
}

const getRun = async (server: TestServer, runId: string) => (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as { status: string; error: { code: string } | null; lastSeq: number };

describe('several instances sharing PostgreSQL and Redis', { skip, timeout: 60_000 }, () => {
  const probeA = createProbeProvider(15);
  const probeB = createProbeProvider(15);
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startInstance('a', probeA);
    b = await startInstance('b', probeB);
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await dropTestSchema(schema);
  });

  it('follows on B a run executing on A, from seq 0 and from the middle: every event once, in order', async () => {
    const runId = await startBackgroundRun(a, 'Tell me a long story about two servers');
    let fromMiddle: Promise<RunEvent[]> | undefined;
    const whole = await follow(b.url, runId, {
      onEvent: (event) => {
        if (event.seq === 4) fromMiddle = follow(b.url, runId, { afterSeq: 4 });
      },
    });
    assertWellFormedRun(whole);
    assert.equal(whole.at(-1)?.type, 'run.completed');
    assert.ok(fromMiddle, 'the run was still live at seq 4');
    assert.deepEqual(await fromMiddle, whole.slice(4));
    assert.equal(probeB.signals.length, 0, 'B executed nothing');
    assert.deepEqual(await collectRunEvents(await fetch(`${a.url}/v1/runs/${runId}/events`)), whole, 'A replays the same stored events');
    assert.equal((await getRun(b, runId)).status, 'completed');
  });

  it('cancels through B a run executing on A: the model call on A is aborted and the run ends run.cancelled', async () => {
    const runId = await startBackgroundRun(a, 'Tell me a long story that gets cancelled');
    let cancelled: Promise<Response> | undefined;
    const events = await follow(b.url, runId, {
      onEvent: (event) => {
        if (event.type === 'message.delta' && !cancelled) cancelled = fetch(`${b.url}/v1/runs/${runId}/cancel`, { method: 'POST' });
      },
    });
    const response = await cancelled!;
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'cancelled');
    assertWellFormedRun(events);
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    assert.ok(probeA.signals.at(-1)?.aborted, "the model's AbortSignal on A fired");
    assert.equal(a.server.runs.activeCount, 0);
  });

  it('a starting instance leaves alone the runs live instances are executing', async () => {
    const runId = await startBackgroundRun(a, 'Tell me a long story while a third instance starts');
    let started: Promise<{ c: TestServer; statusOnceStarted: string }> | undefined;
    const events = await follow(b.url, runId, {
      onEvent: (event) => {
        if (event.type === 'message.delta' && !started) {
          started = startInstance('c', createProbeProvider(0)).then(async (c) => ({ c, statusOnceStarted: (await getRun(c, runId)).status }));
        }
      },
    });
    const { c, statusOnceStarted } = await started!;
    await c.close();
    assert.equal(statusOnceStarted, 'running', 'the run was still executing on A when C had finished starting');
    assert.equal(events.at(-1)?.type, 'run.completed', 'start-up recovery did not fail a run whose owner is alive');
    assertWellFormedRun(events);
  });

  it('when the instance executing a run dies, another instance resumes it and its follower on B sees it complete', async () => {
    const probeDoomed = createProbeProvider(15);
    const doomed = await startInstance('doomed', probeDoomed);
    const runId = await startBackgroundRun(doomed, 'Tell me a long story and then crash');
    let died: Promise<void> | undefined;
    try {
      const events = await follow(b.url, runId, {
        onEvent: (event) => {
          // Simulate a crash: the store and bus go away under the run; the run manager never ends it.
          if (event.type === 'message.delta' && !died) died = (async () => {
            await doomed.server.app.close();
            await doomed.server.bus.close();
            await doomed.server.store.close();
          })();
        },
      });
      await died;
      assertWellFormedRun(events);
      const last = events.at(-1);
      assert.ok(last?.type === 'run.completed', `the follower ended with ${last?.type}`);
      const resumed = events.find((event) => event.type === 'run.resumed');
      assert.ok(resumed?.type === 'run.resumed' && resumed.attempt === 2, 'resumed in a second attempt');
      assert.ok(probeA.signals.length + probeB.signals.length > 0, 'a live instance executed the rest');
      const run = await getRun(a, runId);
      assert.equal(run.status, 'completed');
      assert.equal(run.lastSeq, last.seq);
    } finally {
      await doomed.server.runs.close().catch(() => {});
    }
  });
});


describe('main picks the shared adapters from the environment', { skip, timeout: 60_000 }, () => {
  const mainSchema = uniqueTestSchema('main');
  before(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${mainSchema}`);
    await client.end();
  });
  after(() => dropTestSchema(mainSchema));

  it('DATABASE_URL and REDIS_URL select PostgreSQL and Redis', async () => {
    const databaseUrl = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${mainSchema}`)}`;
    const main = startMain({ DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL, AGENTSTREAM_REDIS_CHANNEL_PREFIX: channelPrefix });
    const { url } = await main.listening;
    assert.ok(url, main.stderr());
    try {
      const ready = (await (await fetch(`${url}/ready`)).json()) as { store: string; bus: string };
      assert.deepEqual([ready.store, ready.bus], ['postgres', 'redis']);
      const run = (await (await postJson(`${url}/v1/runs`, { agent: 'chat', input: 'hello there', stream: false })).json()) as { status: string; runId: string };
      assert.equal(run.status, 'completed');
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      const { rows } = await client.query(`SELECT status FROM ${mainSchema}.runs`);
      await client.end();
      assert.deepEqual(rows.map((row) => row.status), ['completed']);
    } finally {
      const exited = new Promise((resolve) => main.child.on('exit', resolve));
      main.child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('refuses a DATABASE_URL that is not PostgreSQL, with exit code 78', async () => {
    const main = startMain({ DATABASE_URL: 'mysql://root@127.0.0.1/test' });
    const { code } = await main.listening;
    assert.equal(code, 78);
    assert.match(main.stderr(), /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
  });
});
