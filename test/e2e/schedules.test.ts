import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/** A clock the test moves by hand; the scheduler reads it and the test calls `scheduler.tick()`. */
function testClock(iso: string) {
  let now = Date.parse(iso);
  return { now: () => now, set: (next: string) => { now = Date.parse(next); } };
}

// Only the pass at start-up and the ones a test calls: the timer's own passes come an hour apart.
const quietScheduler = { schedulerTickMs: 3_600_000 };

type Schedule = { id: string; cron: string; timezone: string; enabled: boolean; nextRunAt: string | null; lastRunAt: string | null; input: string; sessionId: string | null; target: { kind: string; id: string } };
type RunList = { runs: { id: string; status: string; metadata: { scheduleId?: string; scheduledFor?: string } | null; target: { id: string }; sessionId: string }[] };

function call(server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function expectError(response: Response, status: number, code: string) {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, code, text);
}

const runsOf = async (server: TestServer, scheduleId: string) => ((await (await call(server, 'GET', `/v1/runs?scheduleId=${scheduleId}`)).json()) as RunList).runs;

describe('schedules', { timeout: 60_000 }, () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('creates, reads, lists, updates and deletes a schedule; refuses a bad cron, zone or target', async () => {
    const clock = testClock('2030-01-01T00:00:30.000Z');
    const server = await startTestServer(quietScheduler, { clock });
    cleanup.push(() => server.close());
    const created = await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'Daily digest', cron: '*/5 * * * *', timezone: 'UTC' });
    assert.equal(created.status, 201);
    const schedule = (await created.json()) as Schedule;
    assert.match(schedule.id, /^sch_/);
    assert.deepEqual({ ...schedule, id: undefined }, {
      id: undefined, target: { kind: 'agent', id: 'assistant' }, input: 'Daily digest', cron: '*/5 * * * *', timezone: 'UTC', sessionId: null, enabled: true,
      nextRunAt: '2030-01-01T00:05:00.000Z', lastRunAt: null, createdAt: '2030-01-01T00:00:30.000Z', updatedAt: '2030-01-01T00:00:30.000Z',
    });
    assert.deepEqual(await (await call(server, 'GET', `/v1/schedules/${schedule.id}`)).json(), schedule);
    assert.deepEqual(((await (await call(server, 'GET', '/v1/schedules')).json()) as { schedules: Schedule[] }).schedules.map((entry) => entry.id), [schedule.id]);

    // 09:00 in Paris is 08:00 UTC in January.
    const moved = (await (await call(server, 'PATCH', `/v1/schedules/${schedule.id}`, { cron: '0 9 * * *', timezone: 'Europe/Paris', input: 'Morning' })).json()) as Schedule;
    assert.deepEqual([moved.cron, moved.timezone, moved.input, moved.nextRunAt], ['0 9 * * *', 'Europe/Paris', 'Morning', '2030-01-01T08:00:00.000Z']);
    const paused = (await (await call(server, 'PATCH', `/v1/schedules/${schedule.id}`, { enabled: false })).json()) as Schedule;
    assert.deepEqual([paused.enabled, paused.nextRunAt], [false, null]);
    const resumed = (await (await call(server, 'PATCH', `/v1/schedules/${schedule.id}`, { enabled: true })).json()) as Schedule;
    assert.equal(resumed.nextRunAt, '2030-01-01T08:00:00.000Z');

    await expectError(await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'x', cron: '61 * * * *' }), 422, 'invalid_cron');
    await expectError(await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'x', cron: 'every day' }), 422, 'invalid_cron');
    await expectError(await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'x', cron: '*/10 * * * * *' }), 422, 'invalid_cron');
    await expectError(await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'x', cron: '0 9 * * *', timezone: 'Mars/Olympus_Mons' }), 422, 'invalid_timezone');
    await expectError(await call(server, 'POST', '/v1/schedules', { agent: 'nobody', input: 'x', cron: '0 9 * * *' }), 404, 'agent_not_found');
    await expectError(await call(server, 'POST', '/v1/schedules', { team: 'nobody', input: 'x', cron: '0 9 * * *' }), 404, 'team_not_found');
    await expectError(await call(server, 'POST', '/v1/schedules', { agent: 'assistant', team: 'research', input: 'x', cron: '0 9 * * *' }), 422, 'validation_failed');
    await expectError(await call(server, 'PATCH', `/v1/schedules/${schedule.id}`, { cron: '0 25 * * *' }), 422, 'invalid_cron');
    await expectError(await call(server, 'PATCH', `/v1/schedules/${schedule.id}`, { agent: 'other' }), 422, 'validation_failed');
    assert.equal(((await (await call(server, 'GET', `/v1/schedules/${schedule.id}`)).json()) as Schedule).cron, '0 9 * * *', 'a refused update changes nothing');

    assert.equal((await call(server, 'DELETE', `/v1/schedules/${schedule.id}`)).status, 204);
    await expectError(await call(server, 'GET', `/v1/schedules/${schedule.id}`), 404, 'schedule_not_found');
    await expectError(await call(server, 'DELETE', `/v1/schedules/${schedule.id}`), 404, 'schedule_not_found');
    await expectError(await call(server, 'PATCH', `/v1/schedules/${schedule.id}`, { enabled: false }), 404, 'schedule_not_found');
  });

  it('keeps another tenant\'s schedules out of sight', async () => {
    const server = await startTestServer({ ...quietScheduler, apiKeys: 'acme:key-acme-1234567890,globex:key-globex-1234567890' });
    cleanup.push(() => server.close());
    const acme = { authorization: 'Bearer key-acme-1234567890' };
    const globex = { authorization: 'Bearer key-globex-1234567890' };
    const created = (await (await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'x', cron: '0 9 * * *' }, acme)).json()) as Schedule;
    assert.equal(((await (await call(server, 'GET', '/v1/schedules', undefined, acme)).json()) as { schedules: Schedule[] }).schedules.length, 1);
    assert.deepEqual(await (await call(server, 'GET', '/v1/schedules', undefined, globex)).json(), { schedules: [] });
    await expectError(await call(server, 'GET', `/v1/schedules/${created.id}`, undefined, globex), 404, 'schedule_not_found');
    await expectError(await call(server, 'PATCH', `/v1/schedules/${created.id}`, { enabled: false }, globex), 404, 'schedule_not_found');
    await expectError(await call(server, 'DELETE', `/v1/schedules/${created.id}`, undefined, globex), 404, 'schedule_not_found');
    assert.equal(((await (await call(server, 'GET', `/v1/schedules/${created.id}`, undefined, acme)).json()) as Schedule).enabled, true);
  });

  it('fires on time under a test clock, once per slot; the run is in the history with its schedule id; missed slots fire once', async () => {
    const clock = testClock('2030-01-01T00:00:30.000Z');
    const server = await startTestServer(quietScheduler, { clock });
    cleanup.push(() => server.close());
    const { scheduler } = server.server;
    await scheduler.tick();
    const schedule = (await (await call(server, 'POST', '/v1/schedules', { agent: 'assistant', input: 'What is 2 + 2?', cron: '*/5 * * * *', sessionId: 'ses_scheduled' })).json()) as Schedule;

    clock.set('2030-01-01T00:04:59.999Z');
    assert.deepEqual(await scheduler.tick(), [], 'not before its slot');
    clock.set('2030-01-01T00:05:00.000Z');
    const [runId] = await scheduler.tick();
    assert.ok(runId, 'fired at its slot');
    assert.deepEqual(await scheduler.tick(), [], 'a slot fires once');
    const ended = await server.server.runs.waitForEnd(runId);
    assert.equal(ended.status, 'completed');
    const history = await runsOf(server, schedule.id);
    assert.deepEqual(history.map((run) => [run.id, run.metadata, run.target.id, run.sessionId]), [[runId, { scheduleId: schedule.id, scheduledFor: '2030-01-01T00:05:00.000Z' }, 'assistant', 'ses_scheduled']]);
    const afterFire = (await (await call(server, 'GET', `/v1/schedules/${schedule.id}`)).json()) as Schedule;
    assert.deepEqual([afterFire.lastRunAt, afterFire.nextRunAt], ['2030-01-01T00:05:00.000Z', '2030-01-01T00:10:00.000Z']);

    // Down (or idle) across five slots: one run, for the latest of them.
    clock.set('2030-01-01T00:32:10.000Z');
    const late = await scheduler.tick();
    assert.equal(late.length, 1);
    assert.deepEqual(await scheduler.tick(), []);
    const again = (await (await call(server, 'GET', `/v1/schedules/${schedule.id}`)).json()) as Schedule;
    assert.deepEqual([again.lastRunAt, again.nextRunAt], ['2030-01-01T00:30:00.000Z', '2030-01-01T00:35:00.000Z']);
    assert.equal((await runsOf(server, schedule.id)).length, 2);
    await server.server.runs.waitForEnd(late[0]);
  });

  it('survives a restart: the next server on the data directory fires the slot it missed, once, at start-up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-schedules-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const clock = testClock('2030-01-01T00:00:30.000Z');
    const first = await startTestServer({ ...quietScheduler, dataDir }, { clock });
    const schedule = (await (await call(first, 'POST', '/v1/schedules', { agent: 'assistant', input: 'hi', cron: '0 * * * *' })).json()) as Schedule;
    await first.close({ keepData: true });

    clock.set('2030-01-01T03:20:00.000Z');
    const second = await startTestServer({ ...quietScheduler, dataDir }, { clock });
    cleanup.push(() => second.close());
    // The start-up pass is under way (or done): this waits for it.
    await second.server.scheduler.tick();
    const history = await runsOf(second, schedule.id);
    assert.deepEqual(history.map((run) => run.metadata?.scheduledFor), ['2030-01-01T03:00:00.000Z']);
    assert.equal(((await (await call(second, 'GET', `/v1/schedules/${schedule.id}`)).json()) as Schedule).nextRunAt, '2030-01-01T04:00:00.000Z');
    await second.server.runs.waitForEnd(history[0].id);
  });
});

