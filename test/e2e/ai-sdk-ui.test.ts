import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectFrames, collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

function userMessage(id: string, text: string): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** Reads a chunk stream to its end: every chunk (transient ones too), and the message useChat would show. */
async function consume(stream: ReadableStream<UIMessageChunk>): Promise<{ chunks: UIMessageChunk[]; message: UIMessage; errors: string[] }> {
  const [forReader, forLog] = stream.tee();
  const chunks: UIMessageChunk[] = [];
  const logged = (async () => {
    for await (const chunk of forLog) chunks.push(chunk);
  })();
  const errors: string[] = [];
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({ stream: forReader, onError: (error) => errors.push((error as Error).message) })) message = snapshot;
  await logged;
  assert.ok(message);
  return { chunks, message, errors };
}

const textOf = (message: UIMessage) => message.parts.filter((part) => part.type === 'text').map((part) => (part as { text: string }).text).join('');

describe('AI SDK UI message stream with the ai package (DefaultChatTransport, readUIMessageStream)', () => {
  let server: TestServer;
  const probe = createProbeProvider(20);
  const responses: Response[] = [];
  const transportFor = (target: string) => new DefaultChatTransport({
    api: `${server.url}/ai-sdk/${target}`,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      responses.push(response);
      return response;
    },
  });
  before(async () => {
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [probe.provider, createFailingProvider()] });
  });
  after(() => server.close());

  it('streams a single agent: reasoning, a tool part with its output, and the text, with the protocol header', async () => {
    const transport = transportFor('assistant');
    const stream = await transport.sendMessages({ chatId: 'chat-tool', messages: [userMessage('u1', 'What is 12 * (3 + 4)?')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    assert.equal(responses.at(-1)?.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    assert.match(responses.at(-1)?.headers.get('content-type') ?? '', /^text\/event-stream/);
    const { message, chunks, errors } = await consume(stream);
    assert.deepEqual(errors, []);
    assert.equal(chunks[0].type, 'start');
    assert.equal(chunks.at(-1)?.type, 'finish');

    assert.equal(message.role, 'assistant');
    const types = message.parts.map((part) => part.type);
    assert.equal(types[0], 'step-start');
    assert.ok(types.includes('reasoning'));
    const tool = message.parts.find((part) => part.type === 'tool-calculator') as { state: string; input: unknown; output: { result: number } };
    assert.equal(tool.state, 'output-available');
    assert.deepEqual(tool.input, { expression: '12 * (3 + 4)' });
    assert.equal(tool.output.result, 84);
    assert.ok(types.indexOf('tool-calculator') < types.lastIndexOf('text'), 'the answer follows the tool call');
    assert.match(textOf(message), /84/);

    const metadata = message.metadata as { runId: string; usage: { totalTokens: number } };
    assert.equal(message.id, metadata.runId);
    assert.ok(metadata.usage.totalTokens > 0);
    const run = (await (await fetch(`${server.url}/v1/runs/${metadata.runId}`)).json()) as { sessionId: string; output: string };
    assert.equal(run.sessionId, 'aisdk:chat-tool');
    assert.equal(run.output, textOf(message));
  });

  it('ends the raw stream with data: [DONE], every frame a data line', async () => {
    const response = await postJson(`${server.url}/ai-sdk/chat`, { id: 'chat-raw', messages: [userMessage('u1', 'Hello there')], trigger: 'submit-message' });
    const frames = await collectFrames(response);
    assert.equal(frames.at(-1)?.data, '[DONE]');
    assert.ok(frames.every((frame) => frame.event === undefined || frame.event === 'message'));
    assert.equal(JSON.parse(frames.at(-2)!.data).type, 'finish');
  });

  it('streams a team (research): routing, progress and one lane per member as data parts, the answer as text', async () => {
    const stream = await transportFor('research').sendMessages({ chatId: 'chat-team', messages: [userMessage('u1', 'AI trends 2024')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const { message, chunks, errors } = await consume(stream);
    assert.deepEqual(errors, []);
    const routed = message.parts.filter((part) => part.type === 'data-team-routed') as unknown as { data: { mode: string; memberIds: string[] } }[];
    assert.deepEqual(routed.map((part) => part.data.memberIds), [['research_planner'], ['searcher#1', 'searcher#2', 'searcher#3'], ['research_writer']]);
    const lanes = message.parts.filter((part) => part.type === 'data-agent') as unknown as { id: string; data: { path: string[]; status: string; text: string; tools: { toolName: string; state: string }[] } }[];
    assert.deepEqual(lanes.map((lane) => lane.data.path.at(-1)), ['research_planner', 'searcher#1', 'searcher#2', 'searcher#3', 'research_writer']);
    assert.ok(lanes.every((lane) => lane.data.status === 'completed' && lane.data.text.length > 0));
    assert.ok(lanes.filter((lane) => lane.data.path.at(-1)!.startsWith('searcher')).every((lane) => lane.data.tools.some((tool) => tool.toolName === 'knowledge_search' && tool.state === 'completed')));
    const progress = message.parts.filter((part) => part.type === 'data-progress') as unknown as { data: { percent: number } }[];
    assert.deepEqual(progress.map((part) => part.data.percent), [100]);
    const deltas = chunks.filter((chunk) => chunk.type === 'data-agent-delta');
    assert.ok(deltas.length > 0 && deltas.every((chunk) => (chunk as { transient?: boolean }).transient === true), 'members\' live text arrives as transient deltas');
    assert.ok(!message.parts.some((part) => part.type === 'data-agent-delta'), 'transient parts are not kept in the message');
    assert.equal(message.parts.filter((part) => part.type === 'text').length, 1, 'one text part: the team\'s answer');
    const run = (await (await fetch(`${server.url}/v1/runs/${(message.metadata as { runId: string }).runId}`)).json()) as { output: string };
    assert.equal(textOf(message), run.output);
  });

  it('folds the other team modes cleanly too (coordinate, round_robin)', async () => {
    for (const [team, input] of [['web_team', 'Create a landing page'], ['business_insights', 'Generate a monthly business report for our sales performance']]) {
      const stream = await transportFor(team).sendMessages({ chatId: `chat-${team}`, messages: [userMessage('u1', input)], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
      const { message, errors, chunks } = await consume(stream);
      assert.deepEqual(errors, [], team);
      assert.equal(chunks.at(-1)?.type, 'finish');
      const lanes = message.parts.filter((part) => part.type === 'data-agent') as unknown as { data: { status: string } }[];
      assert.ok(lanes.length >= 3 && lanes.every((lane) => lane.data.status === 'completed'), `${team} ran its members as lanes`);
      assert.ok(textOf(message).length > 0);
    }
  });

  it('resumes a running chat from its start after the first connection drops, and answers 204 when idle', async () => {
    const transport = transportFor('slow_chat');
    const firstConnection = new AbortController();
    const stream = await transport.sendMessages({ chatId: 'chat-resume', messages: [userMessage('u1', 'Tell me a long story')], trigger: 'submit-message', messageId: undefined, abortSignal: firstConnection.signal });
    const reader = stream.getReader();
    let runId: string | undefined;
    while (true) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the run is still streaming');
      if (value.type === 'start') runId = (value.messageMetadata as { runId: string }).runId;
      if (value.type === 'text-delta') break;
    }
    firstConnection.abort(); // a page reload: the run goes on (onDisconnect continue)
    await reader.cancel().catch(() => {});

    const resumed = await transport.reconnectToStream({ chatId: 'chat-resume' });
    assert.ok(resumed, 'a run is active, so there is a stream to resume');
    const { message, chunks } = await consume(resumed);
    assert.equal(chunks[0].type, 'start', 'the resumed stream replays the message from its start');
    assert.equal(message.id, runId);
    assert.equal(chunks.at(-1)?.type, 'finish');
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
    const last = events.at(-1);
    assert.ok(last?.type === 'run.completed', 'dropping the first connection did not cancel the run');
    assert.equal(textOf(message), last.output);

    assert.equal(await transport.reconnectToStream({ chatId: 'chat-resume' }), null, 'nothing runs now: 204');
    assert.equal(await transport.reconnectToStream({ chatId: 'never-used' }), null);
  });

  it('client-side tools: the call streams as a tool part for the client, and its output sent back continues the turn', async () => {
    const tools = [{ name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const transport = new DefaultChatTransport({ api: `${server.url}/ai-sdk/assistant`, body: { tools } });
    const user = userMessage('u-weather', 'Use get_weather: Paris');
    const first = await consume(await transport.sendMessages({ chatId: 'chat-client-tool', messages: [user], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    assert.deepEqual(first.errors, []);
    const call = first.message.parts.find((part) => part.type === 'tool-get_weather') as { type: string; toolCallId: string; state: string; input: unknown } | undefined;
    assert.ok(call, 'the client tool call is a tool part');
    assert.equal(call.state, 'input-available', 'waiting for the client to run it');
    assert.deepEqual(call.input, { city: 'Paris' });

    // What useChat sends after addToolOutput: the assistant message with the tool part's output.
    const answered = { ...first.message, parts: first.message.parts.map((part) => (part === (call as unknown) ? { ...call, state: 'output-available', output: 'Sunny and 21 degrees in Paris' } : part)) } as UIMessage;
    const second = await consume(await transport.sendMessages({ chatId: 'chat-client-tool', messages: [user, answered], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    assert.deepEqual(second.errors, []);
    assert.match(textOf(second.message), /Sunny and 21 degrees/);
  });

  it('stops a running chat through its stop endpoint', async () => {
    const transport = transportFor('slow_chat');
    const stream = await transport.sendMessages({ chatId: 'chat-stop', messages: [userMessage('u1', 'Tell me a long story')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const [forReader, forStop] = stream.tee();
    const stopped = (async () => {
      for await (const chunk of forStop) {
        if (chunk.type === 'text-delta') return fetch(`${server.url}/ai-sdk/slow_chat/chat-stop/stop`, { method: 'POST' });
      }
      throw new Error('the stream ended before any text');
    })();
    const { chunks } = await consume(forReader);
    const response = await stopped;
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'cancelled');
    assert.equal(chunks.at(-1)?.type, 'abort');
    assert.equal((await fetch(`${server.url}/ai-sdk/slow_chat/chat-stop/stop`, { method: 'POST' })).status, 204);
  });

  it('reports a run that fails with an error chunk', async () => {
    const stream = await transportFor('broken_agent').sendMessages({ chatId: 'chat-broken', messages: [userMessage('u1', 'hi')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const { chunks, errors, message } = await consume(stream);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /the provider went away/);
    const finish = chunks.at(-1);
    assert.ok(finish?.type === 'finish');
    assert.equal(finish.finishReason, 'error');
    assert.equal(textOf(message), 'Partial answer ');
  });

  it('answers an unknown agent with 404 and bad bodies with 422 before any stream', async () => {
    await assert.rejects(
      transportFor('nobody').sendMessages({ chatId: 'c', messages: [userMessage('u1', 'hi')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }),
      (error: { statusCode?: number; responseBody?: string }) => error.statusCode === 404 && /agent_not_found/.test(error.responseBody ?? ''),
    );
    assert.equal((await fetch(`${server.url}/ai-sdk/nobody/c/stream`)).status, 404);
    const noMessages = await postJson(`${server.url}/ai-sdk/chat`, { id: 'c', messages: [] });
    assert.equal(noMessages.status, 422);
    const assistantLast = await postJson(`${server.url}/ai-sdk/chat`, { id: 'c', messages: [{ id: 'a', role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }] });
    assert.equal(assistantLast.status, 422);
  });
});
