import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SendMessageRequest, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { RequestMalformedError, TaskNotCancelableError, TaskNotFoundError, UnsupportedOperationError } from '@a2a-js/sdk/errors';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type Run = { id: string; status: string; output: string; sessionId: string };

function message(text: string, options: { contextId?: string; returnImmediately?: boolean } = {}): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], ...(options.contextId ? { contextId: options.contextId } : {}) },
    ...(options.returnImmediately ? { configuration: { returnImmediately: true } } : {}),
  });
}

function asTask(result: unknown): Task {
  assert.ok(result && typeof result === 'object' && 'status' in result, 'the answer is a task');
  return result as Task;
}

function artifactText(task: Task): string {
  return task.artifacts.flatMap((artifact) => artifact.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : ''))).join('');
}

function streamedText(responses: StreamResponse[]): string {
  return responses.flatMap((response) => (response.payload?.$case === 'artifactUpdate' ? response.payload.value.artifact?.parts ?? [] : []))
    .map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('');
}

function lastState(responses: StreamResponse[]): TaskState | undefined {
  const updates = responses.flatMap((response) => (response.payload?.$case === 'statusUpdate' ? [response.payload.value.status?.state] : []));
  return updates.at(-1);
}

async function runOf(server: TestServer, id: string): Promise<Run> {
  await collectRunEvents(await fetch(`${server.url}/v1/runs/${id}/events`));
  return (await (await fetch(`${server.url}/v1/runs/${id}`)).json()) as Run;
}

