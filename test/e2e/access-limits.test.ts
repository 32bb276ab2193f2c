import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRedisBus } from '../../src/bus/redis/redis-bus.ts';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const KEY_A = 'key-of-tenant-a-0123456789';
const KEY_B = 'key-of-tenant-b-0123456789';
type Json = Record<string, unknown>;

async function call(url: string, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch { /* SSE */ }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

describe('per-key limits on one instance', { timeout: 60_000 }, () => {
  it('requests per window: the 4th of 3/min is a 429 with Retry-After, RateLimit and RateLimit-Policy; nothing starts; other keys unaffected', async () => {
    const server = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, rateLimit: '3/min' });
    try {
      const first = await call(server.url, KEY_A, 'GET', '/v1/runs');
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('ratelimit-policy'), '"3-per-60s";q=3;w=60');
      assert.match(first.headers.get('ratelimit') ?? '', /^"3-per-60s";r=2;t=(60|59)$/);
      await call(server.url, KEY_A, 'GET', '/v1/runs');
      await call(server.url, KEY_A, 'GET', '/v1/runs');
      const over = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'x', background: true });
      assert.equal(over.status, 429);
      const retryAfter = Number(over.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(over.headers.get('ratelimit-policy'), '"3-per-60s";q=3;w=60');
      assert.equal(over.headers.get('ratelimit'), `"3-per-60s";r=0;t=${retryAfter}`);
      assert.deepEqual(over.body, {
        error: { code: 'rate_limited', message: `This key may make 3 requests per 60 s; retry in ${retryAfter} s.`, details: { limit: 3, windowSeconds: 60, retryAfterSeconds: retryAfter } },
      });
      const ofB = await call(server.url, KEY_B, 'GET', '/v1/runs');
      assert.equal(ofB.status, 200, 'the quota is per key');
      assert.equal((await server.server.store.listRuns({ limit: 200 })).runs.length, 0, 'the refused start started nothing');
    } finally {
      await server.close();
    }
  });

  it('concurrent runs per key: over the limit a 429 at once; the slot comes back when the run ends, however it ends', async () => {
    const probe = createProbeProvider(20);
    const server = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, rateLimitRuns: 1 }, { providers: [probe.provider] });
    try {
      const first = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'a long answer please', model: 'probe:slow', background: true });
      assert.equal(first.status, 202);
      const second = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'another', model: 'probe:slow', background: true });
      assert.equal(second.status, 429);
      assert.equal(second.headers.get('retry-after'), '1');
      assert.deepEqual(second.body, { error: { code: 'too_many_runs', message: 'This key has 1 runs in progress; its limit is 1.', details: { limit: 1, scope: 'key' } } });
      assert.equal((await call(server.url, KEY_B, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false })).status, 200, 'B has its own slot');
      const cancelled = await call(server.url, KEY_A, 'POST', `/v1/runs/${first.body.runId as string}/cancel`);
      assert.equal(cancelled.body.status, 'cancelled');
      const third = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false });
      assert.equal(third.status, 200, 'the cancelled run gave its slot back');
      const failed = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'x', model: 'probe:broken', stream: false });
      assert.equal(failed.body.status, 'failed');
      assert.equal((await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false })).status, 200, 'so did the failed one');
      const refusedStart = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'nobody', input: 'x', stream: false });
      assert.equal(refusedStart.status, 404);
      assert.equal((await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false })).status, 200, 'and a refused start took none');
    } finally {
      await server.close();
    }
  });

  it('a daily token budget: once the key\'s runs used it, new runs are a 429 token_budget_exceeded', async () => {
    const server = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, tokenBudget: 50 });
    try {
      const first = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 12 * (3 + 4)?', stream: false });
      assert.equal(first.status, 200);
      assert.ok(((first.body.usage as { totalTokens: number }).totalTokens) > 50, 'one run spends the budget');
      // The run's usage is added as it ends; the next request of the key reads the total first.
      const over = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'again', stream: false });
      assert.equal(over.status, 429);
      assert.equal((over.body.error as Json).code, 'token_budget_exceeded');
      assert.ok(Number(over.headers.get('retry-after')) > 3600);
      assert.equal((await call(server.url, KEY_B, 'POST', '/v1/runs', { agent: 'assistant', input: 'hi', stream: false })).status, 200, 'B has its own budget');
    } finally {
      await server.close();
    }
  });
});

