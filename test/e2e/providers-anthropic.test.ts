import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { anthropicError, anthropicHasToolResults, anthropicStream } from './support/anthropic-wire.ts';
import { startLoopbackProvider, type LoopbackProvider, type LoopbackReply, type LoopbackRequest } from './support/loopback-provider.ts';
import { assertWellFormed, eventsOf, startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';

// The Anthropic Messages API through @ai-sdk/anthropic pointed at a loopback server via ANTHROPIC_BASE_URL.
describe('Anthropic provider', () => {
  let upstream: LoopbackProvider;
  let server: ProviderTestServer;
  let script: (request: LoopbackRequest) => LoopbackReply = () => ({ kind: 'json', status: 500, body: {} });
  const key = 'sk-ant-loopback-0123456789abcdef';

  before(async () => {
    upstream = await startLoopbackProvider((request) => script(request));
    server = await startProviderServer({
      env: { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: upstream.url },
      config: {
        providers: { anthropic: { thinkingBudgetTokens: 2048 } },
        prices: { 'anthropic:claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 } },
      },
    });
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('thinking streams as reasoning.delta; parallel tool_use blocks with input_json_delta become tool calls', async () => {
    script = (request) => {
      assert.equal(request.path, '/v1/messages');
      return anthropicHasToolResults(request.body)
        ? { kind: 'sse', frames: anthropicStream({ thinking: ['Both answers are in.'], text: ['6 × 7 = 42', ' and 10 / 4 = 2.5.'], usage: { inputTokens: 400, outputTokens: 40 } }) }
        : { kind: 'sse', frames: anthropicStream({
          thinking: ['Two independent ', 'calculations: run both.'],
          text: ['Let me compute both.'],
          toolUses: [
            { id: 'toolu_01', name: 'calculator', jsonParts: ['{"expression"', ': "6 * 7"}'] },
            { id: 'toolu_02', name: 'calculator', jsonParts: ['{"expression": "10 / 4"}'] },
          ],
          usage: { inputTokens: 300, outputTokens: 60 },
        }) };
    };
    const events = await server.run({ agent: 'assistant', input: 'What are 6 * 7 and 10 / 4?', model: 'anthropic:claude-haiku-4-5' });
    assertWellFormed(events);
    assert.equal(events.at(-1)?.type, 'run.completed');
    const reasoning = eventsOf(events, 'reasoning.delta').map((event) => event.delta).join('');
    assert.equal(reasoning, 'Two independent calculations: run both.Both answers are in.');
    assert.deepEqual(eventsOf(events, 'tool.started').map((event) => event.toolCallId), ['toolu_01', 'toolu_02']);
    assert.deepEqual(eventsOf(events, 'tool.completed').map((event) => (event.result as { result: number }).result).sort(), [2.5, 42]);
    assert.equal(eventsOf(events, 'message.completed').at(-1)?.text, '6 × 7 = 42 and 10 / 4 = 2.5.');

    const first = upstream.requests.at(-2)!;
    assert.equal(first.headers['x-api-key'], key);
    assert.deepEqual((first.body as { thinking?: unknown }).thinking, { type: 'enabled', budget_tokens: 2048 }, 'the configured thinking budget is sent');
    const second = upstream.requests.at(-1)!.body as { messages: { role: string; content: { type: string; tool_use_id?: string }[] }[] };
    const results = second.messages.flatMap((message) => (Array.isArray(message.content) ? message.content : [])).filter((part) => part.type === 'tool_result');
    assert.deepEqual(results.map((part) => part.tool_use_id), ['toolu_01', 'toolu_02']);

    const completed = events.at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.equal(completed.usage.inputTokens, 700);
    assert.equal(completed.usage.outputTokens, 100);
    assert.equal(completed.usage.costUsd, (700 * 1 + 100 * 5) / 1e6);
  });

  it('401: fails at once with a message naming Anthropic, no retry, and the key appears nowhere', async () => {
    // Providers may echo the key they refused; it must not travel any further.
    script = (request) => ({ kind: 'json', status: 401, headers: { 'request-id': 'req_loopback' }, body: anthropicError('authentication_error', `invalid x-api-key: ${request.headers['x-api-key']}`) });
    const before = upstream.requests.length;
    const events = await server.run({ agent: 'chat', input: 'Hello', model: 'anthropic:claude-haiku-4-5' });
    assertWellFormed(events);
    const failed = events.at(-1);
    assert.ok(failed?.type === 'run.failed');
    assert.equal(failed.error.code, 'upstream_auth');
    assert.match(failed.error.message, /Anthropic rejected the API key \(401\)/);
    assert.match(failed.error.message, /invalid x-api-key/);
    assert.equal(upstream.requests.length - before, 1, 'a 401 is not retried');

    const run = (await (await fetch(`${server.url}/v1/runs/${failed.runId}`)).text());
    const replay = await (await fetch(`${server.url}/v1/runs/${failed.runId}/events`)).text();
    for (const [where, text] of [['the events', JSON.stringify(events)], ['the run record', run], ['the replay', replay], ['the logs', server.logs.join('\n')]]) {
      assert.ok(!text.includes(key), `the key does not appear in ${where}`);
    }
    assert.ok(server.logs.some((line) => line.includes('run failed') && line.includes('[redacted]')), 'the failure is logged, scrubbed');
  });
});
