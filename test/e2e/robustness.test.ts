import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createInProcessBus } from '../../src/bus/in-process/in-process-bus.ts';
import { checkAnswer, HANG_GUARD_MS } from './support/check-answer.ts';
import { deeplyNested, deeplyNestedObject, garbageBody, garbageString, seededRandom, type Random } from './support/garbage.ts';
import { sendRaw } from './support/raw-http.ts';
import { GARBAGE_IDS, GARBAGE_QUERIES, routeCases, type RouteCase } from './support/route-table.ts';
import { expectIdle } from './support/server-idle.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Garbage on every route: whatever arrives, the answer is a 4xx with a clear JSON message (or the dialect's
// error frame on a 200 stream), never a 5xx, never a hang, and the server goes on serving with nothing leaked.
// Inputs come from a seeded PRNG: a failure message names the route, the case and its label.

const BODIES_PER_POST_ROUTE = 300;
const QUERIES_PER_GET_ROUTE = 100;
const BODY_LIMIT = 256 * 1024;

/** A stable seed per route, so adding a route does not reshuffle the others' inputs. */
function seedOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

/** `text` with lone surrogates replaced, as `encodeURIComponent` requires (they cannot be UTF-8 encoded). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  }));
}

type Attempt = { label: string; method: string; path: string; headers: Record<string, string>; body?: string };

/** Hostile bodies (and a few hostile headers) derived from the route's valid body. */
function bodyAttempts(route: RouteCase, random: Random): Attempt[] {
  return Array.from({ length: BODIES_PER_POST_ROUTE }, (_, index) => {
    const garbage = garbageBody(random, route.body);
    const headers: Record<string, string> = {};
    // Mostly JSON; sometimes no content type at all, or the one the garbage chose.
    if (garbage.contentType) headers['content-type'] = garbage.contentType;
    else if (!random.chance(0.1)) headers['content-type'] = 'application/json';
    if (random.chance(0.1)) headers['last-event-id'] = garbageString(random).replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
    if (random.chance(0.1)) headers.accept = random.pick(['text/event-stream', 'application/json', '*/*', 'garbage/type']);
    return { label: `#${index} ${garbage.label}`, method: route.method, path: route.path(), headers, body: garbage.text };
  });
}

/** Hostile query strings, alone or after the route's valid one, sometimes with a bad Last-Event-ID. */
function queryAttempts(route: RouteCase, random: Random): Attempt[] {
  return Array.from({ length: QUERIES_PER_GET_ROUTE }, (_, index) => {
    const parts = Array.from({ length: 1 + random.int(3) }, () => random.chance(0.6)
      ? random.pick(GARBAGE_QUERIES)
      : `${random.pick(Object.keys(route.query ?? { q: '' }))}=${encodeURIComponent(wellFormed(garbageString(random).slice(0, 2000)))}`);
    const valid = new URLSearchParams(route.query ?? {}).toString();
    const query = [...(random.chance(0.5) && valid ? [valid] : []), ...parts].join('&');
    const headers: Record<string, string> = random.chance(0.2) ? { 'last-event-id': random.pick(['-1', 'abc', '1e3', '99999999999999999999', 'run_x:1', ' 2 ', '']) } : {};
    return { label: `#${index} ?${query.slice(0, 80)}`, method: route.method, path: `${route.path()}?${query}`, headers };
  });
}