describe('per-key limits and runs paused for input', { timeout: 60_000 }, () => {
  it('a paused run gives its key\'s concurrent-run place back, and what it used is still charged when it ends', async () => {
    const server = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, rateLimitRuns: 1, tokenBudget: 1 });
    try {
      const paused = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'supervised', input: 'What is 12 * 7?', stream: false });
      assert.equal(paused.body.status, 'awaiting_input');
      const pending = (paused.body.pending as { toolCallId: string }[])[0];
      const decided = await call(server.url, KEY_A, 'POST', `/v1/runs/${paused.body.runId as string}/input`, { decisions: [{ toolCallId: pending.toolCallId, decision: 'approve' }] });
      assert.equal(decided.status, 200);
      await call(server.url, KEY_A, 'GET', `/v1/runs/${paused.body.runId as string}/events`);
      // Its tokens (before and after the pause) were charged as it ended: the one-token budget is spent.
      const over = await call(server.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'hi', stream: false });
      assert.deepEqual([over.status, (over.body.error as Json).code], [429, 'token_budget_exceeded']);
    } finally {
      await server.close();
    }
    const roomy = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, rateLimitRuns: 1 });
    try {
      const paused = await call(roomy.url, KEY_A, 'POST', '/v1/runs', { agent: 'supervised', input: 'What is 12 * 7?', stream: false });
      assert.equal(paused.body.status, 'awaiting_input');
      const next = await call(roomy.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'hi', stream: false });
      assert.equal(next.status, 200, 'the paused run does not hold the key\'s only place');
    } finally {
      await roomy.close();
    }
  });
});

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

describe('two instances sharing PostgreSQL and Redis: isolation and one shared quota', { skip, timeout: 60_000 }, () => {
  const schema = uniqueTestSchema('access');
  const prefix = `agentstream-test-access-${process.pid}-${randomBytes(4).toString('hex')}`;
  const probe = createProbeProvider(20);
  let one: TestServer;
  let two: TestServer;
  const start = async (name: string) => {
    const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
    const bus = await createRedisBus({ url: TEST_REDIS_URL, channelPrefix: prefix, name: `agentstream-test-${name}` });
    return startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, rateLimit: '8/min', rateLimitRuns: 1, redisUrl: TEST_REDIS_URL, redisChannelPrefix: prefix, followResyncMs: 0 }, { store, bus, providers: [probe.provider] });
  };
  before(async () => {
    one = await start('one');
    two = await start('two');
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await dropTestSchema(schema);
  });

  it('B on the other instance cannot read, follow, list or cancel A\'s running run; A can, from there', async () => {
    const started = await call(one.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'a secret of A', model: 'probe:slow', background: true, sessionId: 'ses-x' });
    assert.equal(started.status, 202);
    const runId = started.body.runId as string;
    assert.equal((await call(two.url, KEY_B, 'GET', `/v1/runs/${runId}`)).status, 404);
    assert.equal((await call(two.url, KEY_B, 'GET', `/v1/runs/${runId}/events`)).status, 404);
    assert.equal((await call(two.url, KEY_B, 'POST', `/v1/runs/${runId}/cancel`)).status, 404);
    assert.deepEqual((await call(two.url, KEY_B, 'GET', '/v1/runs?sessionId=ses-x')).body.runs, []);
    const followed = await call(two.url, KEY_A, 'GET', `/v1/runs/${runId}/events`);
    assert.match(followed.text, /event: run\.completed/, 'B\'s cancel never reached the run: it completed');
    assert.equal((await call(two.url, KEY_B, 'GET', '/v1/sessions/ses-x')).status, 404);
    assert.equal((await call(two.url, KEY_A, 'GET', '/v1/sessions/ses-x')).status, 200);
  });

  it('concurrent runs per key hold across both instances; the slot comes back when the run ends', async () => {
    const first = await call(one.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'a long answer', model: 'probe:slow', background: true });
    assert.equal(first.status, 202);
    const elsewhere = await call(two.url, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'another', model: 'probe:slow', background: true });
    assert.equal(elsewhere.status, 429);
    assert.deepEqual(elsewhere.body, { error: { code: 'too_many_runs', message: 'This key has 1 runs in progress; its limit is 1.', details: { limit: 1, scope: 'key' } } });
    assert.equal((await call(one.url, KEY_A, 'POST', `/v1/runs/${first.body.runId as string}/cancel`)).body.status, 'cancelled');
    // The slot's release was sent to Redis as the run ended, before the cancel answered.
    const after = await call(two.url, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false });
    assert.equal(after.status, 200);
  });

  it('the request quota is one across both instances (Redis)', async () => {
    const statuses: number[] = [];
    // KEY_B made 5 requests above, all on instance two; 8/min leaves 3, wherever they arrive.
    for (let index = 0; index < 6; index += 1) statuses.push((await call(index % 2 ? two.url : one.url, KEY_B, 'GET', '/v1/runs')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
  });
});
