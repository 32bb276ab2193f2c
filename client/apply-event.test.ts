import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentRef, RunEvent, RunEventBody } from '../src/events/run-event.ts';
import { applyEvent, applyEvents } from './apply-event.ts';
import { buildTimeline, countEventTypes, summarizeRuns, tokensByAgent, toolDurations } from './run-analytics.ts';
import { emptyRunView, type RunView } from './run-view.ts';

const T0 = Date.parse('2026-01-01T10:00:00.000Z');

/** Builds a gapless event sequence; `at` is milliseconds after T0. */
function sequence(runId: string, steps: [number, AgentRef, RunEventBody][]): RunEvent[] {
  return steps.map(([at, agent, body], index) => ({ ...body, agent, runId, seq: index + 1, ts: new Date(T0 + at).toISOString() }) as RunEvent);
}

const assistant: AgentRef = { id: 'assistant', name: 'Assistant', role: 'agent', path: [] };
const usage = (input: number, output: number) => ({ inputTokens: input, outputTokens: output, totalTokens: input + output });

const agentRun = sequence('run_a', [
  [0, { ...assistant, name: 'assistant' }, { type: 'run.started', target: { kind: 'agent', id: 'assistant' }, input: { text: 'What is 12 * 7?', sessionId: 'ses_1' }, model: 'demo' }],
  [1, assistant, { type: 'agent.started', task: 'What is 12 * 7?', model: 'demo' }],
  [20, assistant, { type: 'reasoning.delta', reasoningId: 'r1', delta: 'Needs ' }],
  [30, assistant, { type: 'reasoning.delta', reasoningId: 'r1', delta: 'the calculator.' }],
  [40, assistant, { type: 'usage', usage: usage(10, 5), step: 1 }],
  [41, assistant, { type: 'tool.started', toolCallId: 'call_1', toolName: 'calculator', args: { expression: '12*7' } }],
  [43, assistant, { type: 'tool.completed', toolCallId: 'call_1', toolName: 'calculator', result: { result: 84 }, durationMs: 1.5 }],
  [60, assistant, { type: 'message.delta', messageId: 'm1', delta: 'It is ' }],
  [70, assistant, { type: 'message.delta', messageId: 'm1', delta: '**84**.' }],
  [71, assistant, { type: 'message.completed', messageId: 'm1', text: 'It is **84**.' }],
  [72, assistant, { type: 'usage', usage: usage(20, 8), step: 2 }],
  [73, assistant, { type: 'agent.completed', output: 'It is **84**.', usage: usage(30, 13) }],
  [80, { ...assistant, name: 'assistant' }, { type: 'run.completed', output: 'It is **84**.', usage: usage(30, 13) }],
]);

const team: AgentRef = { id: 'research', name: 'Research Bot', role: 'orchestrator', path: ['research'] };
const member = (id: string, instance = id): AgentRef => ({ id, name: id, role: 'member', path: ['research', instance] });
const teamRun = sequence('run_t', [
  [0, { ...team, path: [] }, { type: 'run.started', target: { kind: 'team', id: 'research' }, input: { text: 'AI trends' }, model: 'demo' }],
  [1, team, { type: 'agent.started', task: 'AI trends' }],
  [2, team, { type: 'team.routed', mode: 'pipeline', memberIds: ['searcher#1', 'searcher#2'], reason: 'Stage 1 of 2: search' }],
  [3, member('searcher', 'searcher#1'), { type: 'agent.started', task: 'overview' }],
  [4, member('searcher', 'searcher#2'), { type: 'agent.started', task: 'challenges' }],
  [10, member('searcher', 'searcher#1'), { type: 'message.delta', messageId: 'a', delta: 'notes 1' }],
  [11, member('searcher', 'searcher#2'), { type: 'message.delta', messageId: 'b', delta: 'notes 2' }],
  [12, member('searcher', 'searcher#1'), { type: 'usage', usage: usage(5, 5), step: 1 }],
  [13, member('searcher', 'searcher#1'), { type: 'agent.completed', output: 'notes 1', usage: usage(5, 5) }],
  [14, member('searcher', 'searcher#2'), { type: 'usage', usage: usage(6, 6), step: 1 }],
  [15, member('searcher', 'searcher#2'), { type: 'agent.completed', output: 'notes 2', usage: usage(6, 6) }],
  [16, team, { type: 'progress', percent: 50, message: 'Stage search done' }],
  [20, team, { type: 'message.delta', messageId: 'final', delta: 'Summary' }],
  [21, team, { type: 'message.completed', messageId: 'final', text: 'Summary.' }],
  [22, team, { type: 'progress', percent: 100 }],
  [23, team, { type: 'agent.completed', output: 'Summary.', usage: usage(11, 11) }],
  [24, { ...team, path: [] }, { type: 'run.completed', output: 'Summary.', usage: usage(11, 11) }],
]);

