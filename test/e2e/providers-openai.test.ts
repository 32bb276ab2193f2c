import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLoopbackProvider, type LoopbackProvider, type LoopbackReply, type LoopbackRequest } from './support/loopback-provider.ts';
import { chatHasToolResults, chatStream } from './support/openai-chat-wire.ts';
import { responsesHasToolResults, responsesStream } from './support/openai-responses-wire.ts';
import { assertWellFormed, eventsOf, startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';

// Both OpenAI wire formats, driven through @ai-sdk/openai pointed at a loopback server via OPENAI_BASE_URL.
describe('OpenAI provider (Chat Completions and Responses)', () => {
  let upstream: LoopbackProvider;
  let server: ProviderTestServer;
  let script: (request: LoopbackRequest) => LoopbackReply = () => ({ kind: 'json', status: 500, body: {} });
  const key = 'sk-loopback-openai-0123456789abcdef';

  before(async () => {
    upstream = await startLoopbackProvider((request) => script(request));
    server = await startProviderServer({
      env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: upstream.url },
      config: { prices: { 'openai:gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 }, 'openai:o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 } } },
    });
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('Chat Completions: parallel tool calls run together, results go back, usage is priced per step and per run', async () => {
    script = (request) => {
      assert.equal(request.path, '/v1/chat/completions');
      assert.equal(request.headers.authorization, `Bearer ${key}`);
      return chatHasToolResults(request.body)
        ? { kind: 'sse', frames: chatStream({ model: 'gpt-4.1', text: ['12 × 7 is ', '84, and the clock ', 'says it is late.'], usage: { promptTokens: 300, completionTokens: 20 } }) }
        : { kind: 'sse', frames: chatStream({
          model: 'gpt-4.1',
          toolCalls: [
            { id: 'call_calc', name: 'calculator', argumentParts: ['{"expres', 'sion": "12 * 7"}'] },
            { id: 'call_clock', name: 'clock', argumentParts: ['{}'] },
          ],
          usage: { promptTokens: 200, completionTokens: 30 },
        }) };
    };
    const before = upstream.requests.length;
    const events = await server.run({ agent: 'assistant', input: 'What is 12 * 7, and what time is it?', model: 'openai-chat:gpt-4.1' });
    assertWellFormed(events);
    assert.equal(events.at(-1)?.type, 'run.completed');
    assert.equal(upstream.requests.length - before, 2, 'two model calls: tools, then the answer');

    const started = eventsOf(events, 'tool.started');
    assert.deepEqual(started.map((event) => event.toolName).sort(), ['calculator', 'clock']);
    const firstCompleted = events.findIndex((event) => event.type === 'tool.completed');
    assert.ok(started.every((event) => events.indexOf(event) < firstCompleted), 'both tools started before either finished: they ran in parallel');
    const calculator = eventsOf(events, 'tool.completed').find((event) => event.toolName === 'calculator');
    assert.deepEqual(started.find((event) => event.toolName === 'calculator')?.args, { expression: '12 * 7' });
    assert.equal((calculator?.result as { result: number }).result, 84);

    const second = upstream.requests.at(-1)!.body as { messages: { role: string; tool_call_id?: string; content: string }[] };
    const toolMessages = second.messages.filter((message) => message.role === 'tool');
    assert.deepEqual(toolMessages.map((message) => message.tool_call_id).sort(), ['call_calc', 'call_clock']);
    assert.match(toolMessages.find((message) => message.tool_call_id === 'call_calc')!.content, /84/);

    const text = eventsOf(events, 'message.delta').map((event) => event.delta).join('');
    assert.equal(text, '12 × 7 is 84, and the clock says it is late.');
    const steps = eventsOf(events, 'usage');
    assert.deepEqual(steps.map((event) => [event.step, event.usage.inputTokens, event.usage.outputTokens]), [[1, 200, 30], [2, 300, 20]]);
    // openai-chat:gpt-4.1 is priced by the openai:gpt-4.1 entry: $2 / $8 per million.
    assert.equal(steps[0].usage.costUsd, (200 * 2 + 30 * 8) / 1e6);
    const completed = events.at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.deepEqual({ ...completed.usage }, { inputTokens: 500, outputTokens: 50, totalTokens: 550, reasoningTokens: 0, costUsd: (500 * 2 + 50 * 8) / 1e6 });
    const stored = (await (await fetch(`${server.url}/v1/runs/${completed.runId}`)).json()) as { usage: { costUsd: number } };
    assert.equal(stored.usage.costUsd, completed.usage.costUsd);
  });

  it('Responses: reasoning summaries stream as reasoning.delta, then the answer', async () => {
    script = (request) => {
      assert.equal(request.path, '/v1/responses');
      return { kind: 'sse', frames: responsesStream({ model: 'o4-mini', reasoningSummary: ['**Weighing** the question. ', 'It is a greeting.'], text: ['Hello', ' there!'], usage: { inputTokens: 40, outputTokens: 60, reasoningTokens: 48 } }) };
    };
    const events = await server.run({ agent: 'chat', input: 'Hi!', model: 'openai:o4-mini' });
    assertWellFormed(events);
    const reasoning = eventsOf(events, 'reasoning.delta');
    assert.equal(reasoning.map((event) => event.delta).join(''), '**Weighing** the question. It is a greeting.');
    assert.ok(events.indexOf(reasoning.at(-1)!) < events.findIndex((event) => event.type === 'message.delta'), 'reasoning comes before the answer');
    assert.equal(eventsOf(events, 'message.completed')[0]?.text, 'Hello there!');
    const body = upstream.requests.at(-1)!.body as { model: string; reasoning?: { summary?: string }; stream: boolean };
    assert.equal(body.model, 'o4-mini');
    assert.equal(body.stream, true);
    assert.equal(body.reasoning?.summary, 'auto', 'reasoning summaries are asked for');
    const completed = events.at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.equal(completed.usage.reasoningTokens, 48);
    assert.equal(completed.usage.costUsd, (40 * 1.1 + 60 * 4.4) / 1e6);
  });

  it('Responses: parallel function calls and function_call_output on the next turn', async () => {
    script = (request) => responsesHasToolResults(request.body)
      ? { kind: 'sse', frames: responsesStream({ text: ['Both done.'] }) }
      : { kind: 'sse', frames: responsesStream({ functionCalls: [
        { callId: 'call_a', name: 'calculator', argumentParts: ['{"expression":', '"2 + 2"}'] },
        { callId: 'call_b', name: 'calculator', argumentParts: ['{"expression":"3 * 3"}'] },
      ] }) };
    const events = await server.run({ agent: 'assistant', input: 'Compute 2 + 2 and 3 * 3.', model: 'openai:gpt-4.1' });
    assertWellFormed(events);
    const results = eventsOf(events, 'tool.completed').map((event) => (event.result as { result: number }).result).sort();
    assert.deepEqual(results, [4, 9]);
    const input = (upstream.requests.at(-1)!.body as { input: { type?: string; call_id?: string }[] }).input;
    assert.deepEqual(input.filter((item) => item.type === 'function_call_output').map((item) => item.call_id).sort(), ['call_a', 'call_b']);
    assert.equal(eventsOf(events, 'message.completed').at(-1)?.text, 'Both done.');
  });

  it('lists the configured OpenAI model, makes it the default, and never shows the key', async () => {
    const listing = (await (await fetch(`${server.url}/v1/models`)).json()) as { defaultModel: string; models: { id: string; simulated: boolean }[] };
    assert.equal(listing.defaultModel, 'openai:gpt-4.1-mini', 'with a key set, the first keyed provider is the default');
    assert.ok(listing.models.some((model) => model.id === 'openai:gpt-4.1-mini' && !model.simulated));
    assert.ok(listing.models.some((model) => model.id === 'demo'), 'the demo model stays available');

    script = () => ({ kind: 'sse', frames: responsesStream({ text: ['Default model here.'] }) });
    const events = await server.run({ agent: 'chat', input: 'Which model are you?' });
    assert.equal(events[0].type === 'run.started' && events[0].model, 'openai:gpt-4.1-mini');
    const body = upstream.requests.at(-1)!.body as { model: string; reasoning?: unknown };
    assert.equal(body.model, 'gpt-4.1-mini');
    assert.equal(body.reasoning, undefined, 'no reasoning settings for a model that does not reason');
    assert.ok(!server.logs.some((line) => line.includes(key)), 'the key never appears in the logs');
    assert.ok(!JSON.stringify(listing).includes(key));
  });
});

describe('OpenAI provider with `api: "chat"` and models from the config file', () => {
  let upstream: LoopbackProvider;
  let server: ProviderTestServer;

  before(async () => {
    upstream = await startLoopbackProvider(() => ({ kind: 'sse', frames: chatStream({ text: ['From chat completions.'] }) }));
    server = await startProviderServer({
      config: { providers: { openai: { apiKey: 'sk-from-config-file-0123456789', baseURL: upstream.url, api: 'chat', models: ['gpt-4.1-nano', 'gpt-4.1'] } } },
    });
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('`openai:<model>` speaks Chat Completions, with key, base URL and listed models from the file', async () => {
    const listing = (await (await fetch(`${server.url}/v1/models`)).json()) as { defaultModel: string; models: { id: string }[] };
    assert.equal(listing.defaultModel, 'openai:gpt-4.1-nano');
    assert.deepEqual(listing.models.filter((model) => model.id.startsWith('openai')).map((model) => model.id), ['openai:gpt-4.1-nano', 'openai:gpt-4.1']);
    const events = await server.run({ agent: 'chat', input: 'Hello' });
    assertWellFormed(events);
    assert.equal(eventsOf(events, 'message.completed')[0]?.text, 'From chat completions.');
    assert.equal(upstream.requests.at(-1)?.path, '/v1/chat/completions');
    assert.equal(upstream.requests.at(-1)?.headers.authorization, 'Bearer sk-from-config-file-0123456789');
    const completed = events.at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.equal(completed.usage.costUsd, undefined, 'no price configured: no cost estimate');
  });
});
