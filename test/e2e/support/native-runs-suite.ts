import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertWellFormedRun } from './assert-run.ts';
import { collectRunEvents, postJson } from './sse.ts';
import type { TestServer } from './test-server.ts';

/** The native run API's suite, against a server `start` makes: the embedded shape and the queue shape run it alike. */
export function nativeRunsSuite(name: string, start: () => Promise<TestServer>, options: { skip?: string } = {}) {
describe(name, { skip: options.skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  it('streams an agent run with a tool call as gapless, well-formed SSE', async () => {
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 12 * (3 + 4)?' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    assert.equal(response.headers.get('content-encoding'), null);
    const events = await collectRunEvents(response);
    assertWellFormedRun(events);
    const types = events.map((event) => event.type);
    assert.ok(types.includes('reasoning.delta'));
    assert.ok(types.includes('message.delta'));
    const toolCompleted = events.find((event) => event.type === 'tool.completed');
    assert.ok(toolCompleted && toolCompleted.type === 'tool.completed');
    assert.equal(toolCompleted.toolName, 'calculator');
    assert.deepEqual((toolCompleted.result as { result: number }).result, 84);
    const completed = events.at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.match(completed.output, /84/);
    assert.ok(completed.usage.totalTokens > 0);
    const text = events.filter((event) => event.type === 'message.delta').map((event) => (event as { delta: string }).delta).join('');
    assert.equal(text, completed.output);
  });

  it('a tool that fails becomes tool.failed and the run goes on to answer', async () => {
    const events = await collectRunEvents(await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 1/0?' }));
    assertWellFormedRun(events);
    const failed = events.find((event) => event.type === 'tool.failed');
    assert.ok(failed && failed.type === 'tool.failed', `events: ${events.map((event) => event.type).join(', ')}`);
    assert.equal(failed.toolName, 'calculator');
    assert.equal(failed.error.code, 'tool_failed');
    assert.ok(failed.error.message.length > 0);
    assert.equal(events.at(-1)?.type, 'run.completed');
  });

  it('answers stream:false with the run as JSON, and background:true with 202 at once', async () => {
    const json = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Hello there', stream: false });
    assert.equal(json.status, 200);
    const body = (await json.json()) as { runId: string; status: string; output: string; usage: { totalTokens: number } };
    assert.equal(body.status, 'completed');
    assert.ok(body.output.length > 0);
    assert.ok(body.usage.totalTokens > 0);

    const background = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Hello again', background: true });
    assert.equal(background.status, 202);
    const { runId } = (await background.json()) as { runId: string };
    const events = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
    assertWellFormedRun(events);
    const run = (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as { status: string; output: string };
    assert.equal(run.status, 'completed');
  });

  it('resumes a finished run from every Last-Event-ID with exactly the rest', async () => {
    const events = await collectRunEvents(await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'search for server-sent events' }));
    const runId = events[0].runId;
    for (let last = 0; last <= events.length; last += 1) {
      const response = await fetch(`${server.url}/v1/runs/${runId}/events`, { headers: { 'last-event-id': String(last) } });
      if (last === events.length) {
        // The reader has the whole run: 204 (which tells EventSource to stop reconnecting), not a hang.
        assert.equal(response.status, 204);
        continue;
      }
      const rest = await collectRunEvents(response);
      assert.deepEqual(rest.map((event) => event.seq), events.slice(last).map((event) => event.seq), `after ${last}`);
    }
    const beyond = await fetch(`${server.url}/v1/runs/${runId}/events`, { headers: { 'last-event-id': String(events.length + 5) } });
    assert.equal(beyond.status, 400);
    const viaQuery = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events?after=3`));
    assert.equal(viaQuery[0].seq, 4);
  });

  it('lists runs with filters and cursor pagination', async () => {
    for (let index = 0; index < 3; index += 1) await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: `page ${index}`, stream: false })).json();
    const first = (await (await fetch(`${server.url}/v1/runs?agent=chat&limit=2`)).json()) as { runs: { id: string; target: { id: string } }[]; nextCursor: string };
    assert.equal(first.runs.length, 2);
    assert.ok(first.runs.every((run) => run.target.id === 'chat'));
    assert.ok(first.nextCursor);
    const second = (await (await fetch(`${server.url}/v1/runs?agent=chat&limit=2&cursor=${first.nextCursor}`)).json()) as { runs: { id: string }[] };
    assert.ok(second.runs.length >= 1);
    assert.ok(second.runs.every((run) => !first.runs.some((seen) => seen.id === run.id)));
    const failed = (await (await fetch(`${server.url}/v1/runs?status=failed`)).json()) as { runs: unknown[] };
    assert.deepEqual(failed.runs, []);
  });

  it('keeps conversation history in a session', async () => {
    const first = (await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'My name is Ada Lovelace.', stream: false })).json()) as { sessionId: string };
    await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'What did I tell you?', sessionId: first.sessionId, stream: false })).json();
    const session = (await (await fetch(`${server.url}/v1/sessions/${first.sessionId}`)).json()) as { messages: { role: string; content: string }[]; runs: unknown[] };
    assert.deepEqual(session.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(session.messages[0].content, 'My name is Ada Lovelace.');
    assert.equal(session.runs.length, 2);
    const bySession = (await (await fetch(`${server.url}/v1/runs?session=${first.sessionId}`)).json()) as { runs: { sessionId: string }[] };
    assert.equal(bySession.runs.length, 2);
    assert.ok(bySession.runs.every((run) => run.sessionId === first.sessionId));
    const deleted = await fetch(`${server.url}/v1/sessions/${first.sessionId}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal((await fetch(`${server.url}/v1/sessions/${first.sessionId}`)).status, 404);
  });

  it('describes agents, models and tools', async () => {
    const agents = (await (await fetch(`${server.url}/v1/agents`)).json()) as { agents: { id: string; tools: string[] }[] };
    assert.deepEqual(agents.agents.map((agent) => agent.id).slice(0, 2), ['assistant', 'chat']);
    assert.deepEqual(agents.agents[0].tools, ['calculator', 'clock', 'sales_data', 'knowledge_search']);
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { defaultModel: string; models: { id: string; label: string; simulated: boolean }[] };
    assert.equal(models.defaultModel, 'demo');
    assert.deepEqual(models.models.find((model) => model.id === 'demo'), { id: 'demo', provider: 'demo', label: 'demo (simulated)', simulated: true, isDefault: true });
    const tools = (await (await fetch(`${server.url}/v1/tools`)).json()) as { tools: { name: string; parameters: { type: string } }[] };
    assert.equal(tools.tools.length, 5);
    assert.ok(tools.tools.every((tool) => tool.parameters.type === 'object'));
    assert.equal((await fetch(`${server.url}/v1/agents/nobody`)).status, 404);
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    assert.equal(((await (await fetch(`${server.url}/ready`)).json()) as { store: string }).store, server.server.store.kind);
  });

  it('serves the OpenAPI document, Swagger UI and ReDoc', async () => {
    const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(spec.openapi, /^3\./);
    assert.ok(spec.paths['/v1/runs']);
    assert.ok(spec.paths['/v1/runs/{runId}/events']);
    assert.equal((await fetch(`${server.url}/docs`, { redirect: 'follow' })).status, 200);
    const redoc = await fetch(`${server.url}/redoc`);
    assert.match(await redoc.text(), /redoc.standalone.js/);
    assert.equal((await fetch(`${server.url}/redoc/redoc.standalone.js`)).status, 200);
  });
});
}
