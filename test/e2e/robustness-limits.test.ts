import assert from 'node:assert/strict';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openSseWriterCount } from '../../src/http/sse-writer.ts';
import { HANG_GUARD_MS, parseSse } from './support/check-answer.ts';
import { parseResponses, rawExchange, sendRaw } from './support/raw-http.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// The bounds that keep one client, or a saturated server, from taking everything: open streams per client, load
// shedding at admission, and the request timeout (headers, bodies, and connections that send nothing at all).

type OpenedStream = { status: number; headers: IncomingMessage['headers']; body: Promise<string>; request: ClientRequest };

/** Sends a request and resolves as soon as its response headers arrive; the body is read on in the background. */
function openStream(baseUrl: string, options: { method: string; path: string; body?: unknown }): Promise<OpenedStream> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: url.hostname, port: url.port, method: options.method, path: options.path, agent: false,
      headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
    }, (response) => {
      response.setEncoding('utf8');
      let text = '';
      response.on('data', (chunk: string) => (text += chunk));
      const body = new Promise<string>((done) => {
        response.on('error', () => done(text));
        response.on('close', () => done(text));
      });
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body, request });
    });
    request.on('error', reject);
    request.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

function errorCodeOf(text: string): string | undefined {
  return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
}

async function startBackgroundRun(baseUrl: string, input: string): Promise<string> {
  const response = await postJson(`${baseUrl}/v1/runs`, { agent: 'chat', input, background: true });
  assert.equal(response.status, 202);
  return ((await response.json()) as { runId: string }).runId;
}

describe('open streams per client (AGENTSTREAM_MAX_STREAMS_PER_CLIENT)', () => {
  let server: TestServer;

  before(async () => {
    // A slow demo model: a run's stream stays open for seconds, until the test cancels it.
    server = await startTestServer({ maxStreamsPerClient: 3, demoTokenDelayMs: 200 });
  });

  after(async () => {
    await server.close();
  });

  it('past the bound a client gets 429 too_many_streams at once; parallel requests cannot slip past it; a closed stream frees its slot', async () => {
    const runId = await startBackgroundRun(server.url, 'A slow run to follow');
    const attempts = await Promise.all(Array.from({ length: 8 }, () => openStream(server.url, { method: 'GET', path: `/v1/runs/${runId}/events` })));
    const open = attempts.filter((attempt) => attempt.status === 200);
    const refused = attempts.filter((attempt) => attempt.status !== 200);
    assert.equal(open.length, 3, `${open.length} streams open at once for one client, the bound is 3`);
    for (const attempt of refused) {
      assert.equal(attempt.status, 429);
      assert.equal(attempt.headers['retry-after'], '1');
      assert.match(attempt.headers['content-type'] ?? '', /application\/json/);
      assert.equal(errorCodeOf(await attempt.body), 'too_many_streams');
    }
    // Probes are not counted: a client at its bound can still be checked on.
    assert.equal((await sendRaw(server.url, { method: 'GET', path: '/health', signal: AbortSignal.timeout(HANG_GUARD_MS) })).status, 200);

    // The run ends; its streams end with it and free their slots.
    await server.server.runs.cancel(runId);
    for (const stream of open) assert.match(await stream.body, /event: run\.cancelled/);
    const again = await openStream(server.url, { method: 'GET', path: `/v1/runs/${runId}/events?after=0` });
    assert.equal(again.status, 200, 'a slot is free once a stream has ended');
    await again.body;
  });
});

