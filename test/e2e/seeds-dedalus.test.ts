import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { browserSkip, launchBrowser } from './support/browser.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startLoopbackProvider, type LoopbackProvider, type LoopbackReply, type LoopbackRequest } from './support/loopback-provider.ts';
import { responsesStream } from './support/openai-responses-wire.ts';
import { startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Seed 001 (Dedalus), driven the way its document's clients drive it: its JavaScript fetch snippet, a
// line reader like its Python client (httpx `aiter_lines` + `json.loads(line[6:])`; httpx itself is not
// installed here), its React hook's reading of `event.event` / `event.data.content`, and its curl command.

const run = promisify(execFile);
type DedalusEvent = { event: string; data: Record<string, unknown>; timestamp: string };

/** The document's JavaScript snippet, verbatim but for the URL; "Process SSE events" keeps the decoded text. */
async function documentJsClient(url: string, body: unknown): Promise<string> {
  let received = '';
  const response = await fetch(`${url}/api/agent/stream`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

  const reader = response.body!.getReader();
  const decoder = new TextDecoder();

  while (true) {
    const { done, value } = await reader.read();
    if (done) break;

    const chunk = decoder.decode(value);
    // Process SSE events
    received += chunk;
  }
  assert.equal(response.status, 200);
  return received;
}

/** What the document's Python client does: every line starting with `data: ` is json-loaded. */
function pythonStyleEvents(text: string): DedalusEvent[] {
  return text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as DedalusEvent);
}

/** Frames with both their `event:` field and their JSON, which must agree. */
function framesOf(text: string): DedalusEvent[] {
  return text.split('\n\n').filter(Boolean).map((frame) => {
    const eventLine = frame.split('\n').find((line) => line.startsWith('event: '));
    const parsed = pythonStyleEvents(frame)[0];
    assert.equal(eventLine?.slice(7), parsed.event, 'the event: field names the same type as the JSON');
    return parsed;
  });
}
const types = (events: DedalusEvent[]) => events.map((event) => event.event);

/** A stand-in for the document's Next.js frontend: a real loopback server serving one empty page. */
async function startFrontend(): Promise<{ origin: string; close(): Promise<void> }> {
  const frontend = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>'));
  await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(frontend.address() as AddressInfo).port}`, close: () => new Promise((resolve) => frontend.close(() => resolve())) };
}

describe('seed 001: Dedalus agent API', () => {
  let server: TestServer;
  let frontend: { origin: string; close(): Promise<void> };
  before(async () => {
    frontend = await startFrontend();
    // The default origins (the document's localhost:3000 and :3001) plus the stand-in frontend's port.
    server = await startTestServer({ corsOrigins: ['http://localhost:3000', 'http://localhost:3001', frontend.origin] });
  });
  after(async () => {
    await server.close();
    await frontend.close();
  });

  it('the document\'s JS snippet with an unconfigured openai/gpt-4.1: a 200 stream with error, then complete', async () => {
    const events = framesOf(await documentJsClient(server.url, { input: 'Research AI', model: 'openai/gpt-4.1' }));
    assert.deepEqual(types(events), ['error', 'complete']);
    assert.equal(events[0].data.code, 'model_not_found');
    assert.match(String(events[0].data.error), /openai:gpt-4\.1/);
  });

  it('a streamed run reads like the Python client and the React hook expect, complete last', async () => {
    const response = await postJson(`${server.url}/api/agent/stream`, { input: 'What is 12 * (3 + 4)?', model: 'demo' });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = framesOf(await response.text());
    assert.deepEqual([...new Set(types(events))], ['thinking', 'tool_use', 'tool_result', 'partial_output', 'final_output', 'complete']);
    assert.equal(types(events).filter((type) => type === 'complete').length, 1);
    const toolUse = events.find((event) => event.event === 'tool_use')!;
    const toolResult = events.find((event) => event.event === 'tool_result')!;
    assert.equal(toolUse.data.tool_name, 'calculator');
    assert.equal(toolResult.data.tool_call_id, toolUse.data.tool_call_id);
    assert.equal((toolResult.data.result as { result: number }).result, 84);
    // The React hook: `if (event.event === 'final_output') console.log(event.data.content)`.
    const final = events.find((event) => event.event === 'final_output')!;
    const partial = events.filter((event) => event.event === 'partial_output').map((event) => event.data.content).join('');
    assert.equal(final.data.content, partial);
    assert.equal(final.data.model, 'demo');
    assert.ok((final.data.usage as { total_tokens: number }).total_tokens > 0);
    assert.equal(events.at(-1)?.data.status, 'completed');
    assert.ok(events.every((event) => !Number.isNaN(Date.parse(event.timestamp))));
  });

  it('the document\'s curl on /stream/simulate: every event type, no model called', async () => {
    const { stdout } = await run('curl', ['-N', '-X', 'POST', `${server.url}/api/agent/stream/simulate`, '-H', 'Content-Type: application/json', '-d', '{"input": "Test", "model": "openai/gpt-4.1"}', '--silent']);
    const events = framesOf(stdout);
    assert.deepEqual([...new Set(types(events))], ['thinking', 'tool_use', 'tool_result', 'partial_output', 'final_output', 'complete']);
    assert.match(String(events.find((event) => event.event === 'final_output')?.data.content), /Simulated answer to "Test"/);
    const failing = framesOf(await (await postJson(`${server.url}/api/agent/stream/simulate`, { input: 'Test', simulate_error: true })).text());
    assert.deepEqual(types(failing).slice(-2), ['error', 'complete']);
  });

  it('mcp_servers naming a server that is not configured: error (with the name), then complete', async () => {
    const events = framesOf(await documentJsClient(server.url, { input: 'Your prompt here', mcp_servers: ['joerup/exa-mcp'] }));
    assert.deepEqual(types(events), ['error', 'complete']);
    assert.match(String(events[0].data.error), /joerup\/exa-mcp/);
  });

  it('bad input on the streaming routes is error + complete on a 200 stream, never a hang', async () => {
    const cases: [string, RequestInit][] = [
      ['missing input', { body: JSON.stringify({ model: 'demo' }) }],
      ['input of the wrong type', { body: JSON.stringify({ input: 42 }) }],
      ['mcp_servers not a list', { body: JSON.stringify({ input: 'x', mcp_servers: 'exa' }) }],
      ['malformed JSON', { body: '{"input": ' }],
    ];
    for (const path of ['/api/agent/stream', '/api/agent/stream/simulate']) {
      for (const [label, init] of cases) {
        const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...init });
        assert.equal(response.status, 200, `${path} ${label}`);
        const events = framesOf(await response.text());
        assert.deepEqual(types(events), ['error', 'complete'], `${path} ${label}`);
        assert.match(String(events[0].data.code), /^(validation_failed|malformed_json)$/);
      }
    }
    const form = await fetch(`${server.url}/api/agent/stream`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'input=x' });
    assert.deepEqual(types(framesOf(await form.text())), ['error', 'complete']);
  });

  it('execute answers one AgentResponse; an unknown model or a bad body is a JSON 4xx', async () => {
    const response = await postJson(`${server.url}/api/agent/execute`, { input: 'What is 12 * (3 + 4)?', model: 'demo' });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { success: boolean; output: string; model: string; tool_calls: { tool_name: string; result: { result: number } }[]; usage: { total_tokens: number } };
    assert.equal(body.success, true);
    assert.match(body.output, /84/);
    assert.equal(body.model, 'demo');
    assert.deepEqual(body.tool_calls.map((call) => [call.tool_name, call.result.result]), [['calculator', 84]]);
    assert.ok(body.usage.total_tokens > 0);
    const unknown = await postJson(`${server.url}/api/agent/execute`, { input: 'x', model: 'openai/gpt-4.1' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'model_not_found');
    const bad = await postJson(`${server.url}/api/agent/execute`, {});
    assert.equal(bad.status, 422);
  });

  it('lists models in the document\'s provider/model form, and the (empty) MCP servers', async () => {
    const models = (await (await fetch(`${server.url}/api/agent/models`)).json()) as { models: { id: string; default: boolean }[]; default_model: string };
    assert.ok(models.models.some((model) => model.id === 'demo' && model.default));
    assert.equal(models.default_model, 'demo');
    assert.deepEqual(await (await fetch(`${server.url}/api/agent/mcp-servers`)).json(), { mcp_servers: [], count: 0 });
  });

  it('the document\'s JS snippet in Chromium, on a frontend of another origin: CORS lets it read the stream', { skip: browserSkip }, async () => {
    const browser = await launchBrowser();
    try {
      await browser.page.goto(`${frontend.origin}/agent`);
      const received = await browser.page.evaluate(async (apiUrl) => {
        let text = '';
        const response = await fetch(`${apiUrl}/api/agent/stream`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            input: 'Research AI',
            model: 'demo'
          })
        });

        const reader = response.body!.getReader();
        const decoder = new TextDecoder();

        while (true) {
          const { done, value } = await reader.read();
          if (done) break;

          const chunk = decoder.decode(value);
          // Process SSE events
          text += chunk;
        }
        return text;
      }, server.url);
      const events = framesOf(received);
      assert.equal(events.at(-1)?.event, 'complete');
      assert.ok(events.some((event) => event.event === 'final_output'));
    } finally {
      await browser.close();
    }
  });

  it('CORS lets the document\'s frontends at localhost:3000 and :3001 read the stream', async () => {
    for (const origin of ['http://localhost:3000', 'http://localhost:3001']) {
      const response = await postJson(`${server.url}/api/agent/stream/simulate`, { input: 'Test' }, { origin });
      assert.equal(response.headers.get('access-control-allow-origin'), origin);
      await response.text();
    }
  });
});

describe('seed 001: Dedalus with OpenAI configured (a loopback server speaking the Responses API)', () => {
  let upstream: LoopbackProvider;
  let server: ProviderTestServer;
  let script: (request: LoopbackRequest) => LoopbackReply = () => ({ kind: 'json', status: 500, body: {} });
  before(async () => {
    upstream = await startLoopbackProvider((request) => script(request));
    server = await startProviderServer({ env: { OPENAI_API_KEY: 'sk-loopback-dedalus-0123456789', OPENAI_BASE_URL: upstream.url } });
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('the document\'s request, model "openai/gpt-4.1", streams that model\'s answer', async () => {
    script = () => ({ kind: 'sse', frames: responsesStream({ model: 'gpt-4.1', reasoningSummary: ['Researching ', 'AI.'], text: ['AI is ', 'moving fast.'], usage: { inputTokens: 30, outputTokens: 12 } }) });
    const events = framesOf(await documentJsClient(server.url, { input: 'Research AI', model: 'openai/gpt-4.1' }));
    assert.equal((upstream.requests.at(-1)!.body as { model: string }).model, 'gpt-4.1');
    assert.equal(events.filter((event) => event.event === 'thinking').map((event) => event.data.content).join(''), 'Researching AI.');
    assert.equal(events.filter((event) => event.event === 'partial_output').map((event) => event.data.content).join(''), 'AI is moving fast.');
    const final = events.find((event) => event.event === 'final_output')!;
    assert.deepEqual([final.data.content, final.data.model, (final.data.usage as { total_tokens: number }).total_tokens], ['AI is moving fast.', 'openai:gpt-4.1', 42]);
    assert.deepEqual(types(events).slice(-2), ['final_output', 'complete']);
  });

  it('a client that goes away cancels the run, and the model call with it', async () => {
    script = () => ({ kind: 'sse', frames: responsesStream({ text: ['Partial '] }).slice(0, 5), then: 'hold' });
    const response = await postJson(`${server.url}/api/agent/stream`, { input: 'Research AI', model: 'openai/gpt-4.1' });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: partial_output')) {
      const { value, done } = await reader.read();
      assert.ok(!done, `the stream ended before any partial_output: ${text}`);
      text += decoder.decode(value);
    }
    await reader.cancel();
    const modelCall = upstream.requests.at(-1)!;
    await modelCall.closed;
    assert.equal(modelCall.abortedByClient, true, 'the upstream request was aborted');
    const { runs } = (await (await fetch(`${server.url}/v1/runs?agent=assistant&limit=1`)).json()) as { runs: { id: string }[] };
    const events = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runs[0].id}/events`));
    assert.equal(events.at(-1)?.type, 'run.cancelled');
  });
});