const skip = await postgresSkipReason();
const queueSkip = skip ?? (await redisSkipReason());

// Two instances on one PostgreSQL database, each with its own scheduler: executing their own runs, and in the
// queue shape (every run through BullMQ on Redis, to whichever worker takes it).
for (const shape of [{ name: 'executing their own runs', skip, queue: false }, { name: 'in the queue shape', skip: queueSkip, queue: true }]) {
  describe(`schedules on two instances sharing PostgreSQL, ${shape.name}`, { skip: shape.skip, timeout: 60_000 }, () => {
    const schema = uniqueTestSchema('schedules');
    const prefix = `agentstream-schedules-${process.pid}-${randomBytes(4).toString('hex')}`;
    const servers: TestServer[] = [];
    after(async () => {
      for (const server of servers) await server.close();
      await dropTestSchema(schema);
    });

    it('fires each slot once, whichever instance gets there', async () => {
      const clock = testClock('2030-01-01T00:00:30.000Z');
      for (let index = 0; index < 2; index += 1) {
        const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
        servers.push(await startTestServer({ ...quietScheduler, ...(shape.queue ? { redisUrl: TEST_REDIS_URL, redisChannelPrefix: prefix } : {}) }, { store, clock }));
      }
      const [a, b] = servers;
      await Promise.all(servers.map((server) => server.server.scheduler.tick()));
      const schedule = (await (await call(a, 'POST', '/v1/schedules', { agent: 'assistant', input: 'hi', cron: '* * * * *' })).json()) as Schedule;
      const started: string[] = [];
      const endings: Promise<{ status: string }>[] = [];
      for (let minute = 1; minute <= 5; minute += 1) {
        clock.set(`2030-01-01T00:0${minute}:00.000Z`);
        // Both instances look at the same due slot at the same moment.
        const [fromA, fromB] = await Promise.all([a.server.scheduler.tick(), b.server.scheduler.tick()]);
        assert.equal(fromA.length + fromB.length, 1, `minute ${minute}: fired once (A ${fromA.length}, B ${fromB.length})`);
        started.push(...fromA, ...fromB);
        // The instance that started a run hears its end (its own execution, or the queue's events over Redis).
        endings.push(...fromA.map((runId) => a.server.runs.waitForEnd(runId)), ...fromB.map((runId) => b.server.runs.waitForEnd(runId)));
      }
      const history = await runsOf(b, schedule.id);
      assert.deepEqual(history.map((run) => run.id).sort(), [...started].sort());
      assert.deepEqual(history.map((run) => run.metadata?.scheduledFor).sort(), [1, 2, 3, 4, 5].map((minute) => `2030-01-01T00:0${minute}:00.000Z`));
      assert.deepEqual((await Promise.all(endings)).map((run) => run.status), Array(5).fill('completed'));
    });
  });
}
