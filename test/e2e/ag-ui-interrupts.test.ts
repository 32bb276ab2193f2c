import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildResumeArray, HttpAgent, type BaseEvent, type Message } from '@ag-ui/client';
import type { RunEvent } from '../../src/events/run-event.ts';
import { readLive } from './support/live-stream.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

async function runOnce(agent: HttpAgent, parameters: Parameters<HttpAgent['runAgent']>[0] = {}) {
  const events: BaseEvent[] = [];
  const { newMessages } = await agent.runAgent(parameters, { onEvent: ({ event }) => void events.push(event) });
  return { events, newMessages };
}

const userMessage = (id: string, content: string): Message => ({ id, role: 'user', content });

describe('AG-UI interrupts with @ag-ui/client HttpAgent (human in the loop)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({}, {
      app: { teams: [{ id: 'checked', mode: 'pipeline', members: ['supervised', 'chat'], stages: [{ name: 'work', members: ['supervised'] }, { name: 'say', members: ['chat'] }] }] },
    });
  });
  after(() => server.close());

  it('finishes the AG-UI run with an interrupt, and a resume approving it continues the same run to its answer', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/supervised`, threadId: 'thread-approve', initialMessages: [userMessage('u1', 'What is 12 * 7?')] });
    const first = await runOnce(agent);
    const finished = first.events.at(-1) as BaseEvent & { outcome?: { type: string; interrupts: { id: string; toolCallId: string; reason: string; metadata: any }[] } };
    assert.equal(finished.type, 'RUN_FINISHED');
    assert.equal(finished.outcome?.type, 'interrupt');
    assert.equal(agent.pendingInterrupts.length, 1, 'the client holds the interrupt');
    const [interrupt] = agent.pendingInterrupts;
    assert.equal(interrupt.reason, 'tool_approval');
    assert.deepEqual(interrupt.metadata?.agentstream.args, { expression: '12 * 7' });
    const runId = interrupt.metadata?.agentstream.runId as string;
    assert.equal((await (await fetch(`${server.url}/v1/runs/${runId}`)).json()).status, 'awaiting_input', 'the run is paused, not ended');

    const resume = buildResumeArray(agent.pendingInterrupts, { [interrupt.id]: { status: 'resolved', payload: { approved: true } } });
    const second = await runOnce(agent, { resume });
    assert.equal(second.events[0].type, 'RUN_STARTED');
    assert.equal(second.events.at(-1)!.type, 'RUN_FINISHED');
    assert.equal((second.events.at(-1) as any).outcome?.type ?? 'success', 'success');
    const toolResult = second.newMessages.find((message) => message.role === 'tool');
    assert.equal(JSON.parse(toolResult!.content as string).result, 84);
    const answer = second.newMessages.filter((message) => message.role === 'assistant' && typeof message.content === 'string' && message.content !== '').at(-1);
    assert.match(answer?.content as string, /84/);
    assert.equal(agent.pendingInterrupts.length, 0);

    // The native stream of the same run: one run, one seq sequence, through the pause.
    const native = await readLive(await fetch(`${server.url}/v1/runs/${runId}/events`)).ended;
    assert.deepEqual(native.map((event) => event.seq), native.map((_, index) => index + 1));
    assert.deepEqual(native.filter((event: RunEvent) => ['run.awaiting_input', 'input.received', 'run.completed'].includes(event.type)).map((event) => event.type), ['run.awaiting_input', 'input.received', 'run.completed']);
  });

  it('rejects with status cancelled and edits with editedArgs', async () => {
    const rejecting = new HttpAgent({ url: `${server.url}/agui/supervised`, threadId: 'thread-reject', initialMessages: [userMessage('u1', 'What is 12 * 7?')] });
    await runOnce(rejecting);
    const rejected = await runOnce(rejecting, { resume: buildResumeArray(rejecting.pendingInterrupts, { [rejecting.pendingInterrupts[0].id]: { status: 'cancelled' } }) });
    const toolResult = rejected.newMessages.find((message) => message.role === 'tool');
    assert.equal(JSON.parse(toolResult!.content as string).error.code, 'tool_rejected');

    const editing = new HttpAgent({ url: `${server.url}/agui/supervised`, threadId: 'thread-edit', initialMessages: [userMessage('u1', 'What is 12 * 7?')] });
    await runOnce(editing);
    const edited = await runOnce(editing, { resume: buildResumeArray(editing.pendingInterrupts, { [editing.pendingInterrupts[0].id]: { status: 'resolved', payload: { approved: true, editedArgs: { expression: '6 * 6' } } } }) });
    assert.equal(JSON.parse(edited.newMessages.find((message) => message.role === 'tool')!.content as string).result, 36);
  });

  it('a team member\'s interrupt names its subagent, which ends suspended and picks up again after the answer', async () => {
    const agent = new HttpAgent({ url: `${server.url}/agui/checked`, threadId: 'thread-team', initialMessages: [userMessage('u1', 'What is 3 * 13?')] });
    const first = await runOnce(agent);
    const [interrupt] = agent.pendingInterrupts;
    assert.ok(interrupt.subagentRunId, 'the interrupt is the member\'s');
    const suspended = first.events.find((event: any) => event.type === 'SUBAGENT_FINISHED' && event.subagentRunId === interrupt.subagentRunId) as any;
    assert.equal(suspended.outcome.type, 'suspended');
    assert.deepEqual(suspended.outcome.interruptIds, [interrupt.id]);
    const second = await runOnce(agent, { resume: buildResumeArray(agent.pendingInterrupts, { [interrupt.id]: { status: 'resolved', payload: { approved: true } } }) });
    assert.ok(second.events.some((event: any) => event.type === 'SUBAGENT_STARTED' && event.name === 'supervised'), 'the member goes on in the continuation');
    assert.equal(second.events.at(-1)!.type, 'RUN_FINISHED');
  });

  it('refuses a resume for an unknown interrupt with a 4xx', async () => {
    const response = await fetch(`${server.url}/agui/supervised`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: 't', runId: 'r', messages: [], tools: [], context: [], state: {}, forwardedProps: {}, resume: [{ interruptId: 'nonsense', status: 'resolved' }] }),
    });
    assert.equal(response.status, 422);
    const unknownRun = await fetch(`${server.url}/agui/supervised`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: 't', runId: 'r', messages: [], tools: [], context: [], state: {}, forwardedProps: {}, resume: [{ interruptId: 'run_missing:call_1', status: 'resolved', payload: { approved: true } }] }),
    });
    assert.equal(unknownRun.status, 404);
  });
});
