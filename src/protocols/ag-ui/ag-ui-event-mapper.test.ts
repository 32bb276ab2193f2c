import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyEvents } from '@ag-ui/client';
import { EventSchema } from '@ag-ui/core/schemas';
import type { Event as AgUiEvent } from '@ag-ui/core';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { RunEvent } from '../../events/run-event.ts';
import {
  ALL_SEQUENCES, cancelledMidAnswer, failedInTeam, FIXTURE_TIME_MS, singleAgentToolFailure, singleAgentWithTool, teamCollaborate, teamCoordinate, teamPipeline, teamRoundRobin, teamRoute,
} from '../__fixtures__/run-event-sequences.ts';
import { createAgUiEventMapper } from './ag-ui-event-mapper.ts';
import { createAgUiRenderer } from './ag-ui-renderer.ts';

const context = { threadId: 'thread_1', runId: 'agui_run_1' };

function mapAll(events: RunEvent[], state?: unknown): AgUiEvent[] {
  const mapper = createAgUiEventMapper({ ...context, state });
  return events.flatMap((event) => mapper.map(event));
}

/** The events without their timestamps, which every event carries (checked once below). */
function bare(events: AgUiEvent[]): Record<string, unknown>[] {
  return events.map(({ timestamp, ...rest }) => rest);
}

/** Who produced what: type, the attributed subagent (if any) and the id the event is about. */
function shape(events: AgUiEvent[]): string[] {
  return events.map((event) => {
    const record = event as Record<string, unknown>;
    const about = record.messageId ?? record.toolCallId ?? record.stepName ?? (event.type.startsWith('SUBAGENT') ? '' : undefined);
    return [event.type, record.subagentRunId, about].filter((part) => part !== undefined && part !== '').join(' ');
  });
}

const USAGE_JSON = { inputTokens: 10, outputTokens: 20, totalTokens: 30, reasoningTokens: 5 };

