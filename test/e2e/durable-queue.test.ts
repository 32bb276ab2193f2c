import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { readSse } from '../../client/read-sse.ts';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { assertResumedToCompletion, assertWellFormedRun } from './support/assert-run.ts';
import { startMain, type MainProcess } from './support/main-process.ts';
import { collectRunEvents, postJson } from './support/sse.ts';

// The scale-out shape for real: API instances and workers as separate processes of src/main.ts, sharing
// PostgreSQL (a schema of this test's own) and Redis (a key prefix of its own), runs going through the BullMQ queue.
// Workers are killed with SIGKILL and stopped with SIGTERM mid-run; the runs they held complete elsewhere.

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
const schema = uniqueTestSchema('queue');
const prefix = `agentstream-queue-${process.pid}-${randomBytes(4).toString('hex')}`;
const databaseUrl = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

const shapeEnv = (redisUrl = TEST_REDIS_URL) => ({
  DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, AGENTSTREAM_REDIS_CHANNEL_PREFIX: prefix, DEMO_TOKEN_DELAY_MS: '15',
  // Short liveness periods so a dead worker's runs move within a few seconds: configuration, not sleeps.
  AGENTSTREAM_WORKER_LOCK_MS: '2000', AGENTSTREAM_RUN_HEARTBEAT_MS: '200', AGENTSTREAM_RUN_STALE_AFTER_MS: '1500',
});

const startRole = (role: 'api' | 'worker', env: Record<string, string> = {}) => startMain({ ...shapeEnv(), AGENTSTREAM_ROLE: role, ...env });

type Ready = { status: string; executing?: number; executed?: number; queue?: string };
const ready = async (process: MainProcess) => (await (await fetch(`${process.url}/ready`)).json()) as Ready;

async function stop(process: MainProcess | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null) return;
  process.child.kill('SIGTERM');
  await process.exited;
}

async function kill(process: MainProcess): Promise<void> {
  process.child.kill('SIGKILL');
  await process.exited;
}