describe('load shedding at admission', () => {
  let server: TestServer;
  // What the load probe reports as the event loop's delay; the open streams are the server's real count.
  let eventLoopDelayMs = 0;

  before(async () => {
    server = await startTestServer(
      { maxEventLoopDelayMs: 200, maxOpenStreams: 2, maxStreamsPerClient: 0, demoTokenDelayMs: 20 },
      { loadProbe: () => ({ eventLoopDelayMs, openStreams: openSseWriterCount() }) },
    );
  });

  after(async () => {
    await server.close();
  });

  it('past the event-loop delay bound new runs get 503 overloaded with Retry-After at once; the admitted run completes', async () => {
    const admitted = await openStream(server.url, { method: 'POST', path: '/v1/runs', body: { agent: 'chat', input: 'Admitted before the load' } });
    assert.equal(admitted.status, 200);
    eventLoopDelayMs = 500;
    for (const path of ['/v1/runs', '/openai/v1/chat/completions']) {
      const body = path === '/v1/runs' ? { agent: 'chat', input: 'Refused' } : { model: 'chat', stream: true, messages: [{ role: 'user', content: 'Refused' }] };
      const refused = await sendRaw(server.url, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(HANG_GUARD_MS) });
      assert.equal(refused.status, 503, path);
      assert.equal(refused.headers.get('retry-after'), '1', path);
      assert.match(await refused.text(), /overloaded/, path);
    }
    // The run admitted before keeps going to its end.
    const frames = parseSse(await admitted.body);
    assert.equal(frames.at(-1)?.event, 'run.completed');
    eventLoopDelayMs = 0;
    const accepted = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Accepted again', stream: false });
    assert.equal(accepted.status, 200, 'once the load is back under the bound, runs are admitted again');
  });

  it('past the open-streams bound new runs get 503 overloaded; the streams already open complete', async () => {
    const first = await openStream(server.url, { method: 'POST', path: '/v1/runs', body: { agent: 'chat', input: 'Stream one' } });
    const second = await openStream(server.url, { method: 'POST', path: '/v1/runs', body: { agent: 'chat', input: 'Stream two' } });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    const third = await sendRaw(server.url, { method: 'POST', path: '/v1/runs', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'Stream three' }), signal: AbortSignal.timeout(HANG_GUARD_MS) });
    assert.equal(third.status, 503);
    assert.equal(errorCodeOf(await third.text()), 'overloaded');
    assert.equal(parseSse(await first.body).at(-1)?.event, 'run.completed');
    assert.equal(parseSse(await second.body).at(-1)?.event, 'run.completed');
  });
});

describe('request timeout (AGENTSTREAM_REQUEST_TIMEOUT_MS)', () => {
  const TIMEOUT_MS = 2000;
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ requestTimeoutMs: TIMEOUT_MS });
  });

  after(async () => {
    await server.close();
  });

  it('a stalled request is cut with 408 at the configured limit, not up to half as late again', async () => {
    // Ten stalled requests started 100 ms apart: together they cover every phase of Node's periodic deadline check.
    const cuts = await Promise.all(Array.from({ length: 10 }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 100));
      const startedAt = performance.now();
      const bytes = await rawExchange(server.url, 'GET /v1/agents HTTP/1.1\r\nHost: x\r\n', { timeoutMs: HANG_GUARD_MS });
      return { after: performance.now() - startedAt, responses: parseResponses(bytes) };
    }));
    for (const cut of cuts) {
      assert.equal(cut.responses[0]?.status, 408);
      assert.ok(cut.after >= TIMEOUT_MS - 50, `cut after ${Math.round(cut.after)} ms, before the ${TIMEOUT_MS} ms limit`);
    }
    const latest = Math.max(...cuts.map((cut) => cut.after));
    // Node checks deadlines periodically; the check now runs every tenth of the limit (it was every half).
    assert.ok(latest < TIMEOUT_MS * 1.3, `the latest cut came ${Math.round(latest)} ms after its request started (limit ${TIMEOUT_MS} ms)`);
  });

  it('a connection that sends nothing at all is closed after the limit', async () => {
    const url = new URL(server.url);
    const startedAt = performance.now();
    const closedAfter = await new Promise<number | undefined>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => {});
      socket.on('close', () => resolve(performance.now() - startedAt));
      AbortSignal.timeout(HANG_GUARD_MS).addEventListener('abort', () => {
        resolve(undefined);
        socket.destroy();
      });
    });
    assert.ok(closedAfter !== undefined, 'a silent connection was held open');
    assert.ok(closedAfter >= TIMEOUT_MS - 50, `closed after ${Math.round(closedAfter)} ms, before the limit`);
  });
});