describe('AG-UI event mapping', () => {
  it('maps a single agent with a tool call to exactly these events', () => {
    const events = mapAll(singleAgentWithTool());
    assert.ok(events.every((event) => event.timestamp === FIXTURE_TIME_MS), 'every event carries the run event time in ms');
    assert.deepEqual(bare(events), [
      { type: 'RUN_STARTED', threadId: 'thread_1', runId: 'agui_run_1', protocolVersion: '1.0', metadata: { agentstream: { runId: 'run_fixture', sessionId: 'ses_fixture' } } },
      { type: 'STATE_SNAPSHOT', snapshot: { agentstream: { runId: 'run_fixture', target: { kind: 'agent', id: 'assistant' }, model: 'demo', status: 'running', routes: [], progress: null, usage: null, error: null } } },
      { type: 'STEP_STARTED', stepName: 'assistant' },
      { type: 'REASONING_START', messageId: 'rsn_1' },
      { type: 'REASONING_MESSAGE_START', messageId: 'rsn_1', role: 'reasoning' },
      { type: 'REASONING_MESSAGE_CONTENT', messageId: 'rsn_1', delta: 'Use ' },
      { type: 'REASONING_MESSAGE_CONTENT', messageId: 'rsn_1', delta: 'the calculator.' },
      { type: 'REASONING_MESSAGE_END', messageId: 'rsn_1' },
      { type: 'REASONING_END', messageId: 'rsn_1' },
      { type: 'TOOL_CALL_START', toolCallId: 'call_1', toolCallName: 'calculator' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'call_1', delta: '{"expression":"6 * 7"}' },
      { type: 'TOOL_CALL_END', toolCallId: 'call_1' },
      { type: 'TOOL_CALL_RESULT', messageId: 'result_call_1', toolCallId: 'call_1', role: 'tool', content: '{"expression":"6 * 7","result":42}' },
      { type: 'REASONING_START', messageId: 'rsn_2' },
      { type: 'REASONING_MESSAGE_START', messageId: 'rsn_2', role: 'reasoning' },
      { type: 'REASONING_MESSAGE_CONTENT', messageId: 'rsn_2', delta: 'Got 42.' },
      { type: 'REASONING_MESSAGE_END', messageId: 'rsn_2' },
      { type: 'REASONING_END', messageId: 'rsn_2' },
      { type: 'TEXT_MESSAGE_START', messageId: 'msg_1', role: 'assistant', name: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg_1', delta: 'The answer ' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg_1', delta: 'is 42.' },
      { type: 'TEXT_MESSAGE_END', messageId: 'msg_1' },
      { type: 'STEP_FINISHED', stepName: 'assistant' },
      { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/agentstream/status', value: 'completed' }, { op: 'replace', path: '/agentstream/usage', value: USAGE_JSON }] },
      { type: 'RUN_FINISHED', threadId: 'thread_1', runId: 'agui_run_1', result: 'The answer is 42.', outcome: { type: 'success' }, usage: [{ model: 'demo', ...USAGE_JSON }] },
    ]);
  });

  it('reports a failed tool as its result, and the run goes on to finish', () => {
    const events = bare(mapAll(singleAgentToolFailure()));
    assert.deepEqual(events.find((event) => event.type === 'TOOL_CALL_RESULT'), {
      type: 'TOOL_CALL_RESULT', messageId: 'result_call_1', toolCallId: 'call_1', role: 'tool',
      content: '{"error":{"code":"tool_failed","message":"Undefined symbol x"}}', metadata: { agentstream: { failed: true } },
    });
    assert.equal(events.at(-1)?.type, 'RUN_FINISHED');
    assert.ok(!events.some((event) => event.type === 'RUN_ERROR'));
  });

  for (const [name, build] of Object.entries(ALL_SEQUENCES)) {
    it(`${name}: every event passes @ag-ui/core's schema and @ag-ui/client's order verifier`, async () => {
      const events = mapAll(build());
      for (const event of events) {
        const parsed = EventSchema.safeParse(event);
        assert.ok(parsed.success, `${event.type}: ${parsed.success ? '' : parsed.error.message}`);
      }
      const verified = await lastValueFrom(from(events).pipe(verifyEvents(false), toArray()));
      assert.equal(verified.length, events.length);
    });
  }

  it('route: the member is a subagent, the answer in the team\'s voice belongs to the parent', () => {
    assert.deepEqual(shape(mapAll(teamRoute())), [
      'RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED helpdesk',
      'REASONING_START rsn_lead', 'REASONING_MESSAGE_START rsn_lead', 'REASONING_MESSAGE_CONTENT rsn_lead', 'REASONING_MESSAGE_END rsn_lead', 'REASONING_END rsn_lead',
      'STATE_DELTA',
      'SUBAGENT_STARTED helpdesk/billing@5',
      'TEXT_MESSAGE_START helpdesk/billing@5 msg_billing', 'TEXT_MESSAGE_CONTENT helpdesk/billing@5 msg_billing', 'TEXT_MESSAGE_END helpdesk/billing@5 msg_billing',
      'SUBAGENT_FINISHED helpdesk/billing@5',
      'TEXT_MESSAGE_START msg_lead', 'TEXT_MESSAGE_CONTENT msg_lead', 'TEXT_MESSAGE_END msg_lead',
      'STEP_FINISHED helpdesk', 'STATE_DELTA', 'RUN_FINISHED',
    ]);
    const started = bare(mapAll(teamRoute())).find((event) => event.type === 'SUBAGENT_STARTED');
    assert.deepEqual(started, {
      type: 'SUBAGENT_STARTED', subagentRunId: 'helpdesk/billing@5', name: 'billing', description: 'billing',
      metadata: { agentstream: { path: ['helpdesk', 'billing'], role: 'member', task: 'Refund please' } },
    });
  });

  it('coordinate: parallel members interleave, each event attributed to its own invocation', () => {
    const events = shape(mapAll(teamCoordinate()));
    const start = events.indexOf('SUBAGENT_STARTED web_team/designer@5');
    assert.deepEqual(events.slice(start, start + 22), [
      'SUBAGENT_STARTED web_team/designer@5', 'SUBAGENT_STARTED web_team/copywriter@6',
      'REASONING_START web_team/designer@5 rsn_d', 'REASONING_MESSAGE_START web_team/designer@5 rsn_d', 'REASONING_MESSAGE_CONTENT web_team/designer@5 rsn_d',
      'REASONING_START web_team/copywriter@6 rsn_w', 'REASONING_MESSAGE_START web_team/copywriter@6 rsn_w', 'REASONING_MESSAGE_CONTENT web_team/copywriter@6 rsn_w',
      'REASONING_MESSAGE_END web_team/designer@5 rsn_d', 'REASONING_END web_team/designer@5 rsn_d',
      'TEXT_MESSAGE_START web_team/designer@5 msg_d', 'TEXT_MESSAGE_CONTENT web_team/designer@5 msg_d',
      'REASONING_MESSAGE_END web_team/copywriter@6 rsn_w', 'REASONING_END web_team/copywriter@6 rsn_w',
      'TEXT_MESSAGE_START web_team/copywriter@6 msg_w', 'TEXT_MESSAGE_CONTENT web_team/copywriter@6 msg_w',
      'TEXT_MESSAGE_CONTENT web_team/designer@5 msg_d', 'TEXT_MESSAGE_CONTENT web_team/copywriter@6 msg_w',
      'TEXT_MESSAGE_END web_team/copywriter@6 msg_w', 'SUBAGENT_FINISHED web_team/copywriter@6',
      'TEXT_MESSAGE_END web_team/designer@5 msg_d', 'SUBAGENT_FINISHED web_team/designer@5',
    ]);
    const routes = bare(mapAll(teamCoordinate())).filter((event) => event.type === 'STATE_DELTA').slice(0, 2);
    assert.deepEqual(routes, [
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/agentstream/routes/-', value: { by: 'web_team', mode: 'coordinate', memberIds: ['designer'], reason: 'Delegated 2 sub-task(s)', task: 'Design it' } }] },
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/agentstream/routes/-', value: { by: 'web_team', mode: 'coordinate', memberIds: ['copywriter'], reason: 'Delegated 2 sub-task(s)', task: 'Write it' } }] },
    ]);
  });

  it('collaborate: a member that fails ends with SUBAGENT_ERROR and the run still finishes', () => {
    const events = bare(mapAll(teamCollaborate()));
    assert.deepEqual(events.find((event) => event.type === 'SUBAGENT_ERROR'), {
      type: 'SUBAGENT_ERROR', subagentRunId: 'panel/skeptic@5', message: 'The model provider returned an error', code: 'upstream_error',
    });
    assert.equal(events.at(-1)?.type, 'RUN_FINISHED');
  });

  it('round_robin: a member taking a second turn is a new invocation, and progress is state', () => {
    const events = bare(mapAll(teamRoundRobin()));
    const invocations = events.filter((event) => event.type === 'SUBAGENT_STARTED').map((event) => `${event.name} ${event.subagentRunId}`);
    assert.deepEqual(invocations, ['planning_agent business_insights/planning_agent@4', 'data_analyst business_insights/data_analyst@10', 'planning_agent business_insights/planning_agent@18']);
    const progress = events.filter((event) => event.type === 'STATE_DELTA').map((event) => (event.delta as { path: string; value: unknown }[])[0]).filter((operation) => operation.path === '/agentstream/progress');
    assert.deepEqual(progress.map((operation) => operation.value), [{ percent: 33, message: 'Turn 1 done' }, { percent: 67, message: 'Turn 2 done' }, { percent: 100 }]);
    const toolStart = events.find((event) => event.type === 'TOOL_CALL_START');
    assert.deepEqual(toolStart, { type: 'TOOL_CALL_START', toolCallId: 'call_sales', toolCallName: 'sales_data', subagentRunId: 'business_insights/data_analyst@10' });
  });

  it('pipeline: the fan-out slots are separate subagents with their own tool calls', () => {
    const events = shape(mapAll(teamPipeline()));
    const fanOut = events.indexOf('SUBAGENT_STARTED research/searcher#1@12');
    assert.deepEqual(events.slice(fanOut, fanOut + 10), [
      'SUBAGENT_STARTED research/searcher#1@12', 'SUBAGENT_STARTED research/searcher#2@13',
      'TOOL_CALL_START research/searcher#1@12 call_s1', 'TOOL_CALL_ARGS research/searcher#1@12 call_s1', 'TOOL_CALL_END research/searcher#1@12 call_s1',
      'TOOL_CALL_START research/searcher#2@13 call_s2', 'TOOL_CALL_ARGS research/searcher#2@13 call_s2', 'TOOL_CALL_END research/searcher#2@13 call_s2',
      'TOOL_CALL_RESULT research/searcher#2@13 result_call_s2', 'TOOL_CALL_RESULT research/searcher#1@12 result_call_s1',
    ]);
    const names = bare(mapAll(teamPipeline())).filter((event) => event.type === 'SUBAGENT_STARTED').map((event) => event.name);
    assert.deepEqual(names, ['research_planner', 'searcher', 'searcher', 'research_writer']);
  });

  it('cancel: closes the open text and step, then RUN_FINISHED with the cancelled outcome', () => {
    const events = bare(mapAll(cancelledMidAnswer()));
    assert.deepEqual(events.slice(-8), [
      { type: 'REASONING_MESSAGE_END', messageId: 'rsn_1' },
      { type: 'REASONING_END', messageId: 'rsn_1' },
      { type: 'TEXT_MESSAGE_START', messageId: 'msg_1', role: 'assistant', name: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg_1', delta: 'Once upon ' },
      { type: 'TEXT_MESSAGE_END', messageId: 'msg_1' },
      { type: 'STEP_FINISHED', stepName: 'assistant' },
      { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/agentstream/status', value: 'cancelled' }] },
      { type: 'RUN_FINISHED', threadId: 'thread_1', runId: 'agui_run_1', outcome: { type: 'cancelled' }, usage: [{ model: 'demo', ...USAGE_JSON }] },
    ]);
  });

  it('failure: closes the member\'s text, errors its invocation, then RUN_ERROR', () => {
    const events = bare(mapAll(failedInTeam()));
    assert.deepEqual(events.slice(-5), [
      { type: 'TEXT_MESSAGE_END', messageId: 'msg_plan', subagentRunId: 'research/research_planner@4' },
      { type: 'SUBAGENT_ERROR', subagentRunId: 'research/research_planner@4', message: 'The model provider returned an error', code: 'run_failed' },
      { type: 'STEP_FINISHED', stepName: 'research' },
      { type: 'STATE_DELTA', delta: [
        { op: 'replace', path: '/agentstream/status', value: 'failed' },
        { op: 'replace', path: '/agentstream/error', value: { code: 'upstream_error', message: 'The model provider returned an error' } },
      ] },
      { type: 'RUN_ERROR', message: 'The model provider returned an error', code: 'upstream_error' },
    ]);
  });

  it('keeps the state the client sent beside its own key', () => {
    const [, snapshot] = bare(mapAll(singleAgentWithTool(), { theme: 'dark', agentstream: 'overwritten' }));
    assert.equal((snapshot.snapshot as Record<string, unknown>).theme, 'dark');
    assert.equal(((snapshot.snapshot as Record<string, { status: string }>).agentstream).status, 'running');
  });
});

describe('AG-UI SSE renderer', () => {
  it('frames each event as one data line and a blank line', () => {
    const renderer = createAgUiRenderer(context);
    const frames = renderer.render(singleAgentWithTool()[0]);
    const lines = frames.split('\n\n').filter((frame) => frame !== '');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /^data: \{.*\}$/);
    assert.equal(JSON.parse(lines[0].slice('data: '.length)).type, 'RUN_STARTED');
  });

  it('ends a stream that broke outside the run with RUN_ERROR', () => {
    const frame = createAgUiRenderer(context).fail!({ code: 'internal', message: 'The run failed.' });
    assert.equal(frame, 'data: {"type":"RUN_ERROR","message":"The run failed.","code":"internal"}\n\n');
  });
});