/** Starts a background run through `api`, returns its id. */
async function startRun(api: MainProcess, body: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${api.url}/v1/runs`, { ...body, background: true });
  assert.equal(response.status, 202, await response.clone().text());
  return ((await response.json()) as { runId: string }).runId;
}

/** Reads a run's native stream until `enough` events have arrived; the rest of the stream goes on in `done`. */
async function readUntil(url: string, runId: string, enough: (events: RunEvent[]) => boolean): Promise<{ events: RunEvent[]; done: Promise<RunEvent[]> }> {
  const response = await fetch(`${url}/v1/runs/${runId}/events`);
  const events: RunEvent[] = [];
  let reached!: () => void;
  const underWay = new Promise<void>((resolve) => (reached = resolve));
  const done = readSse(response, (frame) => {
    events.push(JSON.parse(frame.data) as RunEvent);
    if (enough(events)) reached();
  }).then(() => events);
  await Promise.race([underWay, done]);
  return { events, done };
}

const deltas = (count: number) => (events: RunEvent[]) => events.filter((event) => event.type === 'message.delta').length >= count;

describe('the queue shape: API instances and workers in separate processes', { skip, timeout: 600_000 }, () => {
  let apiA: MainProcess;
  let apiB: MainProcess;
  const workers: MainProcess[] = [];
  before(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    [apiA, apiB] = await Promise.all([startRole('api'), startRole('api')]);
  });
  after(async () => {
    await Promise.all([...workers, apiA, apiB].map(stop));
    await dropTestSchema(schema);
  });

  it('an api instance executes nothing and a worker serves only /health and /ready', async () => {
    assert.deepEqual((await ready(apiA)).queue, 'up');
    const worker = await startRole('worker');
    workers.push(worker);
    assert.equal((await fetch(`${worker.url}/health`)).status, 200);
    const refused = await postJson(`${worker.url}/v1/runs`, { agent: 'chat', input: 'hi' });
    assert.equal(refused.status, 404);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'not_found');
    const runId = await startRun(apiA, { agent: 'chat', input: 'hello over the queue' });
    const events = await collectRunEvents(await fetch(`${apiB.url}/v1/runs/${runId}/events`));
    assertWellFormedRun(events);
    assert.equal(events.at(-1)!.type, 'run.completed');
    assert.equal((await ready(worker)).executed, 1, 'the worker executed it');
  });

  it('start on A, stream from B, resume on A from the middle; cancel through B ends the run wherever it executes', async () => {
    const runId = await startRun(apiA, { agent: 'chat', input: 'Tell me a long story about queues' });
    const partial = await readUntil(apiB.url, runId, (events) => events.length >= 6);
    const resumed = await collectRunEvents(await fetch(`${apiA.url}/v1/runs/${runId}/events`, { headers: { 'last-event-id': '6' } }));
    const whole = await partial.done;
    assertWellFormedRun(whole);
    assert.deepEqual(resumed, whole.slice(6));

    const cancelled = await startRun(apiA, { agent: 'chat', input: 'Tell me a very long story that gets cancelled' });
    const reader = await readUntil(apiA.url, cancelled, deltas(3));
    const response = await fetch(`${apiB.url}/v1/runs/${cancelled}/cancel`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'cancelled');
    const events = await reader.done;
    assertWellFormedRun(events);
    assert.equal(events.at(-1)!.type, 'run.cancelled');
  });

  it('kill -9 the worker running an agent and a team: both complete on the other worker, gapless, one end, nothing twice', async () => {
    await Promise.all(workers.splice(0).map(stop));
    // Paced slowly, so the runs are still going when the second worker is up and the first is killed.
    const doomed = await startRole('worker', { DEMO_TOKEN_DELAY_MS: '150' });
    workers.push(doomed);
    const agentRun = await startRun(apiA, { agent: 'assistant', input: 'What is 12 * (3 + 4)? Then tell me a long story about it' });
    const teamRun = await startRun(apiB, { team: 'research', input: 'AI trends in 2024' });
    const readers = await Promise.all([
      readUntil(apiA.url, agentRun, (events) => events.some((event) => event.type === 'tool.completed') && deltas(3)(events)),
      readUntil(apiB.url, teamRun, deltas(3)),
    ]);
    await kill(doomed);
    // Only now does a second worker exist: whatever the first held, the second can only have by taking it over.
    const survivor = await startRole('worker');
    workers.push(survivor);
    const [agentEvents, teamEvents] = await Promise.all(readers.map((reader) => reader.done));
    assertResumedToCompletion(agentEvents, 'agent run');
    assertResumedToCompletion(teamEvents, 'team run');
    assert.equal(agentEvents.filter((event) => event.type === 'tool.completed').length, 1, 'the calculator ran once');
    assert.equal((await ready(survivor)).executed, 2);
  });

  it('a run paused for input holds no worker: the worker that paused it dies, another resumes it after the answer', async () => {
    await Promise.all(workers.splice(0).map(stop));
    const pausing = await startRole('worker');
    workers.push(pausing);
    const runId = await startRun(apiA, { agent: 'supervised', input: 'What is 12 * 7?' });
    const reader = await readUntil(apiB.url, runId, (events) => events.some((event) => event.type === 'run.awaiting_input'));
    const pause = reader.events.find((event) => event.type === 'run.awaiting_input') as RunEvent & { pending: { toolCallId: string }[] };
    await kill(pausing);
    const resuming = await startRole('worker');
    workers.push(resuming);
    const answer = await postJson(`${apiA.url}/v1/runs/${runId}/input`, { decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'approve' }] });
    assert.equal(answer.status, 200, await answer.clone().text());
    const events = await reader.done;
    assertWellFormedRun(events);
    assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index + 1), 'one gapless stream through the pause, from another API instance');
    assert.ok(!events.some((event) => event.type === 'run.resumed'), 'a pause is not a lost worker');
    assert.equal(events.filter((event) => event.type === 'tool.completed').length, 1);
    assert.equal(events.at(-1)!.type, 'run.completed');
    assert.equal((await ready(resuming)).executed, 1, 'the other worker executed the rest');
  });

  it('SIGTERM a worker mid-run with no grace: the run moves to the other worker at once and completes', async () => {
    await Promise.all(workers.splice(0).map(stop));
    const leaving = await startRole('worker', { AGENTSTREAM_SHUTDOWN_GRACE_MS: '0', DEMO_TOKEN_DELAY_MS: '150' });
    workers.push(leaving);
    const runId = await startRun(apiA, { agent: 'chat', input: 'Tell me a long story about deploys' });
    const reader = await readUntil(apiA.url, runId, deltas(3));
    await stop(leaving);
    const next = await startRole('worker');
    workers.push(next);
    const events = await reader.done;
    assertResumedToCompletion(events, 'handed-over run');
    const resumed = events.find((event) => event.type === 'run.resumed');
    assert.ok(resumed?.type === 'run.resumed' && /handed over/.test(resumed.reason), resumed?.type === 'run.resumed' ? resumed.reason : 'no run.resumed');
  });

  it('a backlog larger than the workers drains in submission order, and two workers share the load', async () => {
    await Promise.all(workers.splice(0).map(stop));
    // No worker yet: the runs wait in the queue, in order, admitted through both API instances.
    const submit = async (count: number, label: string) => {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) ids.push(await startRun(index % 2 ? apiB : apiA, { agent: 'chat', input: `${label} ${index}` }));
      return ids;
    };
    const startsOf = async (ids: string[]) => {
      await Promise.all(ids.map(async (runId) => assert.equal((await collectRunEvents(await fetch(`${apiA.url}/v1/runs/${runId}/events`))).at(-1)!.type, 'run.completed')));
      return Promise.all(ids.map(async (runId) => Date.parse(((await (await fetch(`${apiA.url}/v1/runs/${runId}`)).json()) as { startedAt: string }).startedAt)));
    };
    const ordered = await submit(5, 'Backlog story');
    const single = await startRole('worker', { AGENTSTREAM_WORKER_CONCURRENCY: '1' });
    workers.push(single);
    const starts = await startsOf(ordered);
    assert.deepEqual([...starts].sort((left, right) => left - right), starts, 'one slot: started one after the other, in submission order');
    await stop(workers.pop());

    // Both workers up (and listening on the queue) before the runs arrive: then one slot each shares them.
    const pair = await Promise.all([startRole('worker', { AGENTSTREAM_WORKER_CONCURRENCY: '1' }), startRole('worker', { AGENTSTREAM_WORKER_CONCURRENCY: '1' })]);
    workers.push(...pair);
    const shared = await submit(6, 'Tell me a long shared story');
    await startsOf(shared);
    const executed = await Promise.all(pair.map(async (worker) => (await ready(worker)).executed ?? 0));
    assert.equal(executed[0] + executed[1], 6);
    assert.ok(executed.every((count) => count > 0), `both workers took some: ${executed.join(', ')}`);
  });
});

/** A free loopback port, for a Redis of this test's own. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server (no persistence) that the test can stop and start: the shared one stays up for everyone else. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return child;
}

describe('the queue shape when Redis goes away', { skip, timeout: 120_000 }, () => {
  const lostSchema = uniqueTestSchema('queuelost');
  const lostDatabaseUrl = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${lostSchema}`)}`;
  before(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${lostSchema}`);
    await client.end();
  });
  after(() => dropTestSchema(lostSchema));

  it('finished runs still replay, /ready names the queue, starts get 503; runs accepted before are not lost when Redis returns empty', async () => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    let redis = await startRedis(port);
    const env = { ...shapeEnv(redisUrl), DATABASE_URL: lostDatabaseUrl };
    const api = await startMain({ ...env, AGENTSTREAM_ROLE: 'api' });
    let worker: MainProcess | undefined = await startMain({ ...env, AGENTSTREAM_ROLE: 'worker' });
    try {
      const finished = await startRun(api, { agent: 'chat', input: 'A short hello' });
      const stored = await collectRunEvents(await fetch(`${api.url}/v1/runs/${finished}/events`));
      assert.equal(stored.at(-1)!.type, 'run.completed');
      await stop(worker);
      worker = undefined;
      // Accepted while no worker runs: their jobs are in Redis only, and Redis is about to lose them.
      const waiting = [await startRun(api, { agent: 'chat', input: 'Queued story one' }), await startRun(api, { agent: 'chat', input: 'Queued story two' })];
      redis.kill('SIGKILL');
      await new Promise((resolve) => redis.once('exit', resolve));

      let readiness: Response;
      do readiness = await fetch(`${api.url}/ready`); while (readiness.status === 200);
      assert.equal(readiness.status, 503);
      const body = (await readiness.json()) as { error: { code: string; details: { store: string; queue: string } } };
      assert.deepEqual([body.error.code, body.error.details.store, body.error.details.queue], ['not_ready', 'up', 'down']);
      const refused = await postJson(`${api.url}/v1/runs`, { agent: 'chat', input: 'now?' });
      assert.equal(refused.status, 503);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'executor_unavailable');
      assert.ok(refused.headers.get('retry-after'));
      // The finished run replays from PostgreSQL alone, byte for byte the same events.
      assert.deepEqual(await collectRunEvents(await fetch(`${api.url}/v1/runs/${finished}/events`)), stored);
      assert.equal(((await (await fetch(`${api.url}/v1/runs/${finished}`)).json()) as { status: string }).status, 'completed');

      // Redis comes back empty (no persistence): the runs it lost are queued again from PostgreSQL and complete.
      redis = await startRedis(port);
      do readiness = await fetch(`${api.url}/ready`); while (readiness.status !== 200);
      worker = await startMain({ ...env, AGENTSTREAM_ROLE: 'worker' });
      for (const runId of waiting) {
        const events = await collectRunEvents(await fetch(`${api.url}/v1/runs/${runId}/events`));
        assertWellFormedRun(events);
        assert.equal(events.at(-1)!.type, 'run.completed');
      }
    } finally {
      await stop(worker);
      await stop(api);
      redis.kill('SIGKILL');
    }
  });
});
