import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentRef, EmittedEvent, RunEvent, RunEventBody } from '../events/run-event.ts';
import { executeToolCall } from './agent/execute-tool-call.ts';
import { NotResumableError, RunJournal } from './run-journal.ts';
import { defineTool } from '../tools/define-tool.ts';
import { z } from 'zod';

const agent: AgentRef = { id: 'assistant', name: 'Assistant', role: 'agent', path: [] };
const member: AgentRef = { id: 'writer', name: 'Writer', role: 'member', path: ['research', 'writer'] };
const usage = { inputTokens: 1, outputTokens: 2, totalTokens: 3 };

function stored(bodies: (RunEventBody & { agent?: AgentRef })[]): RunEvent[] {
  return bodies.map((body, index) => ({ agent, ...body, runId: 'run_j', seq: index + 1, ts: '2026-01-01T00:00:00.000Z' }) as RunEvent);
}

const history = stored([
  { type: 'run.started', target: { kind: 'agent', id: 'assistant' }, input: { text: 'hi' }, model: 'demo' },
  { type: 'agent.started', task: 'hi' },
  { type: 'reasoning.delta', reasoningId: 'rsn_1', delta: 'think' },
  { type: 'step.completed', step: 1, text: '', toolCalls: [{ toolCallId: 'call_1', toolName: 'calculator', input: { expression: '1+1' } }], usage, finishReason: 'tool-calls' },
  { type: 'usage', usage, step: 1 },
  { type: 'tool.started', toolCallId: 'call_1', toolName: 'calculator', args: { expression: '1+1' } },
  { type: 'tool.completed', toolCallId: 'call_1', toolName: 'calculator', result: { result: 2 }, durationMs: 1 },
  { type: 'reasoning.delta', reasoningId: 'rsn_2', delta: 'more' },
  { type: 'message.delta', messageId: 'msg_cut', delta: 'The answ' },
]);

function journalOf(events: RunEvent[]): RunJournal {
  const journal = new RunJournal();
  for (const event of events) journal.record(event);
  return journal;
}

test('a resumed attempt replays checkpointed steps and finished tools, and retracts the cut step', () => {
  const journal = journalOf(history);
  assert.ok(journal.isResuming);
  assert.deepEqual(journal.discardedMessageIds.sort(), ['msg_cut', 'rsn_2']);
  const first = journal.nextStep([]);
  assert.equal(first.step, 1);
  assert.deepEqual(first.recorded?.toolCalls.map((call) => call.toolCallId), ['call_1']);
  const second = journal.nextStep([]);
  assert.deepEqual([second.step, second.recorded], [2, undefined], 'the cut step runs again');
  assert.deepEqual(journal.toolOutcome([], 'call_1'), { ok: true, result: { result: 2 } });
});

test('events the store already has are not emitted again; new ones are', () => {
  const journal = journalOf(history);
  const emit = (body: RunEventBody, who: AgentRef = agent) => journal.shouldEmit({ ...body, agent: who } as EmittedEvent);
  assert.equal(emit({ type: 'agent.started', task: 'hi' }), false);
  assert.equal(emit({ type: 'usage', usage, step: 1 }), false);
  assert.equal(emit({ type: 'tool.started', toolCallId: 'call_1', toolName: 'calculator', args: {} }), false);
  assert.equal(emit({ type: 'tool.completed', toolCallId: 'call_1', toolName: 'calculator', result: 2, durationMs: 1 }), false);
  // The re-run step 2: fresh ids, a second usage, its checkpoint.
  assert.equal(emit({ type: 'message.delta', messageId: 'msg_new', delta: 'The answer' }), true);
  assert.equal(emit({ type: 'usage', usage, step: 2 }), true);
  assert.equal(emit({ type: 'step.completed', step: 2, text: 'The answer', toolCalls: [], usage, finishReason: 'stop' }), true);
  assert.equal(emit({ type: 'agent.completed', output: 'The answer', usage }), true);
  // Another path counts apart.
  assert.equal(emit({ type: 'agent.started', task: 'x' }, member), true);
});

test('a first attempt emits everything', () => {
  const journal = journalOf(history.slice(0, 1));
  assert.equal(journal.isResuming, false);
  assert.equal(journal.shouldEmit({ type: 'agent.started', agent }), true);
});

