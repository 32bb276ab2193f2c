import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunEvent } from '../../../events/run-event.ts';
import { loadFixture, loadGolden, parseFrames, renderAll, renderJson } from '../__fixtures__/load-fixture.ts';
import { createAgnoMultiRenderer, type AgnoEvent, type AgnoStreamContext } from './to-agno-multi-frames.ts';

const agentContext: AgnoStreamContext = { mode: 'agent', userId: 'demo_user', projectId: 'demo_project', intermediateSteps: true };
const teamContext: AgnoStreamContext = { mode: 'team', userId: 'web_team', projectId: null, intermediateSteps: true };
const DOCUMENT_KEYS = ['event_type', 'timestamp', 'agent_id', 'content', 'tool_name', 'tool_input', 'tool_output', 'metadata'];

const types = (events: AgnoEvent[]) => events.map((event) => event.event_type);

describe('Agno multi-agent frames', () => {
  test('golden: a single agent with a tool call, byte for byte', () => {
    assert.equal(renderAll(createAgnoMultiRenderer(agentContext), loadFixture('agent-tool-call')), loadGolden('agno-multi.agent-tool-call'));
  });

  test('golden: a coordinate team (web_team), byte for byte', () => {
    assert.equal(renderAll(createAgnoMultiRenderer(teamContext), loadFixture('team-coordinate')), loadGolden('agno-multi.team-coordinate'));
  });

  test('every frame has the document\'s structure, no event field (EventSource onmessage), and a <runId>:<seq> id', () => {
    for (const [fixture, context] of [['agent-tool-call', agentContext], ['team-pipeline', teamContext]] as const) {
      const events = loadFixture(fixture);
      const frames = parseFrames(renderAll(createAgnoMultiRenderer(context), events));
      assert.ok(frames.length > 0);
      for (const frame of frames) {
        assert.equal(frame.event, undefined);
        assert.match(frame.id ?? '', new RegExp(`^${events[0].runId}:\\d+$`));
        assert.deepEqual(Object.keys(JSON.parse(frame.data)), DOCUMENT_KEYS);
      }
    }
  });

  test('a single agent says agent_id = the user and maps its steps in order', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer(agentContext), loadFixture('agent-tool-call'));
    assert.ok(frames.every((frame) => frame.agent_id === 'demo_user'));
    assert.deepEqual([...new Set(types(frames))], ['agent_started', 'agent_thinking', 'tool_started', 'tool_completed', 'agent_response', 'agent_completed']);
    assert.equal(frames[0].metadata?.session_id, 'ses_fixture_agent-tool-call');
  });

  test('a failed tool is a tool_completed flagged tool_call_error, with its input echoed', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer(agentContext), loadFixture('agent-tool-failure'));
    const completed = frames.find((frame) => frame.event_type === 'tool_completed');
    assert.ok(completed);
    assert.equal(completed.tool_name, 'calculator');
    assert.deepEqual(completed.tool_input, { expression: '1/0' });
    assert.equal(completed.metadata?.tool_call_error, true);
    assert.equal((completed.tool_output as { error: { code: string } }).error.code, 'tool_failed');
    assert.match(completed.content ?? '', /not a finite number/);
    assert.equal(frames.at(-1)?.event_type, 'agent_completed');
  });

  test('stream_intermediate_steps false leaves out thinking and tools, keeps the answer', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer({ ...agentContext, intermediateSteps: false }), loadFixture('agent-tool-call'));
    assert.deepEqual([...new Set(types(frames))], ['agent_started', 'agent_response', 'agent_completed']);
  });

  test('round robin: routing is visible, members start and speak under their own id, team_completed ends it', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer({ ...teamContext, userId: 'business_insights' }), loadFixture('team-round-robin'));
    assert.equal(frames[0].event_type, 'team_started');
    const routings = frames.filter((frame) => frame.event_type === 'orchestrator_routing');
    assert.deepEqual(routings.map((frame) => frame.metadata?.members), [['planning_agent'], ['data_analyst'], ['report_writer']]);
    assert.deepEqual(frames.filter((frame) => frame.event_type === 'agent_started').map((frame) => frame.agent_id), ['planning_agent', 'data_analyst', 'report_writer']);
    // A routing decision comes before the member it picked starts.
    assert.ok(types(frames).indexOf('orchestrator_routing') < types(frames).indexOf('agent_started'));
    const memberResponses = frames.filter((frame) => frame.event_type === 'agent_response');
    assert.ok(memberResponses.every((frame) => ['planning_agent', 'data_analyst', 'report_writer'].includes(frame.agent_id)));
    assert.ok(frames.some((frame) => frame.event_type === 'team_response' && frame.agent_id === 'business_insights'));
    assert.ok(!types(frames).includes('agent_completed'), 'a member never sends agent_completed: the document\'s client would close');
    assert.equal(frames.at(-1)?.event_type, 'team_completed');
    assert.equal(frames.at(-1)?.metadata?.status, 'completed');
  });

  test('pipeline fan-out: parallel members stay distinguishable by agent_id', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer({ ...teamContext, userId: 'research' }), loadFixture('team-pipeline'));
    const started = frames.filter((frame) => frame.event_type === 'agent_started').map((frame) => frame.agent_id);
    assert.deepEqual(started, ['research_planner', 'searcher#1', 'searcher#2', 'searcher#3', 'research_writer']);
    assert.ok(frames.some((frame) => frame.event_type === 'tool_started' && frame.agent_id === 'searcher#2' && frame.metadata?.agent_name === 'SearchAgent'));
  });

  test('cancelled: agent_completed with status cancelled ends the stream', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer(agentContext), loadFixture('run-cancelled'));
    assert.deepEqual(frames.at(-1)?.metadata, { run_id: 'run_fixture_run-cancelled', status: 'cancelled', reason: 'Cancelled by the client' });
    assert.equal(frames.at(-1)?.event_type, 'agent_completed');
  });

  test('failed: an error frame, then agent_completed with status failed', () => {
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer(agentContext), loadFixture('run-failed'));
    assert.deepEqual(types(frames).slice(-2), ['error', 'agent_completed']);
    assert.equal(frames.at(-2)?.metadata?.code, 'timeout');
    assert.equal(frames.at(-1)?.metadata?.status, 'failed');
  });

  test('a failed member becomes agent_error, never agent_completed', () => {
    const failed: RunEvent = {
      type: 'agent.completed', output: '', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, error: { code: 'member_failed', message: 'designer broke' },
      agent: { id: 'designer', name: 'Designer', role: 'member', path: ['web_team', 'designer'] }, runId: 'run_x', seq: 9, ts: '2026-01-01T00:00:00.000Z',
    };
    const frames = renderJson<AgnoEvent>(createAgnoMultiRenderer(teamContext), [failed]);
    assert.deepEqual(types(frames), ['agent_error']);
    assert.equal(frames[0].agent_id, 'designer');
  });
});
