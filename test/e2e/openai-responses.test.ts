import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type Run = { id: string; status: string; output: string; sessionId: string; usage: { totalTokens: number } };

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete']);

async function runOf(server: TestServer, responseId: string): Promise<Run> {
  await collectRunEvents(await fetch(`${server.url}/v1/runs/${responseId}/events`)); // to its end
  return (await (await fetch(`${server.url}/v1/runs/${responseId}`)).json()) as Run;
}

function assertWellFormed(events: ResponseStreamEvent[], firstSequence = 0): void {
  assert.deepEqual(events.map((event) => event.sequence_number), events.map((_, index) => firstSequence + index), 'sequence_number increases by one');
  assert.equal(events.filter((event) => TERMINAL.has(event.type)).length, 1, 'exactly one terminal event');
  assert.ok(TERMINAL.has(events.at(-1)!.type), 'the terminal event is last');
}

function textOf(events: ResponseStreamEvent[]): string {
  return events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : [])).join('');
}

describe('OpenAI Responses with the official openai client', () => {
  let server: TestServer;
  let client: OpenAI;
  before(async () => {
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [createProbeProvider(20).provider, createFailingProvider()] });
    client = new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => server.close());

  it('streams an agent that uses a tool: created first, numbered events, the answer, one response.completed', async () => {
    const stream = await client.responses.create({ model: 'assistant', input: 'What is 12 * (3 + 4)?', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assertWellFormed(events);
    assert.equal(events[0]!.type, 'response.created');
    const completed = events.at(-1)!;
    assert.ok(completed.type === 'response.completed');
    assert.equal(completed.response.status, 'completed');
    assert.equal(completed.response.model, 'assistant');
    assert.match(textOf(events), /84/);
    const run = await runOf(server, completed.response.id);
    assert.equal(textOf(events), run.output);
    assert.equal(completed.response.usage?.total_tokens, run.usage.totalTokens);
    const message = completed.response.output[0];
    assert.ok(message?.type === 'message' && message.content[0]?.type === 'output_text');
    assert.equal(message.content[0].text, run.output);
  });

  it('answers stream: false with a response object whose output_text is the run\'s answer', async () => {
    const response = await client.responses.create({
      model: 'assistant',
      input: [
        { role: 'developer', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: [{ type: 'input_text', text: 'What is 2 + 2?' }] },
      ],
    });
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.match(response.output_text, /4/);
    assert.equal(response.output_text, (await runOf(server, response.id)).output);
    const retrieved = await client.responses.retrieve(response.id);
    assert.equal(retrieved.status, 'completed');
    assert.equal(retrieved.output_text, response.output_text);
  });

  it('runs a team as a model: only the team\'s answer is output', async () => {
    const response = await client.responses.create({ model: 'research', input: 'AI trends 2024' });
    const run = await runOf(server, response.id);
    assert.equal(run.status, 'completed');
    assert.equal(response.output_text, run.output);
  });

  it('background: true runs on after the client leaves, and ?stream=true&starting_after=N resumes the same numbered stream', async () => {
    const stream = await client.responses.create({ model: 'slow_chat', input: 'Tell me a long story', stream: true, background: true });
    const head: ResponseStreamEvent[] = [];
    for await (const event of stream) {
      head.push(event);
      if (event.type === 'response.output_text.delta' && head.length >= 6) break; // the client drops the stream
    }
    const id = (head[0] as Extract<ResponseStreamEvent, { type: 'response.created' }>).response.id;
    assert.equal((head[0] as Extract<ResponseStreamEvent, { type: 'response.created' }>).response.background, true);
    const last = head.at(-1)!.sequence_number;

    const resumed = await client.responses.retrieve(id, { stream: true, starting_after: last });
    const tail: ResponseStreamEvent[] = [];
    for await (const event of resumed) tail.push(event);
    assertWellFormed(tail, last + 1);
    assert.equal(tail.at(-1)!.type, 'response.completed', 'the run went on without its first client');
    const run = await runOf(server, id);
    assert.equal(textOf([...head, ...tail]), run.output, 'nothing lost, nothing repeated across the resume');

    const full = await client.responses.retrieve(id, { stream: true });
    const replay: ResponseStreamEvent[] = [];
    for await (const event of full) replay.push(event);
    assert.deepEqual(replay.slice(last + 1), tail, 'a replay numbers the events the same way');
  });

  it('background: true without streaming answers at once with a queued response; retrieve shows it ending', async () => {
    const queued = await client.responses.create({ model: 'chat', input: 'Hello there', background: true });
    assert.equal(queued.status, 'queued');
    assert.equal(queued.background, true);
    const run = await runOf(server, queued.id);
    const done = await client.responses.retrieve(queued.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.output_text, run.output);
  });

  it('cancels a background response: the run is cancelled and the response says so', async () => {
    const queued = await client.responses.create({ model: 'slow_chat', input: 'Tell me a long story', background: true });
    const cancelled = await client.responses.cancel(queued.id);
    assert.equal(cancelled.status, 'cancelled');
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${queued.id}/events`));
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    const replay = await client.responses.retrieve(queued.id, { stream: true });
    const frames: ResponseStreamEvent[] = [];
    for await (const event of replay) frames.push(event);
    assertWellFormed(frames);
    const terminal = frames.at(-1)!;
    assert.ok(terminal.type === 'response.incomplete');
    assert.equal(terminal.response.status, 'cancelled');
    await assert.rejects(client.responses.cancel(queued.id), (error: unknown) => error instanceof OpenAI.ConflictError);
  });

  it('cancels the run when a foreground stream is dropped', async () => {
    const stream = await client.responses.create({ model: 'slow_chat', input: 'Tell me a long story', stream: true });
    let id = '';
    for await (const event of stream) {
      if (event.type === 'response.created') id = event.response.id;
      if (event.type === 'response.output_text.delta') {
        stream.controller.abort();
        break;
      }
    }
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${id}/events`));
    assert.equal(events.at(-1)?.type, 'run.cancelled');
  });

  it('previous_response_id continues the session of that response', async () => {
    const first = await client.responses.create({ model: 'chat', input: 'My favourite colour is teal.' });
    const second = await client.responses.create({ model: 'chat', input: 'What did I just tell you?', previous_response_id: first.id });
    assert.equal(second.previous_response_id, first.id);
    const [firstRun, secondRun] = [await runOf(server, first.id), await runOf(server, second.id)];
    assert.equal(secondRun.sessionId, firstRun.sessionId);
    const session = (await (await fetch(`${server.url}/v1/sessions/${firstRun.sessionId}`)).json()) as { messages: { role: string; content: string }[] };
    assert.deepEqual(session.messages.map((message) => message.content), ['My favourite colour is teal.', firstRun.output, 'What did I just tell you?', secondRun.output]);
  });

  it('ends a failing run with response.failed carrying the error, and a non-streaming one with an APIError', async () => {
    const stream = await client.responses.create({ model: 'broken_agent', input: 'hi', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assertWellFormed(events);
    const failed = events.at(-1)!;
    assert.ok(failed.type === 'response.failed');
    assert.equal(failed.response.status, 'failed');
    assert.match(failed.response.error?.message ?? '', /the provider went away/);
    await assert.rejects(client.responses.create({ model: 'broken_agent', input: 'hi' }), (error: unknown) => error instanceof OpenAI.InternalServerError && error.status === 502);
  });

  it('offers the client\'s function tools: a function_call output item, then function_call_output continues the turn', async () => {
    const tools = [{ type: 'function' as const, name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false }];
    const first = await client.responses.create({ model: 'assistant', input: 'Use get_weather: Paris', tools });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
    assert.equal(first.status, 'completed');
    const second = await client.responses.create({
      model: 'assistant', tools,
      input: [
        { role: 'user', content: 'Use get_weather: Paris' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: 'Sunny and 21 degrees in Paris' },
      ],
    });
    assert.match(second.output_text, /Sunny and 21 degrees/);
    assert.ok(!second.output.some((item) => item.type === 'function_call'));
  });

  it('refuses bad input in OpenAI\'s error form', async () => {
    await assert.rejects(client.responses.create({ model: 'nobody', input: 'hi' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.param, 'model');
      return true;
    });
    await assert.rejects(client.responses.create({ model: 'chat', input: [{ role: 'assistant', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'input');
    await assert.rejects(client.responses.retrieve('resp_nobody'), (error: unknown) => error instanceof OpenAI.NotFoundError);
    await assert.rejects(client.responses.create({ model: 'chat', input: 'hi', previous_response_id: 'resp_nobody' }), (error: unknown) => error instanceof OpenAI.NotFoundError);
    const noInput = await postJson(`${server.url}/openai/v1/responses`, { model: 'chat' });
    assert.equal(noInput.status, 400);
    const body = (await noInput.json()) as { error: { type: string; param: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.param, 'input');
    const badResume = await fetch(`${server.url}/openai/v1/responses/whatever?stream=true&starting_after=-1`);
    assert.equal(badResume.status, 404, 'the response is looked up first');
  });
});

describe('OpenAI Responses with the AI SDK\'s default OpenAI model', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('createOpenAI({ baseURL })("assistant") speaks Responses: generateText and streamText get the answer', async () => {
    const openai = createOpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: 'unused' });
    const generated = await generateText({ model: openai('assistant'), prompt: 'What is 12 * (3 + 4)?', maxRetries: 0 });
    assert.match(generated.text, /84/);
    assert.equal(generated.finishReason, 'stop');
    assert.ok((generated.usage.totalTokens ?? 0) > 0);

    const streamed = streamText({ model: openai('research'), prompt: 'AI trends 2024', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    assert.ok(text.length > 0);
    assert.equal(await streamed.finishReason, 'stop');
    const responseId = (await streamed.response).id;
    const run = (await (await fetch(`${server.url}/v1/runs/${responseId}`)).json()) as Run;
    assert.equal(text, run.output);
  });
});