describe('applyEvent', () => {
  it('folds a single agent run: reasoning, a tool card, the streamed answer, usage and timings', () => {
    const view = applyEvents(emptyRunView(), agentRun);
    assert.equal(view.status, 'completed');
    assert.equal(view.runId, 'run_a');
    assert.equal(view.sessionId, 'ses_1');
    assert.equal(view.answer, 'It is **84**.');
    assert.equal(view.output, 'It is **84**.');
    assert.deepEqual(view.laneOrder, ['']);
    const lane = view.lanes[''];
    assert.equal(lane.status, 'completed');
    assert.deepEqual(lane.items.map((item) => item.kind), ['reasoning', 'tool', 'message']);
    assert.deepEqual(lane.items[0], { kind: 'reasoning', id: 'r1', text: 'Needs the calculator.' });
    assert.deepEqual(lane.items[2], { kind: 'message', id: 'm1', text: 'It is **84**.', isComplete: true });
    assert.deepEqual(view.tools.call_1, {
      toolCallId: 'call_1', toolName: 'calculator', args: { expression: '12*7' }, status: 'completed', result: { result: 84 },
      durationMs: 1.5, startedAt: '2026-01-01T10:00:00.041Z', endedAt: '2026-01-01T10:00:00.043Z', laneKey: '',
    });
    assert.deepEqual(lane.usage, usage(30, 13));
    assert.deepEqual(view.usage, usage(30, 13));
    assert.equal(view.timings.firstTokenMs, 20);
    assert.equal(view.timings.firstAnswerMs, 60);
    assert.equal(view.timings.durationMs, 80);
    assert.equal(view.countsByType['message.delta'], 2);
    assert.equal(view.eventCount, agentRun.length);
  });

  it('shows the answer growing delta by delta and the tool running before it completes', () => {
    const views = agentRun.reduce<RunView[]>((all, event) => [...all, applyEvent(all.at(-1) ?? emptyRunView(), event)], []);
    assert.equal(views[5].tools.call_1.status, 'running');
    assert.equal(views[5].tools.call_1.result, undefined);
    assert.deepEqual(views.slice(7, 10).map((view) => view.answer), ['It is ', 'It is **84**.', 'It is **84**.']);
  });

  it('keeps one lane per member path, parallel members running at once, routing in the orchestrator lane', () => {
    const partial = applyEvents(emptyRunView(), teamRun.slice(0, 7));
    const running = partial.laneOrder.filter((key) => partial.lanes[key].status === 'running');
    assert.deepEqual(running, ['research', 'research/searcher#1', 'research/searcher#2']);
    assert.equal(partial.answer, '', 'members\' text is not the answer');

    const view = applyEvents(partial, teamRun.slice(7));
    assert.deepEqual(view.routing.map((routing) => routing.memberIds), [['searcher#1', 'searcher#2']]);
    assert.deepEqual(view.lanes.research.items[0], { kind: 'routing', id: 'routing-3', seq: 3 });
    assert.equal(view.lanes['research/searcher#2'].task, 'challenges');
    assert.deepEqual(view.progress, { percent: 100, message: undefined });
    assert.equal(view.answer, 'Summary.');
    // The team's own total includes its members: it must not be counted again as the orchestrator's.
    assert.deepEqual(tokensByAgent(view).map((row) => [row.label, row.totalTokens]), [['searcher (searcher#1)', 10], ['searcher (searcher#2)', 12]]);
  });

  it('counts duplicates and gaps instead of folding them twice', () => {
    const once = applyEvents(emptyRunView(), agentRun.slice(0, 9));
    const again = applyEvents(once, agentRun.slice(6, 9));
    assert.equal(again.duplicates, 3);
    assert.equal(again.answer, once.answer);
    assert.equal(again.eventCount, 9);
    const gapped = applyEvent(once, agentRun[11]);
    assert.equal(gapped.missing, 2);
    assert.equal(gapped.lastSeq, 12);
  });

  it('ends running lanes and tools when the run is cancelled', () => {
    const cancelled = applyEvent(applyEvents(emptyRunView(), agentRun.slice(0, 6)), {
      type: 'run.cancelled', reason: 'Cancelled by the client', agent: assistant, runId: 'run_a', seq: 7, ts: new Date(T0 + 50).toISOString(),
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancelReason, 'Cancelled by the client');
    assert.equal(cancelled.lanes[''].status, 'cancelled');
    assert.equal(cancelled.tools.call_1.status, 'failed');
    assert.equal(cancelled.timings.durationMs, 50);
  });

  it('never changes the view it is given', () => {
    const before = applyEvents(emptyRunView(), agentRun.slice(0, 8));
    const snapshot = structuredClone(before);
    applyEvents(before, agentRun.slice(8));
    assert.deepEqual(before, snapshot);
  });
});

describe('run analytics', () => {
  it('counts event types in vocabulary order and lays out the timeline from run.started', () => {
    assert.deepEqual(countEventTypes(agentRun).slice(0, 4), [
      { type: 'run.started', count: 1 }, { type: 'agent.started', count: 1 }, { type: 'reasoning.delta', count: 2 }, { type: 'message.delta', count: 2 },
    ]);
    const view = applyEvents(emptyRunView(), agentRun);
    assert.deepEqual(buildTimeline(view).map(({ kind, startMs, durationMs }) => [kind, startMs, durationMs]), [['agent', 1, 72], ['tool', 41, 1.5]]);
    assert.deepEqual(toolDurations(view).map(({ toolName, durationMs, status }) => [toolName, durationMs, status]), [['calculator', 1.5, 'completed']]);
  });
});

describe('summarizeRuns', () => {
  it('aggregates event types, first tokens, tools by name and agents by id across runs', () => {
    const summary = summarizeRuns([agentRun, teamRun]);
    assert.equal(summary.typeCounts.find((entry) => entry.type === 'run.completed')?.count, 2);
    assert.equal(summary.typeCounts.find((entry) => entry.type === 'message.delta')?.count, 5);
    assert.deepEqual(summary.runs.map((run) => [run.runId, run.target, run.firstTokenMs, run.durationMs, run.eventCount]), [['run_a', 'assistant', 20, 80, 13], ['run_t', 'research', 10, 24, 17]]);
    assert.deepEqual(summary.tools, [{ toolName: 'calculator', calls: 1, failed: 0, averageMs: 1.5, maxMs: 1.5 }]);
    assert.deepEqual(summary.agents.map((agent) => [agent.agentId, agent.runs, agent.totalTokens]), [['assistant', 1, 43], ['research', 1, 0], ['searcher', 2, 22]]);
  });
});

describe('a resumed run', () => {
  it('drops the partial text of the cut step that run.resumed names, and keeps the re-run answer', () => {
    const events = sequence('run_r', [
      [0, assistant, { type: 'run.started', target: { kind: 'agent', id: 'assistant' }, input: { text: 'story' }, model: 'demo' }],
      [1, assistant, { type: 'agent.started', task: 'story' }],
      [2, assistant, { type: 'reasoning.delta', reasoningId: 'r_cut', delta: 'Thinking' }],
      [3, assistant, { type: 'message.delta', messageId: 'm_cut', delta: 'Once upon a ' }],
      [50, { ...assistant, role: 'agent' }, { type: 'run.resumed', attempt: 2, reason: 'The worker executing the run stopped.', discardedMessageIds: ['r_cut', 'm_cut'] }],
      [51, assistant, { type: 'message.delta', messageId: 'm_new', delta: 'Once upon a time.' }],
      [52, assistant, { type: 'message.completed', messageId: 'm_new', text: 'Once upon a time.' }],
      [53, assistant, { type: 'step.completed', step: 1, text: 'Once upon a time.', toolCalls: [], usage: usage(1, 4), finishReason: 'stop' }],
      [54, assistant, { type: 'run.completed', output: 'Once upon a time.', usage: usage(1, 4) }],
    ]);
    const partial = applyEvents(emptyRunView(), events.slice(0, 4));
    assert.deepEqual(partial.lanes[''].items.map((item) => item.id), ['r_cut', 'm_cut']);
    const view = applyEvents(emptyRunView(), events);
    assert.deepEqual(view.lanes[''].items.map((item) => item.id), ['m_new']);
    assert.equal(view.answer, 'Once upon a time.');
    assert.equal(view.status, 'completed');
  });
});
