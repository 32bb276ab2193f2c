import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createInProcessBus } from '../../src/bus/in-process/in-process-bus.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { parseSse } from './support/check-answer.ts';
import { parseResponses, rawExchange, sendRaw, type RawResponse } from './support/raw-http.ts';
import { expectIdle } from './support/server-idle.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Abuse below the routes, on raw TCP: bytes that are not HTTP, headers that never end, bodies that never come,
// HTTP/1.0, pipelining, half-closed sockets. Each gets a JSON error or its whole answer, and then a closed
// connection: never a silent hang, never a 5xx, and the server keeps serving with nothing left behind.

const REQUEST_TIMEOUT_MS = 400;
const GUARD_MS = 20_000;

const post = (path: string, body: unknown, extraHeaders = '') => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extraHeaders}\r\n${text}`;
};

/** A refusal: a 4xx in our JSON error shape, with a message. */
function assertJsonError(response: RawResponse, status: number, context: string) {
  assert.equal(response.status, status, `${context}: status`);
  assert.match(response.headers['content-type'] ?? '', /^application\/json/, `${context}: JSON`);
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  assert.ok(body.error.code && body.error.message.length > 0, `${context}: error.code and error.message`);
}

/** The native events of an SSE body, checked to be a whole run. */
function wholeRun(response: RawResponse, context: string): RunEvent[] {
  assert.equal(response.status, 200, `${context}: ${response.body.slice(0, 200)}`);
  const events = parseSse(response.body).map((frame) => JSON.parse(frame.data) as RunEvent);
  assertWellFormedRun(events);
  return events;
}

describe('robustness: raw HTTP abuse', () => {
  let server: TestServer;
  const bus = createInProcessBus();
  before(async () => {
    server = await startTestServer({ demoTokenDelayMs: 2, requestTimeoutMs: REQUEST_TIMEOUT_MS }, { bus });
  });
  after(() => server.close());

  it('bytes that are not HTTP/1.1 get a 400/431 JSON error and a closed connection', async () => {
    const cases: [string, string | Buffer, number][] = [
      ['a garbage line', 'GARBAGE\r\n\r\n', 400],
      ['binary', Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 13, 10]), 400],
      ['an unknown HTTP version', 'GET /health HTTP/9.9\r\nHost: localhost\r\n\r\n', 400],
      ['a header without a colon', 'GET /health HTTP/1.1\r\nHost x\r\n\r\n', 400],
      ['a NUL in a header', 'GET /health HTTP/1.1\r\nHost: x\u0000y\r\n\r\n', 400],
      ['Content-Length and Transfer-Encoding together', 'POST /v1/runs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
      ['a bad chunk size', 'POST /v1/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n', 400],
      ['a negative Content-Length', 'POST /v1/runs HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n', 400],
      ['headers over 16 KiB', `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ];
    await Promise.all(cases.map(async ([label, bytes, status]) => {
      const responses = parseResponses(await rawExchange(server.url, bytes, { timeoutMs: GUARD_MS }));
      assert.equal(responses.length, 1, `${label}: one answer`);
      assertJsonError(responses[0], status, label);
    }));
    await expectIdle(server, bus, 'not HTTP');
  });

  it('garbage after a stream opened on the same connection cuts that stream cleanly: no error bytes inside it', async () => {
    const url = new URL(server.url);
    const received = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(Number(url.port), url.hostname, () => socket.write(post('/v1/runs', { agent: 'chat', input: 'garbage follows me' })));
      socket.on('data', (chunk) => {
        if (text === '') socket.write('GARBAGE\r\n\r\n');
        text += chunk;
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
    });
    assert.deepEqual(received.match(/HTTP\/1\.1 \d{3}/g), ['HTTP/1.1 200'], 'one answer on the wire, the stream, with no 400 written into it');
    const run = (await server.server.runs.list({ limit: 1 })).runs[0];
    assert.equal(run.input, 'garbage follows me');
    assert.equal((await server.server.runs.waitForEnd(run.id)).status, 'completed', 'the cut stream\'s run goes on (onDisconnect: continue)');
    await expectIdle(server, bus, 'garbage mid-stream');
  });

  it('a client that sends headers and then nothing (or half a body) gets 408 JSON; others are served meanwhile', async () => {
    const stalled = [
      rawExchange(server.url, 'GET /health HTTP/1.1\r\nHost: localhost\r\n', { timeoutMs: GUARD_MS }),
      rawExchange(server.url, 'POST /v1/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"agent"', { timeoutMs: GUARD_MS }),
      rawExchange(server.url, 'POST /api/agent/stream HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n', { timeoutMs: GUARD_MS }),
      ...Array.from({ length: 50 }, () => rawExchange(server.url, 'GET /v1/agents HTTP/1.1\r\n', { timeoutMs: GUARD_MS })),
    ];
    const served = await sendRaw(server.url, { method: 'GET', path: '/v1/agents', signal: AbortSignal.timeout(GUARD_MS) });
    assert.equal(served.status, 200, 'a normal client is served while 53 others stall');
    for (const bytes of await Promise.all(stalled)) {
      const responses = parseResponses(bytes);
      assert.equal(responses.length, 1);
      assertJsonError(responses[0], 408, 'stalled request');
    }
    await expectIdle(server, bus, 'stalled requests');
  });

  it('HTTP/1.0: a whole stream, delimited by the server closing the connection', async () => {
    const body = JSON.stringify({ agent: 'chat', input: 'Hello over HTTP/1.0' });
    const bytes = await rawExchange(server.url, `POST /v1/runs HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`, { timeoutMs: GUARD_MS });
    const [response] = parseResponses(bytes);
    assert.notEqual(response.headers['transfer-encoding'], 'chunked', 'no chunked encoding for an HTTP/1.0 client');
    assert.equal(wholeRun(response, 'HTTP/1.0').at(-1)!.type, 'run.completed');
    await expectIdle(server, bus, 'HTTP/1.0');
  });

  it('pipelined requests on one connection are answered in order, streams whole; Connection: close is honoured', async () => {
    const pipeline = [
      post('/v1/runs', { agent: 'chat', input: 'first stream' }),
      'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n',
      post('/v1/runs', { agent: 'assistant', input: 'What is 6 * 7?' }),
      post('/v1/runs', { agent: 'nobody', input: 'x' }),
      post('/v1/runs', { agent: 'chat', input: 'JSON answer', stream: false }),
      post('/api/agent/stream', { input: 'Dedalus, pipelined' }),
      post('/v1/runs', { agent: 'chat', input: 'last stream' }, 'Connection: close\r\n'),
    ].join('');
    const responses = parseResponses(await rawExchange(server.url, pipeline, { timeoutMs: GUARD_MS }));
    assert.deepEqual(responses.map((response) => response.status), [200, 200, 200, 404, 200, 200, 200]);
    assert.equal(wholeRun(responses[0], 'first').at(-1)!.type, 'run.completed');
    assert.equal(JSON.parse(responses[1].body).status, 'ok');
    assert.equal(wholeRun(responses[2], 'tools').at(-1)!.type, 'run.completed');
    assertJsonError(responses[3], 404, 'unknown agent, pipelined');
    assert.equal(JSON.parse(responses[4].body).status, 'completed');
    assert.equal(parseSse(responses[5].body).at(-1)!.event, 'complete');
    assert.equal(wholeRun(responses[6], 'last').at(-1)!.type, 'run.completed');
    assert.equal(responses[6].headers.connection, 'close', 'the last answer says it closes (and rawExchange saw it close)');

    // A body the parser refuses closes the connection (Fastify cannot know how much of it is left): the
    // requests after it are not answered, and the client sends them again on a new connection.
    const refused = parseResponses(await rawExchange(server.url, [
      post('/v1/runs', { agent: 'chat', input: 'before the bad one' }),
      post('/v1/runs', '{"agent": "chat", "input": '),
      'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n',
    ].join(''), { timeoutMs: GUARD_MS }));
    assert.deepEqual(refused.map((response) => response.status), [200, 400]);
    assert.equal(wholeRun(refused[0], 'before the bad one').at(-1)!.type, 'run.completed');
    assertJsonError(refused[1], 400, 'malformed JSON, pipelined');
    assert.equal(refused[1].headers.connection, 'close');
    await expectIdle(server, bus, 'pipelined');
  });

  it('a client that half-closes after its request: the run ends as its disconnect contract says', async () => {
    const continued = await rawExchange(server.url, post('/v1/runs', { agent: 'chat', input: 'half-open, continue' }), { halfClose: true, timeoutMs: GUARD_MS });
    const cancelled = await rawExchange(server.url, post('/v1/runs', { agent: 'chat', input: 'half-open, cancel', onDisconnect: 'cancel' }), { halfClose: true, timeoutMs: GUARD_MS });
    // Node reads a FIN as the client leaving (so a real disconnect is noticed at once): the stream may be cut.
    for (const bytes of [continued, cancelled]) assert.match(bytes.toString('latin1'), /^HTTP\/1\.1 200/);
    const runs = (await server.server.runs.list({ limit: 10 })).runs;
    const status = async (input: string) => (await server.server.runs.waitForEnd(runs.find((run) => run.input === input)!.id)).status;
    assert.equal(await status('half-open, continue'), 'completed');
    assert.equal(await status('half-open, cancel'), 'cancelled');
    await expectIdle(server, bus, 'half-open');
  });
});
