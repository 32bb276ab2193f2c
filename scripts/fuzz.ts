// Property-based fuzzing of every route at scale: `node scripts/fuzz.ts [runs=100000] [seed]`.
// The same generators as test/e2e/fuzz.test.ts, against a real server on an ephemeral port, four requests at a
// time (four fast-check properties with seeds seed..seed+3). Exits non-zero on the first 5xx, crash or hung
// stream, printing fast-check's shrunk counterexample and the seed that replays it; finally checks a normal run.
import fc from 'fast-check';
import { fuzzRequests, sendAndCheck } from '../test/e2e/support/fuzz-requests.ts';
import { routeCases } from '../test/e2e/support/route-table.ts';
import { startTestServer } from '../test/e2e/support/test-server.ts';

const runs = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const LANES = 4;

const server = await startTestServer({ maxConcurrentRuns: 10_000 });
let exitCode = 0;
try {
  const started = (await (await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'hello', stream: false }) })).json()) as { runId: string };
  const routes = routeCases({ runId: started.runId });
  const statuses = new Map<number, number>();
  let done = 0;
  const begun = Date.now();
  const progress = setInterval(() => console.log(`${done}/${runs} requests, ${Math.round(done / ((Date.now() - begun) / 1000))}/s, statuses ${JSON.stringify(Object.fromEntries(statuses))}`), 10_000);
  try {
    await Promise.all(Array.from({ length: LANES }, (_, lane) => fc.assert(fc.asyncProperty(fuzzRequests(routes), async (request) => {
      const status = await sendAndCheck(server.url, request);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      done += 1;
    }), { numRuns: Math.ceil(runs / LANES), seed: seed + lane })));
  } finally {
    clearInterval(progress);
  }
  const normal = await (await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'assistant', input: 'What is 6 * 7?' }) })).text();
  if (!/event: run\.completed\n/.test(normal)) throw new Error('a normal run did not stream to its end after fuzzing');
  console.log(`ok: ${done} requests in ${Math.round((Date.now() - begun) / 1000)} s (seed ${seed}), 0 answers >= 500, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; a normal run still streams`);
} catch (error) {
  console.error(`fuzzing failed (seed ${seed}):`, error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await server.close();
}
process.exit(exitCode);
