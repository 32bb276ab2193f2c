import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpAgent, type AgentSubscriber, type BaseEvent, type Message } from '@ag-ui/client';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type RunOutcome = { events: BaseEvent[]; newMessages: Message[]; failure?: Error & { status?: number } };

/** Runs an HttpAgent once (the client validates every event and its order) and keeps what it saw. */
async function runOnce(agent: HttpAgent, subscriber: AgentSubscriber = {}, parameters: Parameters<HttpAgent['runAgent']>[0] = {}): Promise<RunOutcome> {
  const events: BaseEvent[] = [];
  try {
    const { newMessages } = await agent.runAgent(parameters, {
      ...subscriber,
      onEvent: (params) => {
        events.push(params.event);
        return subscriber.onEvent?.(params);
      },
    });
    return { events, newMessages };
  } catch (error) {
    // The client rejects when the request itself fails (a 4xx before the stream); it logs that too.
    return { events, newMessages: [], failure: error as RunOutcome['failure'] };
  }
}

function userMessage(id: string, content: string): Message {
  return { id, role: 'user', content };
}

describe('AG-UI with @ag-ui/client HttpAgent', () => {
  let server: TestServer;
  const probe = createProbeProvider(15);
  before(async () => {
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [probe.provider, createFailingProvider()] });
  });
  after(() => server.close());

  it('runs a single agent with a tool: reasoning, tool call, tool result and the answer become messages', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/assistant`, threadId: 'thread-tool', initialMessages: [userMessage('u1', 'What is 12 * (3 + 4)?')] });
    const { events, newMessages, failure } = await runOnce(agent);
    assert.equal(failure, undefined);
    assert.equal(events[0].type, 'RUN_STARTED');
    assert.equal(events.at(-1)?.type, 'RUN_FINISHED');
    assert.ok(events.some((event) => event.type === 'STEP_STARTED'));

    const toolCallMessage = newMessages.find((message) => message.role === 'assistant' && message.toolCalls?.length);
    assert.ok(toolCallMessage && toolCallMessage.role === 'assistant');
    assert.equal(toolCallMessage.toolCalls![0].function.name, 'calculator');
    assert.deepEqual(JSON.parse(toolCallMessage.toolCalls![0].function.arguments), { expression: '12 * (3 + 4)' });
    const toolResult = newMessages.find((message) => message.role === 'tool');
    assert.ok(toolResult && toolResult.role === 'tool');
    assert.equal(toolResult.toolCallId, toolCallMessage.toolCalls![0].id);
    assert.equal(JSON.parse(toolResult.content as string).result, 84);
    assert.ok(newMessages.some((message) => message.role === 'reasoning' && message.content.length > 0), 'the thinking is a reasoning message');
    const answer = newMessages.filter((message) => message.role === 'assistant' && typeof message.content === 'string' && message.content !== '').at(-1);
    assert.match(answer?.content as string, /84/);
    assert.ok(newMessages.indexOf(toolResult) < newMessages.indexOf(answer!), 'the tool result comes before the answer');

    const state = agent.state as { agentstream: { status: string; usage: { totalTokens: number }; runId: string } };
    assert.equal(state.agentstream.status, 'completed');
    assert.ok(state.agentstream.usage.totalTokens > 0);
    const run = (await (await fetch(`${server.url}/v1/runs/${state.agentstream.runId}`)).json()) as { sessionId: string; status: string; output: string };
    assert.equal(run.sessionId, 'agui:thread-tool');
    assert.equal(run.status, 'completed');
    assert.equal(run.output, answer?.content);
  });

  it('frontend tools: the model\'s call to a client tool ends the run for the client, whose tool message continues it', async () => {
    const tools = [{ name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const agent = new HttpAgent({ url: `${server.url}/agui/assistant`, threadId: 'thread-frontend-tool', initialMessages: [userMessage('u1', 'Use get_weather: Paris')] });
    const first = await runOnce(agent, {}, { tools });
    assert.equal(first.failure, undefined);
    const call = first.newMessages.flatMap((message) => (message.role === 'assistant' ? message.toolCalls ?? [] : []))[0];
    assert.ok(call, 'the assistant message carries the tool call');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
    assert.ok(!first.events.some((event) => event.type === 'TOOL_CALL_RESULT'), 'the server did not run it');

    agent.addMessage({ id: 't1', role: 'tool', toolCallId: call.id, content: 'Sunny and 21 degrees in Paris' });
    const second = await runOnce(agent, {}, { tools });
    assert.equal(second.failure, undefined);
    const answer = second.newMessages.filter((message) => message.role === 'assistant').map((message) => (typeof message.content === 'string' ? message.content : '')).join('');
    assert.match(answer, /Sunny and 21 degrees/);
  });

  it('continues a thread: the second run lands in the same session', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/chat`, threadId: 'thread-history', initialMessages: [userMessage('u1', 'Hello there')] });
    await runOnce(agent);
    agent.addMessage(userMessage('u2', 'And hello again'));
    const second = await runOnce(agent);
    assert.equal(second.failure, undefined);
    const session = (await (await fetch(`${server.url}/v1/sessions/${encodeURIComponent('agui:thread-history')}`)).json()) as { messages: { role: string; content: string }[] };
    assert.deepEqual(session.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(session.messages[2].content, 'And hello again');
  });

  it('streams a team (research) with its members as subagents, and routing and progress as state', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/research`, threadId: 'thread-team', initialMessages: [userMessage('u1', 'AI trends 2024')] });
    const { events, newMessages, failure } = await runOnce(agent);
    assert.equal(failure, undefined);
    const started = events.filter((event) => event.type === 'SUBAGENT_STARTED') as (BaseEvent & { name: string; subagentRunId: string })[];
    assert.deepEqual(started.map((event) => event.name), ['research_planner', 'searcher', 'searcher', 'searcher', 'research_writer']);
    assert.equal(new Set(started.map((event) => event.subagentRunId)).size, started.length, 'one id per invocation');
    assert.equal(events.filter((event) => event.type === 'SUBAGENT_FINISHED').length, started.length);

    const memberMessages = newMessages.filter((message) => 'subagentRunId' in message);
    const memberIds = new Set(memberMessages.map((message) => (message as { subagentRunId: string }).subagentRunId));
    assert.deepEqual(memberIds, new Set(started.map((event) => event.subagentRunId)), 'every member produced attributed messages');
    const searches = memberMessages.filter((message) => message.role === 'assistant' && message.toolCalls?.some((call) => call.function.name === 'knowledge_search'));
    assert.equal(searches.length, 3, 'each searcher called its tool');
    const answer = newMessages.filter((message) => message.role === 'assistant' && !('subagentRunId' in message) && typeof message.content === 'string' && message.content !== '');
    assert.equal(answer.length, 1, 'the team answers once, in its own voice');
    assert.equal((answer[0] as { name?: string }).name, 'research');

    const state = (agent.state as { agentstream: { status: string; routes: { mode: string; memberIds: string[] }[]; progress: { percent: number } } }).agentstream;
    assert.equal(state.status, 'completed');
    assert.deepEqual(state.routes.map((route) => route.memberIds), [['research_planner'], ['searcher#1', 'searcher#2', 'searcher#3'], ['research_writer']]);
    assert.ok(state.routes.every((route) => route.mode === 'pipeline'));
    assert.equal(state.progress.percent, 100);
  });

  it('passes the client\'s verifier for the other team modes too (coordinate, round_robin)', async () => {
    for (const [team, input] of [['web_team', 'Create a landing page'], ['business_insights', 'Generate a monthly business report for our sales performance']]) {
      const agent = new HttpAgent({ url: `${server.url}/agui/${team}`, initialMessages: [userMessage('u1', input)] });
      const { events, failure } = await runOnce(agent);
      assert.equal(failure, undefined, `${team}: ${failure?.message}`);
      assert.equal(events.at(-1)?.type, 'RUN_FINISHED');
      const started = events.filter((event) => event.type === 'SUBAGENT_STARTED').length;
      assert.ok(started >= 3, `${team} ran its members as subagents`);
      assert.equal(events.filter((event) => event.type === 'SUBAGENT_FINISHED').length, started);
    }
  });

  it('answers an unknown agent with 404 JSON before any stream', async () => {
    const response = await postJson(`${server.url}/agui/nobody`, { threadId: 't', runId: 'r', messages: [{ id: 'u', role: 'user', content: 'hi' }] });
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'agent_not_found');

    const agent = new HttpAgent({ url: `${server.url}/agui/nobody`, initialMessages: [userMessage('u1', 'hi')] });
    const { failure, events } = await runOnce(agent);
    assert.equal(failure?.status, 404);
    assert.equal(events.length, 0);
  });

  it('rejects input that is not a RunAgentInput, or does not end with a user message, with 422', async () => {
    const missing = await postJson(`${server.url}/agui/chat`, { threadId: 't', messages: [] });
    assert.equal(missing.status, 422);
    const fields = ((await missing.json()) as { error: { details: { fields: { field: string }[] } } }).error.details.fields.map((field) => field.field);
    assert.ok(fields.includes('runId'));
    const notUser = await postJson(`${server.url}/agui/chat`, { threadId: 't', runId: 'r', messages: [{ id: 'a', role: 'assistant', content: 'hi' }] });
    assert.equal(notUser.status, 422);
    const malformed = await fetch(`${server.url}/agui/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"threadId":' });
    assert.equal(malformed.status, 400);
  });

  it('ends a run that fails with RUN_ERROR', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/broken_agent`, initialMessages: [userMessage('u1', 'hi')] });
    const { events, failure, newMessages } = await runOnce(agent);
    assert.equal(failure, undefined, 'the stream itself is fine; the run failed inside it');
    const last = events.at(-1) as BaseEvent & { message: string; code: string };
    assert.equal(last.type, 'RUN_ERROR');
    assert.equal(last.code, 'upstream_error');
    assert.match(last.message, /the provider went away/);
    assert.ok(!events.some((event) => event.type === 'RUN_FINISHED'));
    const partial = newMessages.find((message) => message.role === 'assistant');
    assert.equal(partial?.content, 'Partial answer ', 'the text streamed before the failure is kept, and its message is closed');
  });

  it('cancels the run when the client aborts', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/slow_chat`, initialMessages: [userMessage('u1', 'Tell me a long story')] });
    let runId: string | undefined;
    await runOnce(agent, {
      onEvent: ({ event }) => {
        if (event.type === 'RUN_STARTED') runId = (event.metadata as { agentstream: { runId: string } }).agentstream.runId;
        if (event.type === 'TEXT_MESSAGE_CONTENT') agent.abortRun();
      },
    });
    assert.ok(runId);
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
    const last = events.at(-1);
    assert.ok(last?.type === 'run.cancelled');
    assert.match(last.reason, /disconnected/);
    assert.ok(probe.signals.at(-1)?.aborted, "the model's AbortSignal fired");
  });
});
