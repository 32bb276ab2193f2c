import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type Run = { id: string; status: string; output: string; usage: { inputTokens: number; outputTokens: number; totalTokens: number } };

/** The run behind a completion: its id is `chatcmpl-<runId>`. */
async function runOf(server: TestServer, completionId: string): Promise<Run> {
  const runId = completionId.replace(/^chatcmpl-/, '');
  await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`)); // to its end
  return (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as Run;
}

describe('OpenAI chat completions with the official openai client', () => {
  let server: TestServer;
  let client: OpenAI;
  const probe = createProbeProvider(20);
  before(async () => {
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [probe.provider, createFailingProvider()] });
    // No retries: every request in these tests must reach the server exactly once.
    client = new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => server.close());

  it('streams an agent with chat.completions.create({ stream: true }): role first, the answer, stop, then usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'assistant', messages: [{ role: 'user', content: 'What is 12 * (3 + 4)?' }], stream: true, stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === chunks[0].id && chunk.model === 'assistant'));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    assert.match(content, /84/);
    const usageChunk = chunks.at(-1)!;
    assert.deepEqual(usageChunk.choices, []);
    assert.ok(usageChunk.usage && usageChunk.usage.total_tokens > 0);
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null), 'usage is null on every other chunk');
    assert.ok(chunks.every((chunk) => !chunk.choices.some((choice) => choice.delta.tool_calls)), 'our tool calls run server-side and are not sent');

    const run = await runOf(server, chunks[0].id);
    assert.equal(run.status, 'completed');
    assert.equal(content, run.output);
    assert.equal(usageChunk.usage.total_tokens, run.usage.totalTokens);
  });

  it('works with the .stream() helper and its final completion', async () => {
    const runner = client.chat.completions.stream({ model: 'chat', messages: [{ role: 'user', content: 'Hello there' }] });
    let streamed = '';
    runner.on('content', (delta) => {
      streamed += delta;
    });
    const completion = await runner.finalChatCompletion();
    const content = completion.choices[0].message.content ?? '';
    assert.ok(content.length > 0);
    assert.equal(streamed, content);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal((await runOf(server, completion.id)).output, content);
  });

  it('answers stream: false with a chat.completion and its usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'assistant',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: [{ type: 'text', text: 'What is 2 + 2?' }] },
      ],
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'assistant');
    assert.equal(completion.choices[0].message.role, 'assistant');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.match(completion.choices[0].message.content ?? '', /4/);
    const run = await runOf(server, completion.id);
    assert.equal(completion.choices[0].message.content, run.output);
    assert.deepEqual(
      { prompt: completion.usage?.prompt_tokens, completion: completion.usage?.completion_tokens, total: completion.usage?.total_tokens },
      { prompt: run.usage.inputTokens, completion: run.usage.outputTokens, total: run.usage.totalTokens },
    );
  });

  it('runs a team as a model: only the team\'s answer streams, not its members\' work', async () => {
    const stream = await client.chat.completions.create({ model: 'research', messages: [{ role: 'user', content: 'AI trends 2024' }], stream: true });
    let content = '';
    let id = '';
    for await (const chunk of stream) {
      id = chunk.id;
      content += chunk.choices[0]?.delta.content ?? '';
    }
    const run = await runOf(server, id);
    assert.equal(run.status, 'completed');
    assert.equal(content, run.output);
  });

  it('lists agents and teams as models, and retrieves one', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      assert.equal(typeof model.created, 'number');
      ids.push(model.id);
    }
    for (const expected of ['assistant', 'chat', 'research', 'web_team', 'business_insights']) assert.ok(ids.includes(expected), `${expected} is listed`);
    const research = await client.models.retrieve('research');
    assert.deepEqual({ id: research.id, object: research.object, owned_by: research.owned_by }, { id: 'research', object: 'model', owned_by: 'agentstream-team' });
    assert.equal((await client.models.retrieve('assistant')).owned_by, 'agentstream-agent');
  });

  it('throws NotFoundError (404, model_not_found) for an unknown model', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'nobody', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.param, 'model');
      assert.equal(error.type, 'invalid_request_error');
      return true;
    });
    await assert.rejects(client.models.retrieve('nobody'), (error: unknown) => error instanceof OpenAI.NotFoundError);
    await assert.rejects(client.chat.completions.create({ model: 'nobody', messages: [{ role: 'user', content: 'hi' }], stream: true }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 404);
  });

  it('throws BadRequestError (400) for invalid requests, in OpenAI\'s error form', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [{ role: 'assistant', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.param, 'messages');
      return true;
    });
    await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], n: 2 }), (error: unknown) => error instanceof OpenAI.BadRequestError);
    const malformed = await fetch(`${server.url}/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    assert.equal(malformed.status, 400);
    const body = (await malformed.json()) as { error: { type: string; code: string; message: string; param: null } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, 'malformed_json');
    const noMessages = await postJson(`${server.url}/openai/v1/chat/completions`, { model: 'chat' });
    assert.equal(noMessages.status, 400);
    const unknownRoute = await fetch(`${server.url}/openai/v1/embeddings`, { method: 'POST' });
    assert.equal(unknownRoute.status, 404);
    assert.equal(((await unknownRoute.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
  });

  it('raises an APIError from the error frame of a run that fails mid-stream, after the text it had', async () => {
    const stream = await client.chat.completions.create({ model: 'broken_agent', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let content = '';
    await assert.rejects((async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    })(), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.match(error.message, /the provider went away/);
      return true;
    });
    assert.equal(content, 'Partial answer ');

    await assert.rejects(client.chat.completions.create({ model: 'broken_agent', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.InternalServerError);
      assert.equal(error.status, 502);
      assert.equal(error.code, 'upstream_error');
      return true;
    });
  });

  it('takes the server\'s API key as the OpenAI API key, and refuses a wrong one with AuthenticationError', async () => {
    const guarded = await startTestServer({ apiKey: 'secret-key' });
    try {
      const baseURL = `${guarded.url}/openai/v1`;
      await assert.rejects(new OpenAI({ baseURL, apiKey: 'wrong', maxRetries: 0 }).models.list(), (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.equal(error.type, 'authentication_error');
        return true;
      });
      const completion = await new OpenAI({ baseURL, apiKey: 'secret-key', maxRetries: 0 }).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(completion.choices[0].finish_reason, 'stop');
    } finally {
      await guarded.close();
    }
  });

  it('offers the client\'s tools: a call ends with tool_calls, and the tool message continues the turn to an answer quoting it', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const user = { role: 'user' as const, content: 'Use get_weather: Paris' };
    const first = await client.chat.completions.create({ model: 'assistant', messages: [user], tools, tool_choice: 'auto' });
    const choice = first.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

    const second = await client.chat.completions.create({
      model: 'assistant', tools,
      messages: [user, choice.message, { role: 'tool', tool_call_id: call.id, content: 'Sunny and 21 degrees in Paris' }],
    });
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.match(second.choices[0].message.content ?? '', /Sunny and 21 degrees/);

    // Streamed, the call arrives as a tool_calls delta and the stream ends with finish_reason tool_calls.
    const stream = await client.chat.completions.create({ model: 'assistant', messages: [user], tools, stream: true });
    const deltas: ChatCompletionChunk[] = [];
    for await (const chunk of stream) deltas.push(chunk);
    assert.equal(deltas.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])[0]?.function?.name, 'get_weather');
    assert.equal(deltas.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
    // tool_choice "none" keeps the client's tools away from the model.
    const none = await client.chat.completions.create({ model: 'assistant', messages: [user], tools, tool_choice: 'none' });
    assert.equal(none.choices[0].finish_reason, 'stop');
    // A tool message that answers no call is refused.
    await assert.rejects(client.chat.completions.create({ model: 'assistant', messages: [user, choice.message, { role: 'tool', tool_call_id: 'call_other', content: 'x' }] }), (error: unknown) => error instanceof OpenAI.BadRequestError);
  });

  it('cancels the run when the client aborts the stream', async () => {
    const stream = await client.chat.completions.create({ model: 'slow_chat', messages: [{ role: 'user', content: 'Tell me a long story' }], stream: true });
    let id = '';
    for await (const chunk of stream) {
      id = chunk.id;
      if (chunk.choices[0]?.delta.content) {
        stream.controller.abort();
        break;
      }
    }
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${id.replace(/^chatcmpl-/, '')}/events`));
    const last = events.at(-1);
    assert.ok(last?.type === 'run.cancelled');
    assert.match(last.reason, /disconnected/);
  });
});

describe('OpenAI chat and a run paused for input (human in the loop)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('the stream stays open while the run waits; an answer through POST /v1/runs/{id}/input lets the same stream finish', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: 'unused', maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions.create({ model: 'supervised', stream: true, messages: [{ role: 'user', content: 'What is 12 * 7?' }] }).withResponse();
    const runId = response.headers.get('x-run-id')!;
    // The pause has no chunk of its own: wait for it on the run's native stream, then answer it.
    const native = await fetch(`${server.url}/v1/runs/${runId}/events`);
    const reader = native.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = '';
    while (!seen.includes('event: run.awaiting_input')) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the run pauses before its stream ends');
      seen += value;
    }
    await reader.cancel();
    const toolCallId = /"toolCallId":"([^"]+)"/.exec(seen.slice(seen.indexOf('event: run.awaiting_input')))![1];
    const answer = await postJson(`${server.url}/v1/runs/${runId}/input`, { decisions: [{ toolCallId, decision: 'approve' }] });
    assert.equal(answer.status, 200);
    let content = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.match(content, /84/);
    assert.equal(finish, 'stop');
  });
});