test('a finished member is taken from the journal once; a cut agent is known as cut', () => {
  const journal = journalOf([
    ...history.slice(0, 1),
    ...stored([
      { type: 'agent.started', agent: member },
      { type: 'agent.completed', output: 'draft', usage, agent: member },
      { type: 'agent.started', agent: { ...member, path: ['research', 'editor'] } },
    ]).map((event, index) => ({ ...event, seq: index + 2 })),
  ]);
  assert.deepEqual(journal.takeAgentEnd(member.path), { output: 'draft', usage, pureCalls: [] });
  assert.equal(journal.takeAgentEnd(member.path), undefined);
  assert.equal(journal.wasAgentCut(member.path), false);
  assert.equal(journal.wasAgentCut(['research', 'editor']), true);
});

test('a tool marked retry: false whose call was cut is not run again: the run is aborted as not resumable', async () => {
  let ran = 0;
  const charge = defineTool({ name: 'charge_card', description: 'Charges a card', inputSchema: z.object({}), retry: false, execute: () => ++ran });
  const journal = journalOf(stored([
    { type: 'run.started', target: { kind: 'agent', id: 'assistant' }, input: { text: 'pay' }, model: 'demo' },
    { type: 'tool.started', toolCallId: 'call_pay', toolName: 'charge_card', args: {} },
  ]));
  const controller = new AbortController();
  journal.attach(controller);
  await assert.rejects(executeToolCall({
    call: { toolCallId: 'call_pay', toolName: 'charge_card', input: {}, inputText: '{}' }, tools: new Map([['charge_card', charge]]),
    agent, emit: () => {}, signal: controller.signal, runId: 'run_j', journal,
  }));
  assert.equal(ran, 0, 'the tool did not run a second time');
  assert.ok(controller.signal.reason instanceof NotResumableError);
});

test('a stop requested for hand-over takes effect at the next boundary, not before', () => {
  const journal = new RunJournal();
  const controller = new AbortController();
  journal.attach(controller);
  journal.requestStop(new Error('handed over'));
  assert.equal(controller.signal.aborted, false);
  journal.atBoundary();
  assert.equal((controller.signal.reason as Error).message, 'handed over');
});

test('a member that runs twice at one path (two pipeline stages): skipping the first lines the second up with its own record', () => {
  const writer: AgentRef = { id: 'writer', name: 'Writer', role: 'member', path: ['team', 'writer'] };
  const journal = journalOf(stored([
    { type: 'run.started', target: { kind: 'team', id: 'team' }, input: { text: 'x' }, model: 'demo' },
    { type: 'agent.started', agent: writer },
    { type: 'tool.started', toolCallId: 'plan_1', toolName: 'submit_plan', args: { items: ['a', 'b'] }, agent: writer },
    { type: 'tool.completed', toolCallId: 'plan_1', toolName: 'submit_plan', result: { accepted: 2 }, durationMs: 0, agent: writer },
    { type: 'step.completed', step: 1, text: 'draft', toolCalls: [], usage, finishReason: 'stop', agent: writer },
    { type: 'usage', usage, step: 1, agent: writer },
    { type: 'agent.completed', output: 'draft', usage, agent: writer },
    // Stage 3: the same member again, cut in its first step.
    { type: 'agent.started', agent: writer },
    { type: 'message.delta', messageId: 'msg_stage3', delta: 'Fin', agent: writer },
  ]));
  const first = journal.takeAgentEnd(writer.path);
  assert.deepEqual(first?.pureCalls, [{ toolName: 'submit_plan', args: { items: ['a', 'b'] } }], 'the plan can be rebuilt');
  assert.equal(journal.takeAgentEnd(writer.path), undefined, 'stage 3 did not finish');
  // Stage 3 runs: its agent.started is stored (suppressed), its first step is step 2 with no checkpoint.
  assert.equal(journal.shouldEmit({ type: 'agent.started', agent: writer }), false);
  assert.deepEqual(journal.nextStep(writer.path), { step: 2, recorded: undefined });
  assert.equal(journal.shouldEmit({ type: 'usage', usage, step: 2, agent: writer }), true);
  assert.equal(journal.shouldEmit({ type: 'agent.completed', output: 'final', usage, agent: writer }), true);
  assert.deepEqual(journal.discardedMessageIds, ['msg_stage3']);
});
