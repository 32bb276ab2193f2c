import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createInProcessBus } from '../../src/bus/in-process/in-process-bus.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import type { RunRecord } from '../../src/store/store.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { endsProperly, HANG_GUARD_MS, parseSse } from './support/check-answer.ts';
import { openAndDrop, type DropPoint } from './support/drop-stream.ts';
import { createFirehoseProvider } from './support/firehose-provider.ts';
import { seededRandom } from './support/garbage.ts';
import { sendRaw } from './support/raw-http.ts';
import { expectIdle } from './support/server-idle.ts';
import { STREAMING_ROUTES, type DisconnectContract } from './support/streaming-routes.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Clients that hang up: before the answer, after its headers, at a random frame, or that never read. Every run
// must end as its route's disconnect contract says (continue: completed; cancel: cancelled), with a gapless
// stored event list, and nothing may be left behind: no active run, no bus listener, no open SSE response.

/** Waits until the server holds no connection, i.e. it has seen every hang-up (there is no event for "all closed"). */
async function waitForNoConnections(server: TestServer): Promise<void> {
  const deadline = Date.now() + HANG_GUARD_MS;
  for (;;) {
    const open = await new Promise<number>((resolve, reject) => server.server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
    if (open === 0) return;
    assert.ok(Date.now() < deadline, `${open} connections still open after every client hung up`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every run the server recorded, by its input text (each case's input is unique). */
async function runsByInput(server: TestServer): Promise<Map<string, RunRecord>> {
  const byInput = new Map<string, RunRecord>();
  let cursor: string | undefined;
  do {
    const page = await server.server.runs.list({ limit: 200, cursor });
    for (const run of page.runs) byInput.set(run.input, run);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return byInput;
}

/** The run's end as a client sees it: its record over HTTP and its stored events, checked to be well formed. */
async function expectEnded(server: TestServer, runId: string, context: string): Promise<{ status: string; events: RunEvent[] }> {
  await server.server.runs.waitForEnd(runId);
  const signal = AbortSignal.timeout(HANG_GUARD_MS);
  // sendRaw, not fetch: no pooled keep-alive socket may outlive the check (waitForNoConnections counts them).
  const record = JSON.parse(await (await sendRaw(server.url, { method: 'GET', path: `/v1/runs/${runId}`, signal })).text()) as { status: string };
  const text = await (await sendRaw(server.url, { method: 'GET', path: `/v1/runs/${runId}/events`, signal })).text();
  const events = parseSse(text).map((frame) => JSON.parse(frame.data) as RunEvent);
  assertWellFormedRun(events);
  assert.equal(events.at(-1)!.type, `run.${record.status}`, `${context}: the record's status matches the terminal event`);
  return { status: record.status, events };
}

const expectedStatus = (contract: DisconnectContract) => (contract === 'continue' ? 'completed' : 'cancelled');

describe('robustness: clients that hang up', () => {
  let server: TestServer;
  const bus = createInProcessBus();
  before(async () => {
    server = await startTestServer({ demoTokenDelayMs: 5, maxConcurrentRuns: 10_000 }, { bus, providers: [createFirehoseProvider({ deltas: 256, deltaChars: 64 * 1024 })] });
  });
  after(() => server.close());

  it('every streaming route, dropped before the answer, after its headers and at random frames: runs end as their contract says', async () => {
    const random = seededRandom(20261122);
    // A full read of each route first: it ends properly, and its frame count bounds where to drop.
    const totals = await Promise.all(STREAMING_ROUTES.map(async (route) => {
      const outcome = await openAndDrop(server.url, route.request(`Tell me a long story about streams (full read, ${route.name})`), { kind: 'never' });
      assert.ok(endsProperly(route.dialect, parseSse(outcome.text)), `${route.name}: a full read ends with the dialect's terminal frame`);
      return outcome.frames;
    }));
    const cases = STREAMING_ROUTES.flatMap((route, index) => {
      // A cancel must land while the run is still going: in the first third of its frames.
      const lastDrop = Math.max(1, Math.floor((route.contract === 'cancel' ? totals[index] / 3 : totals[index] - 1)));
      const points: DropPoint[] = [{ kind: 'after-send' }, { kind: 'after-headers' }, ...[1, 2, 3].map(() => ({ kind: 'after-frames' as const, frames: 1 + random.int(lastDrop) }))];
      return points.map((drop, point) => ({ route, drop, input: `Tell me a long story about streams (case ${index}.${point}, ${route.name})` }));
    });
    await Promise.all(cases.map(({ route, drop, input }) => openAndDrop(server.url, route.request(input), drop)));
    await waitForNoConnections(server);

    const runs = await runsByInput(server);
    for (const { route, drop, input } of cases) {
      const context = `${route.name} dropped ${JSON.stringify(drop)}`;
      const run = runs.get(input);
      // Hung up before the answer: the server may have read the body (a run) or not (none); never half a run.
      if (!run && drop.kind === 'after-send') continue;
      assert.ok(run, `${context}: the run exists`);
      const { status } = await expectEnded(server, run.id, context);
      assert.equal(status, expectedStatus(route.contract), `${context}: ended ${status}`);
    }
    await expectIdle(server, bus, 'dropped streams');
  });

  it('resumed streams and JSON answers, dropped mid-way, leave their runs to finish', async () => {
    const start = async (input: string) => {
      const response = await sendRaw(server.url, { method: 'POST', path: '/v1/runs', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input, background: true }), signal: AbortSignal.timeout(HANG_GUARD_MS) });
      return ((await response.json()) as { runId: string }).runId;
    };
    const followed = await start('Tell me a long story (followed, dropped)');
    const chat = { id: 'resume-drop', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Tell me a long story (AI SDK, resumed, dropped)' }] }] };
    await openAndDrop(server.url, { method: 'POST', path: '/ai-sdk/chat', body: chat, input: '' }, { kind: 'after-frames', frames: 2 });
    const drops = [
      openAndDrop(server.url, { method: 'GET', path: `/v1/runs/${followed}/events`, input: '' }, { kind: 'after-frames', frames: 3 }),
      openAndDrop(server.url, { method: 'GET', path: `/v1/runs/${followed}/events?after=2`, input: '' }, { kind: 'after-headers' }),
      openAndDrop(server.url, { method: 'GET', path: '/ai-sdk/chat/resume-drop/stream', input: '' }, { kind: 'after-frames', frames: 2 }),
      // JSON answers: the client leaves while the server waits for the run.
      ...[
        { path: '/v1/runs', body: { agent: 'chat', input: 'Tell me a long story (JSON, dropped)', stream: false } },
        { path: '/api/agent/execute', body: { input: 'Tell me a long story (Dedalus execute, dropped)' } },
        { path: '/chat/run', body: { input: 'Tell me a long story (OpenAI Agents run, dropped)' } },
        { path: '/api/v1/chat', body: { message: 'Tell me a long story (Agno chat JSON, dropped)' } },
        { path: '/research', body: { input: 'Tell me a long story (research JSON, dropped)' } },
        { path: '/openai/v1/chat/completions', body: { model: 'chat', messages: [{ role: 'user', content: 'Tell me a long story (OpenAI JSON, dropped)' }] } },
      ].map(({ path, body }) => openAndDrop(server.url, { method: 'POST', path, body, input: '' }, { kind: 'after-send' })),
    ];
    await Promise.all(drops);
    await waitForNoConnections(server);
    const runs = await runsByInput(server);
    assert.equal((await expectEnded(server, followed, 'followed run')).status, 'completed', 'readers that leave do not stop a run');
    assert.equal((await expectEnded(server, runs.get('Tell me a long story (AI SDK, resumed, dropped)')!.id, 'AI SDK')).status, 'completed');
    // The OpenAI route cancels a run whose client left (documented); the others wait it out.
    const openAi = runs.get('Tell me a long story (OpenAI JSON, dropped)');
    if (openAi) assert.equal((await expectEnded(server, openAi.id, 'OpenAI JSON')).status, 'cancelled');
    for (const input of ['(JSON, dropped)', '(Dedalus execute, dropped)', '(OpenAI Agents run, dropped)', '(Agno chat JSON, dropped)', '(research JSON, dropped)']) {
      const run = runs.get(`Tell me a long story ${input}`);
      if (run) assert.equal((await expectEnded(server, run.id, input)).status, 'completed', `${input}: a JSON client that leaves does not cancel`);
    }
    await expectIdle(server, bus, 'dropped resumes and JSON answers');
  });

  it('a client that never reads is dropped once 8 MB are queued for it; its run completes and can be replayed', async () => {
    const input = 'Flood me (never read)';
    const response = await sendPaused(server.url, JSON.stringify({ agent: 'chat', input, model: 'firehose:big' }));
    let bytes = 0;
    const readerEnd = new Promise<'end' | 'cut'>((resolve) => {
      response.on('end', () => resolve('end'));
      response.on('error', () => resolve('cut'));
    });
    const run = (await runsByInput(server)).get(input)!;
    const ended = await server.server.runs.waitForEnd(run.id);
    assert.equal(ended.status, 'completed', 'the run does not wait for its slowest reader');
    // Only now read: the server gave up on this client (the connection cut, no end of stream) rather than
    // holding the rest of a 16 MB answer for it.
    response.on('data', (chunk: Buffer) => (bytes += chunk.length));
    response.resume();
    assert.equal(await readerEnd, 'cut', `the server dropped the reader (it got ${bytes} bytes)`);
    assert.ok(bytes < 16 * 1024 * 1024, `the reader got ${bytes} bytes, not the whole answer`);
    const { events } = await expectEnded(server, run.id, 'firehose');
    assert.equal(events.at(-1)!.type, 'run.completed');
    await expectIdle(server, bus, 'slow reader');
  });
});

/** POSTs `/v1/runs` and resolves with the response the moment its headers arrive, paused: nothing is read. */
function sendPaused(baseUrl: string, body: string): Promise<IncomingMessage> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/v1/runs', agent: false, headers: { 'content-type': 'application/json' } }, (response) => {
      response.pause();
      resolve(response);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
