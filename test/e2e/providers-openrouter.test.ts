import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLoopbackProvider, type LoopbackProvider, type LoopbackReply, type LoopbackRequest } from './support/loopback-provider.ts';
import { chatHasToolResults, chatStream } from './support/openai-chat-wire.ts';
import { assertWellFormed, eventsOf, startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';

// OpenRouter (@openrouter/ai-sdk-provider) and an OpenAI-compatible server (@ai-sdk/openai-compatible),
// both Chat Completions dialects, each against its own loopback server.
describe('OpenRouter and OpenAI-compatible providers', () => {
  let openrouter: LoopbackProvider;
  let local: LoopbackProvider;
  let server: ProviderTestServer;
  let script: (request: LoopbackRequest) => LoopbackReply = () => ({ kind: 'json', status: 500, body: {} });
  const key = 'sk-or-v1-loopback-0123456789abcdef';

  before(async () => {
    openrouter = await startLoopbackProvider((request) => script(request));
    local = await startLoopbackProvider((request) => script(request));
    server = await startProviderServer({
      env: { OPENROUTER_API_KEY: key, OPENROUTER_BASE_URL: openrouter.url },
      config: { providers: { compat: { ollama: { baseURL: local.url, models: ['llama3.2'] } } } },
    });
  });
  after(async () => {
    await server.close();
    await openrouter.close();
    await local.close();
  });

  it('OpenRouter: `delta.reasoning` streams as reasoning.delta; tool calls and usage work', async () => {
    script = (request) => chatHasToolResults(request.body)
      ? { kind: 'sse', frames: chatStream({ model: 'anthropic/claude-haiku-4.5', text: ['It is ', '1,024.'], usage: { promptTokens: 120, completionTokens: 8 } }) }
      : { kind: 'sse', frames: chatStream({
        model: 'anthropic/claude-haiku-4.5',
        reasoning: ['Two to the tenth; ', 'use the calculator.'],
        reasoningField: 'reasoning',
        toolCalls: [{ id: 'call_pow', name: 'calculator', argumentParts: ['{"expression":"2^10"}'] }],
        usage: { promptTokens: 100, completionTokens: 12 },
      }) };
    const events = await server.run({ agent: 'assistant', input: 'What is 2^10?', model: 'openrouter:anthropic/claude-haiku-4.5' });
    assertWellFormed(events);
    assert.equal(eventsOf(events, 'reasoning.delta').map((event) => event.delta).join(''), 'Two to the tenth; use the calculator.');
    assert.equal((eventsOf(events, 'tool.completed')[0]?.result as { result: number }).result, 1024);
    assert.equal(eventsOf(events, 'message.completed').at(-1)?.text, 'It is 1,024.');
    const request = openrouter.requests.at(-1)!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${key}`);
    assert.equal((request.body as { model: string }).model, 'anthropic/claude-haiku-4.5');
    const completed = events.at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.deepEqual([completed.usage.inputTokens, completed.usage.outputTokens], [220, 20]);
  });

  it('the seeds\' `openrouter/<vendor>/<model>` form names the same model', async () => {
    script = () => ({ kind: 'sse', frames: chatStream({ text: ['Slash form works.'] }) });
    const events = await server.run({ agent: 'chat', input: 'Hi', model: 'openrouter/openai/gpt-4.1-mini' });
    assertWellFormed(events);
    assert.equal(events[0].type === 'run.started' && events[0].model, 'openrouter:openai/gpt-4.1-mini');
    assert.equal((openrouter.requests.at(-1)!.body as { model: string }).model, 'openai/gpt-4.1-mini');
  });

  it('compat: `compat:<name>/<model>` reaches the configured base URL; `reasoning_content` streams as reasoning', async () => {
    script = () => ({ kind: 'sse', frames: chatStream({ model: 'llama3.2', reasoning: ['Local ', 'thoughts.'], reasoningField: 'reasoning_content', text: ['Hello from ', 'Ollama.'] }) });
    const before = openrouter.requests.length;
    const events = await server.run({ agent: 'chat', input: 'Hi', model: 'compat:ollama/llama3.2' });
    assertWellFormed(events);
    assert.equal(eventsOf(events, 'reasoning.delta').map((event) => event.delta).join(''), 'Local thoughts.');
    assert.equal(eventsOf(events, 'message.completed')[0]?.text, 'Hello from Ollama.');
    assert.equal(openrouter.requests.length, before, 'nothing went to OpenRouter');
    const request = local.requests.at(-1)!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, undefined, 'no key configured, none sent');
    assert.equal((request.body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage, true, 'usage is asked for');
  });

  it('GET /v1/models lists every configured provider; unconfigured ones say why', async () => {
    const listing = (await (await fetch(`${server.url}/v1/models`)).json()) as { defaultModel: string; models: { id: string; provider: string }[] };
    const ids = listing.models.map((model) => model.id);
    assert.ok(ids.includes('openrouter:openai/gpt-4.1-mini'));
    assert.ok(ids.includes('compat:ollama/llama3.2'));
    assert.ok(!ids.some((id) => id.startsWith('openai:') || id.startsWith('anthropic:')), 'providers without a key are not listed');
    assert.equal(listing.defaultModel, 'openrouter:openai/gpt-4.1-mini');
    const refused = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'x', model: 'anthropic:claude-haiku-4-5' }) });
    assert.equal(refused.status, 404);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'model_not_found');
    assert.match(body.error.message, /provider 'anthropic' has no API key/);
  });
});