describe('robustness: garbage on every route', () => {
  let server: TestServer;
  const bus = createInProcessBus();
  let routes: RouteCase[];

  before(async () => {
    server = await startTestServer({ maxConcurrentRuns: 10_000, bodyLimitBytes: BODY_LIMIT }, { bus });
    const started = (await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'hello', stream: false })).json()) as { runId: string };
    routes = routeCases({ runId: started.runId });
  });
  after(() => server.close());

  const send = async (route: RouteCase, attempt: Attempt) => {
    const context = `${attempt.method} ${attempt.path.slice(0, 120)} [${attempt.label}]`;
    const response = await sendRaw(server.url, { ...attempt, signal: AbortSignal.timeout(HANG_GUARD_MS) }).catch((error: Error) => {
      throw new Error(`${context}: no complete answer (${error.name === 'TimeoutError' ? 'hung' : error.message})`);
    });
    await checkAnswer(response, { dialect: route.dialect, context, plainText: route.plainText });
  };

  it('the route table covers every route of GET /openapi.json', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual(new Set(routes.map((route) => route.route)), new Set(documented));
  });

  // One test per route, so a failure names it. Routes are looked up lazily: `before` builds the table.
  for (const route of routeCases({ runId: 'run_placeholder' })) {
    it(`${route.route}: random bodies and queries`, async () => {
      const current = routes.find((candidate) => candidate.route === route.route)!;
      const random = seededRandom(seedOf(route.route));
      const attempts = current.method === 'POST' || current.method === 'PATCH' ? bodyAttempts(current, random) : queryAttempts(current, random);
      await inParallel(attempts, 4, (attempt) => send(current, attempt));
      await expectIdle(server, bus, route.route);
    });
  }

  it('path parameters: encoded slashes and dots, NUL, bad escapes, very long ids', async () => {
    const attempts = routes.filter((route) => route.hasParam).flatMap((route) => GARBAGE_IDS.map((id) => ({ route, attempt: {
      label: `id ${id.slice(0, 40)}`, method: route.method, path: route.path(id), body: route.body === undefined ? undefined : JSON.stringify(route.body),
      headers: route.body === undefined ? {} : { 'content-type': 'application/json' } as Record<string, string>,
    } })));
    await inParallel(attempts, 4, ({ route, attempt }) => send(route, attempt));
    await expectIdle(server, bus, 'path parameters');
  });

  it('bodies just under and just over the body limit, and deep nesting, on every POST route', async () => {
    const attempts = routes.filter((route) => route.method === 'POST').flatMap((route) => {
      const valid = JSON.stringify(route.body);
      // The valid body with more keys at the end, where they win over the body's own: `{…valid,"k":v}`.
      const withKeys = (keys: string) => (valid === '{}' ? `{${keys}}` : `${valid.slice(0, -1)},${keys}}`);
      const padded = (bytes: number) => withKeys(`"pad":"${'p'.repeat(bytes - withKeys('"pad":""').length)}"`);
      const json = { 'content-type': 'application/json' };
      const make = (label: string, body: string) => ({ route, attempt: { label, method: 'POST', path: route.path(), headers: json, body } });
      return [
        make('exactly at the limit', padded(BODY_LIMIT)),
        make('just over the limit', padded(BODY_LIMIT + 1)),
        make('far over the limit', 'x'.repeat(BODY_LIMIT * 4)),
        make('arrays 100k deep', deeplyNested(100_000)),
        make('objects 50k deep', deeplyNestedObject(50_000)),
        make('a field 10k deep', withKeys(`"metadata":${deeplyNestedObject(10_000)},"state":${deeplyNested(10_000)}`)),
      ];
    });
    for (const { route, attempt } of attempts) {
      if (attempt.label.startsWith('exactly')) assert.equal(Buffer.byteLength(attempt.body), BODY_LIMIT);
      if (attempt.label.startsWith('just over')) assert.equal(Buffer.byteLength(attempt.body), BODY_LIMIT + 1);
      await send(route, attempt);
    }
    await expectIdle(server, bus, 'body limit');
  });

  it('JSON nested deeper than 256 levels is refused with a 400 that says so; 200 levels run', async () => {
    const body = (levels: number) => `{"agent":"chat","input":"deep","stream":false,"metadata":{"a":${deeplyNestedObject(levels - 2)}}}`;
    const refused = await sendRaw(server.url, { method: 'POST', path: '/v1/runs', headers: { 'content-type': 'application/json' }, body: body(300), signal: AbortSignal.timeout(HANG_GUARD_MS) });
    assert.equal(refused.status, 400);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'bad_request');
    assert.match(error.message, /more than 256 levels deep/);
    const accepted = await sendRaw(server.url, { method: 'POST', path: '/v1/runs', headers: { 'content-type': 'application/json' }, body: body(200), signal: AbortSignal.timeout(HANG_GUARD_MS) });
    assert.equal(((await accepted.json()) as { status: string }).status, 'completed');
    await expectIdle(server, bus, 'depth limit');
  });
});