describe('A2A with the official @a2a-js/sdk client', () => {
  let server: TestServer;
  const clients = new ClientFactory();
  let assistant: Client;
  before(async () => {
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [createProbeProvider(20).provider, createFailingProvider()] });
    assistant = await clients.createFromUrl(`${server.url}/a2a/assistant/`);
  });
  after(() => server.close());

  it('the server\'s own card is the default agent, declares streaming, and its client runs a task that uses a tool', async () => {
    const card = (await (await fetch(`${server.url}/.well-known/agent-card.json`)).json()) as { name: string; capabilities: { streaming: boolean }; supportedInterfaces: { url: string; protocolBinding: string }[] };
    assert.equal(card.name, 'Assistant');
    assert.equal(card.capabilities.streaming, true);
    assert.equal(card.supportedInterfaces[0]!.url, `${server.url}/a2a/assistant`);
    const client = await clients.createFromUrl(server.url);
    const task = asTask(await client.sendMessage(message('What is 12 * (3 + 4)?')));
    assert.equal(task.status?.state, TaskState.TASK_STATE_COMPLETED);
    const run = await runOf(server, task.id);
    assert.equal(run.status, 'completed');
    assert.match(artifactText(task), /84/);
    assert.equal(artifactText(task), run.output);
    assert.equal(task.contextId, run.sessionId);
    const answer = task.status?.message?.parts[0]?.content;
    assert.ok(answer?.$case === 'text' && answer.value === run.output, 'the completed status carries the answer');
  });

  it('streams a task: the task first, a working status per step, the answer as artifact chunks, completed last', async () => {
    const responses: StreamResponse[] = [];
    for await (const response of assistant.sendMessageStream(message('What is 12 * (3 + 4)?'))) responses.push(response);
    assert.equal(responses[0]!.payload?.$case, 'task');
    const taskId = responses[0]!.payload!.$case === 'task' ? responses[0]!.payload!.value.id : '';
    const steps = responses.flatMap((response) => (response.payload?.$case === 'statusUpdate' ? [response.payload.value.status?.message?.parts[0]?.content] : []))
      .flatMap((content) => (content?.$case === 'text' ? [content.value] : []));
    assert.ok(steps.some((step) => /calls calculator/.test(step)), `the tool call is a working status (${steps.join(' | ')})`);
    assert.equal(lastState(responses), TaskState.TASK_STATE_COMPLETED);
    const run = await runOf(server, taskId);
    assert.equal(streamedText(responses), run.output);
    const fetched = await assistant.getTask({ tenant: '', id: taskId });
    assert.equal(fetched.status?.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(artifactText(fetched), run.output);
    assert.equal(fetched.history.length, 2, 'the user\'s message and the answer');
  });

  it('runs a team, and a context is a session', async () => {
    const research = await clients.createFromUrl(`${server.url}/a2a/research/`);
    const first = asTask(await research.sendMessage(message('AI trends 2024')));
    assert.equal(first.status?.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(artifactText(first), (await runOf(server, first.id)).output);
    const second = asTask(await research.sendMessage(message('And in 2025?', { contextId: first.contextId })));
    assert.equal(second.contextId, first.contextId);
    assert.equal((await runOf(server, second.id)).sessionId, first.contextId);
  });

  it('cancels a task: CancelTask ends the run, GetTask says canceled, a second cancel is refused', async () => {
    const slow = await clients.createFromUrl(`${server.url}/a2a/slow_chat/`);
    const started = asTask(await slow.sendMessage(message('Tell me a long story', { returnImmediately: true })));
    assert.ok([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING].includes(started.status!.state));
    const cancelled = await slow.cancelTask({ tenant: '', id: started.id, metadata: undefined });
    assert.equal(cancelled.status?.state, TaskState.TASK_STATE_CANCELED);
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${started.id}/events`));
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    assert.equal((await slow.getTask({ tenant: '', id: started.id })).status?.state, TaskState.TASK_STATE_CANCELED);
    await assert.rejects(slow.cancelTask({ tenant: '', id: started.id, metadata: undefined }), (error: unknown) => error instanceof TaskNotCancelableError);
  });

  it('SubscribeToTask after a dropped stream backfills the task from the event log, then follows it to the end', async () => {
    const slow = await clients.createFromUrl(`${server.url}/a2a/slow_chat/`);
    const head: StreamResponse[] = [];
    for await (const response of slow.sendMessageStream(message('Tell me a long story'))) {
      head.push(response);
      if (head.filter((item) => item.payload?.$case === 'artifactUpdate').length >= 3) break; // the client drops the stream
    }
    const taskId = head[0]!.payload?.$case === 'task' ? head[0]!.payload.value.id : '';
    const tail: StreamResponse[] = [];
    for await (const response of slow.resubscribeTask({ tenant: '', id: taskId })) tail.push(response);
    const backfill = tail[0]!.payload;
    assert.ok(backfill?.$case === 'task', 'the first answer is the task as stored');
    assert.ok(artifactText(backfill.value).startsWith(streamedText(head)), 'the backfill holds what the first stream saw');
    assert.equal(lastState(tail), TaskState.TASK_STATE_COMPLETED, 'the run went on without its first client');
    const run = await runOf(server, taskId);
    assert.equal(artifactText(backfill.value) + streamedText(tail.slice(1)), run.output, 'backfill plus live is the whole answer, nothing twice');
    await assert.rejects(async () => {
      for await (const _ of slow.resubscribeTask({ tenant: '', id: taskId })) { /* an ended task */ }
    }, (error: unknown) => error instanceof UnsupportedOperationError);
  });

  it('reports a failing run as a failed task', async () => {
    const broken = await clients.createFromUrl(`${server.url}/a2a/broken_agent/`);
    const task = asTask(await broken.sendMessage(message('hi')));
    assert.equal(task.status?.state, TaskState.TASK_STATE_FAILED);
    const text = task.status?.message?.parts[0]?.content;
    assert.ok(text?.$case === 'text' && /the provider went away/.test(text.value));
  });

  it('refuses bad input with A2A\'s JSON-RPC errors', async () => {
    await assert.rejects(assistant.getTask({ tenant: '', id: 'run_nobody' }), (error: unknown) => error instanceof TaskNotFoundError);
    await assert.rejects(assistant.sendMessage(SendMessageRequest.fromJSON({ message: { messageId: 'm1', role: 'ROLE_USER', parts: [] } })), (error: unknown) => error instanceof RequestMalformedError);
    // A task of another agent is not this agent's.
    const chat = await clients.createFromUrl(`${server.url}/a2a/chat/`);
    const other = asTask(await chat.sendMessage(message('Hello')));
    await assert.rejects(assistant.getTask({ tenant: '', id: other.id }), (error: unknown) => error instanceof TaskNotFoundError);
    const unknownCard = await fetch(`${server.url}/a2a/nobody/.well-known/agent-card.json`);
    assert.equal(unknownCard.status, 404);
    const badRpc = await postJson(`${server.url}/a2a/assistant`, { jsonrpc: '2.0', id: 7, method: 'NoSuchMethod', params: {} }, { 'a2a-version': '1.0' });
    const body = (await badRpc.json()) as { id: number; error: { code: number } };
    assert.equal(body.id, 7);
    assert.equal(body.error.code, -32601);
    const oldVersion = await postJson(`${server.url}/a2a/assistant`, { jsonrpc: '2.0', id: 8, method: 'GetTask', params: { id: 'x' } }, { 'a2a-version': '0.1' });
    assert.ok(((await oldVersion.json()) as { error?: { message: string } }).error?.message.includes('not supported'));
  });
});

describe('A2A input-required (human in the loop) with the official client', () => {
  let server: TestServer;
  const clients = new ClientFactory();
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const answer = (taskId: string, contextId: string, parts: unknown[]) => SendMessageRequest.fromJSON({ message: { messageId: randomUUID(), role: 'ROLE_USER', taskId, contextId, parts } });

  it('a paused run is an input-required task; a reply on the task answers it and the same task completes', async () => {
    const supervised = await clients.createFromUrl(`${server.url}/a2a/supervised/`);
    const responses: StreamResponse[] = [];
    for await (const response of supervised.sendMessageStream(message('What is 12 * 7?'))) responses.push(response);
    assert.equal(lastState(responses), TaskState.TASK_STATE_INPUT_REQUIRED, 'the stream ends interrupted');
    const taskId = responses[0]!.payload!.$case === 'task' ? responses[0]!.payload!.value.id : '';
    const asked = await supervised.getTask({ tenant: '', id: taskId });
    assert.equal(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const prompt = asked.status?.message?.parts.map((part) => part.content);
    assert.ok(prompt?.some((content) => content?.$case === 'text' && /Approve the call to calculator/.test(content.value)));
    const data = prompt?.find((content) => content?.$case === 'data');
    assert.equal(data?.$case === 'data' ? data.value.pending[0].toolName : undefined, 'calculator');

    const rest: StreamResponse[] = [];
    for await (const response of supervised.sendMessageStream(answer(taskId, asked.contextId, [{ text: 'yes' }]))) rest.push(response);
    assert.equal(lastState(rest), TaskState.TASK_STATE_COMPLETED);
    const done = await supervised.getTask({ tenant: '', id: taskId });
    assert.match(artifactText(done), /84/);
    assert.equal((await runOf(server, taskId)).status, 'completed');
  });

  it('answers a question with text, and decisions exactly with a data part; a finished task takes no reply', async () => {
    const supervised = await clients.createFromUrl(`${server.url}/a2a/supervised/`);
    const question = asTask(await supervised.sendMessage(message('Ask me: which city?')));
    assert.equal(question.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const answered = asTask(await supervised.sendMessage(answer(question.id, question.contextId, [{ text: 'Lisbon' }])));
    assert.equal(answered.status?.state, TaskState.TASK_STATE_COMPLETED);
    assert.match(artifactText(answered), /Lisbon/);

    const approval = asTask(await supervised.sendMessage(message('What is 12 * 7?')));
    const pending = approval.status!.message!.parts.flatMap((part) => (part.content?.$case === 'data' ? part.content.value.pending : []));
    const edited = asTask(await supervised.sendMessage(answer(approval.id, approval.contextId, [{ data: { decisions: [{ toolCallId: pending[0].toolCallId, decision: 'edit', args: { expression: '5 * 5' } }] } }])));
    assert.match(artifactText(edited), /25/);
    await assert.rejects(supervised.sendMessage(answer(approval.id, approval.contextId, [{ text: 'yes' }])), (error: unknown) => error instanceof UnsupportedOperationError);
  });
});
