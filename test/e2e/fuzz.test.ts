import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createInProcessBus } from '../../src/bus/in-process/in-process-bus.ts';
import { fuzzRequests, sendAndCheck } from './support/fuzz-requests.ts';
import { routeCases, type RouteCase } from './support/route-table.ts';
import { expectIdle } from './support/server-idle.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// A few thousand generated requests in the suite (bounded: the demo model answers at once); `node scripts/fuzz.ts`
// runs 100 000. A failure prints fast-check's seed and shrunk counterexample, which `FUZZ_SEED` replays.
const RUNS = 2000;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261202;

describe('property-based fuzzing of every route (fast-check)', () => {
  let server: TestServer;
  const bus = createInProcessBus();
  let routes: RouteCase[];

  before(async () => {
    server = await startTestServer({ maxConcurrentRuns: 10_000 }, { bus });
    const started = (await (await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'hello', stream: false }) })).json()) as { runId: string };
    routes = routeCases({ runId: started.runId });
  });
  after(() => server.close());

  it(`${RUNS} requests: bodies, headers, path parameters and Last-Event-ID; no 5xx, no crash, no hung stream`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(fuzzRequests(routes), async (request) => {
      const status = await sendAndCheck(server.url, request);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }), { numRuns: RUNS, seed: SEED, endOnFailure: false });
    // The generator must reach both sides: accepted requests (streams, JSON) and refused ones.
    const accepted = [...statuses].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
    const refused = [...statuses].filter(([status]) => status >= 400).reduce((sum, [, count]) => sum + count, 0);
    assert.ok(accepted > RUNS / 10 && refused > RUNS / 10, `statuses: ${JSON.stringify([...statuses].sort())}`);
    await expectIdle(server, bus, 'after fuzzing');
  });

  it('a normal run still streams afterwards', async () => {
    const response = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'assistant', input: 'What is 6 * 7?' }) });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /event: run\.started/);
    assert.match(text, /event: message\.delta/);
    assert.match(text, /event: run\.completed\n/);
  });
});
