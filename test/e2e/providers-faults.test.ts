import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readSse } from '../../client/read-sse.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { anthropicStream } from './support/anthropic-wire.ts';
import { sseFrame, startLoopbackProvider, type LoopbackProvider, type LoopbackReply, type LoopbackRequest } from './support/loopback-provider.ts';
import { chatContentFrames, chatStream, openaiError } from './support/openai-chat-wire.ts';
import { assertWellFormed, eventsOf, startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';
import { postJson } from './support/sse.ts';

// Every fault against a loopback server speaking the provider's real wire format, through the real
// provider package. A process-level listener fails the suite on any unhandled rejection.
describe('provider faults', () => {
  let upstream: LoopbackProvider;
  let server: ProviderTestServer;
  let script: (request: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply> = () => ({ kind: 'json', status: 500, body: {} });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const key = 'sk-loopback-faults-0123456789abcdef';
  const model = 'openai-chat:gpt-4.1-mini';

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    upstream = await startLoopbackProvider((request) => script(request));
    server = await startProviderServer({
      env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: upstream.url, ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: upstream.url },
      // Short backoff and stall limits keep the suite fast; the logic is the same as with the defaults.
      overrides: { modelRetryBaseDelayMs: 5, modelRetryMaxDelayMs: 2000, stallTimeoutMs: 400 },
    });
  });
  after(async () => {
    await server.close();
    await upstream.close();
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  const requestsDuring = async (work: () => Promise<RunEvent[]>) => {
    const before = upstream.requests.length;
    const events = await work();
    return { events, requests: upstream.requests.slice(before) };
  };

  it('429 before the first token: retried after the Retry-After wait, then the run completes', async () => {
    script = (request) => countSince(request) === 0
      ? { kind: 'json', status: 429, headers: { 'retry-after': '1' }, body: openaiError('Rate limit reached for gpt-4.1-mini. Please try again in 1s.', 'requests', 'rate_limit_exceeded') }
      : { kind: 'sse', frames: chatStream({ text: ['After the wait.'] }) };
    marker = upstream.requests.length;
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    assert.equal(events.at(-1)?.type, 'run.completed');
    assert.equal(requests.length, 2);
    assert.ok(requests[1].receivedAt - requests[0].receivedAt >= 990, `waited ${Math.round(requests[1].receivedAt - requests[0].receivedAt)} ms, Retry-After said 1 s`);
    assert.ok(server.logs.some((line) => line.includes('retrying') && line.includes('"status":429')), 'the retry is logged');
  });

  it('5xx on every attempt: 1 + 3 retries, then run.failed with the provider\'s message', async () => {
    script = () => ({ kind: 'json', status: 503, body: openaiError('The engine is currently overloaded, please try again later', 'server_error') });
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    assert.equal(requests.length, 4, 'the default limit is 3 retries');
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.equal(failed.error.code, 'upstream_error');
    assert.match(failed.error.message, /^OpenAI returned 503 \(gave up after 4 attempts\): The engine is currently overloaded/);
  });

  it('a 5xx then a success completes; errors after the first token are never retried', async () => {
    script = (request) => countSince(request) === 0
      ? { kind: 'json', status: 500, body: openaiError('The server had an error while processing your request.', 'server_error') }
      : { kind: 'sse', frames: chatStream({ text: ['Second time lucky.'] }) };
    marker = upstream.requests.length;
    const recovered = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assert.equal(recovered.events.at(-1)?.type, 'run.completed');
    assert.equal(recovered.requests.length, 2);

    script = () => ({ kind: 'sse', frames: [...chatContentFrames({ text: ['Half an'] }), sseFrame({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })] });
    const midStream = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(midStream.events);
    assert.equal(midStream.requests.length, 1, 'output had flowed: no retry');
    assert.equal(eventsOf(midStream.events, 'message.delta')[0]?.delta, 'Half an');
    assert.equal(midStream.events.at(-1)?.type, 'run.failed');
  });

  it('Anthropic `overloaded_error` before any content is retried like a 529', async () => {
    script = (request) => countSince(request) === 0
      ? { kind: 'sse', frames: [sseFrame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error')] }
      : { kind: 'sse', frames: anthropicStream({ text: ['Back in business.'] }) };
    marker = upstream.requests.length;
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model: 'anthropic:claude-haiku-4-5' }));
    assertWellFormed(events);
    assert.equal(requests.length, 2);
    assert.equal(eventsOf(events, 'message.completed')[0]?.text, 'Back in business.');
  });

  it('401: one request, a clear error naming OpenAI, and the echoed key is scrubbed everywhere', async () => {
    script = (request) => ({ kind: 'json', status: 401, body: openaiError(`Incorrect API key provided: ${String(request.headers.authorization).replace('Bearer ', '')}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key') });
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    assert.equal(requests.length, 1);
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.equal(failed.error.code, 'upstream_auth');
    assert.match(failed.error.message, /^OpenAI rejected the API key \(401\): Incorrect API key provided: \[redacted\]/);
    assert.ok(!JSON.stringify(events).includes(key) && !server.logs.join('\n').includes(key), 'the key is in neither the events nor the logs');
  });

  it('a stalled stream is aborted upstream and the run fails with upstream_timeout', async () => {
    script = () => ({ kind: 'sse', frames: chatContentFrames({ text: ['Thinking about'] }), then: 'hold' });
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.equal(failed.error.code, 'upstream_timeout');
    assert.match(failed.error.message, /OpenAI sent nothing for 400 ms/);
    assert.equal(eventsOf(events, 'message.delta')[0]?.delta, 'Thinking about', 'what streamed before the stall stays');
    await requests[0].closed;
    assert.equal(requests[0].abortedByClient, true, 'the upstream request was aborted');
  });

  it('a provider that never answers (no headers) also ends in upstream_timeout', async () => {
    script = async (request) => {
      await request.closed;
      return { kind: 'json', status: 200, body: {} };
    };
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assert.equal(events.at(-1)?.type === 'run.failed' && events.at(-1)?.type, 'run.failed');
    assert.equal((events.at(-1) as { error: { code: string } }).error.code, 'upstream_timeout');
    assert.equal(requests.length, 1, 'a stall is not retried');
    await requests[0].closed;
  });

  it('a malformed chunk mid-stream: run.failed with a clear message, the events already sent stay valid', async () => {
    script = () => ({ kind: 'sse', frames: [...chatContentFrames({ text: ['Good ', 'start'] }), 'data: {"id":"chatcmpl-loopback","choices":[{"delta":{"content":\n\n', ...chatContentFrames({ text: ['never seen'] })] });
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    assert.equal(eventsOf(events, 'message.delta').map((event) => event.delta).join(''), 'Good start');
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.equal(failed.error.code, 'upstream_error');
    assert.match(failed.error.message, /^OpenAI sent a malformed stream chunk: /);
    await requests[0].closed;
  });

  it('a connection cut mid-stream: run.failed naming the cut; replay equals the live stream', async () => {
    script = () => ({ kind: 'sse', frames: chatContentFrames({ text: ['Cut ', 'short'] }), then: 'cut' });
    const { events } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.equal(failed.error.code, 'upstream_error');
    assert.match(failed.error.message, /^The connection to OpenAI was cut mid-stream \(other side closed\)/);
    assert.equal(eventsOf(events, 'message.delta').map((event) => event.delta).join(''), 'Cut short', 'what streamed before the cut stays');
    const replay = await collectReplay(server.url, failed.runId);
    assert.deepEqual(replay, events);
  });

  it('a connection cut before any output is retried like a refused connection', async () => {
    script = (request) => countSince(request) === 0
      ? { kind: 'sse', frames: chatContentFrames({}), then: 'cut' }
      : { kind: 'sse', frames: chatStream({ text: ['Reconnected.'] }) };
    marker = upstream.requests.length;
    const { events, requests } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    assert.equal(requests.length, 2);
    assert.equal(eventsOf(events, 'message.completed')[0]?.text, 'Reconnected.');
  });

  it('a stream that ends without its completion signal fails instead of passing as an answer', async () => {
    script = () => ({ kind: 'sse', frames: chatContentFrames({ text: ['Incomplete'] }) });
    const { events } = await requestsDuring(() => server.run({ agent: 'chat', input: 'Hi', model }));
    assertWellFormed(events);
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.match(failed.error.message, /The OpenAI stream ended before the response was complete/);
  });

  it('cancel: the provider sees its request aborted within 100 ms', async () => {
    script = () => ({ kind: 'sse', frames: chatContentFrames({ text: ['Streaming'] }), then: 'hold' });
    const before = upstream.requests.length;
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Hi', model });
    let cancelledAt = 0;
    let cancel: Promise<Response> | undefined;
    const events: RunEvent[] = [];
    await readSse(response, (frame) => {
      const event = JSON.parse(frame.data) as RunEvent;
      events.push(event);
      if (event.type === 'message.delta' && !cancel) {
        cancelledAt = performance.now();
        cancel = fetch(`${server.url}/v1/runs/${event.runId}/cancel`, { method: 'POST' });
      }
    });
    assert.equal((await cancel!).status, 200);
    assertWellFormed(events);
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    const request = upstream.requests[before];
    const closedAt = await request.closed;
    assert.equal(request.abortedByClient, true);
    assert.ok(closedAt - cancelledAt < 100, `upstream closed ${Math.round(closedAt - cancelledAt)} ms after the cancel`);
  });

  it('onDisconnect: cancel: dropping the client aborts the provider request within 100 ms', async () => {
    script = () => ({ kind: 'sse', frames: chatContentFrames({ text: ['Streaming'] }), then: 'hold' });
    const before = upstream.requests.length;
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/runs`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: controller.signal,
      body: JSON.stringify({ agent: 'chat', input: 'Hi', model, onDisconnect: 'cancel' }),
    });
    let droppedAt = 0;
    let runId = '';
    await readSse(response, (frame) => {
      const event = JSON.parse(frame.data) as RunEvent;
      runId = event.runId;
      if (event.type === 'message.delta' && droppedAt === 0) {
        droppedAt = performance.now();
        controller.abort();
      }
    }).catch((error) => {
      if (!controller.signal.aborted) throw error;
    });
    const request = upstream.requests[before];
    const closedAt = await request.closed;
    assert.ok(closedAt - droppedAt < 100, `upstream closed ${Math.round(closedAt - droppedAt)} ms after the client dropped`);
    const events = await collectReplay(server.url, runId);
    assertWellFormed(events);
    assert.equal(events.at(-1)?.type, 'run.cancelled');
  });

  it('no unhandled rejection was seen', () => {
    assert.deepEqual(unhandled, []);
  });
});

// The index of the first request of the current test, so scripts can tell the first attempt from a retry.
let marker = 0;
function countSince(request: LoopbackRequest): number {
  return request.index - marker;
}

async function collectReplay(url: string, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await readSse(await fetch(`${url}/v1/runs/${runId}/events`), (frame) => events.push(JSON.parse(frame.data) as RunEvent));
  return events;
}
