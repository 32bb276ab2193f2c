import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinProfiles } from '../__fixtures__/builtin-profiles.ts';
import { loadFixture, loadGolden, parseFrames, renderAll, renderJson } from '../__fixtures__/load-fixture.ts';
import { createOpenAiAgentsRenderer, type OpenAiAgentsFrame } from './to-openai-agents-frames.ts';
import { toAgentResponse, toReportData } from './to-openai-agents-results.ts';

const render = (events: Parameters<typeof renderAll>[1]) => renderJson<OpenAiAgentsFrame>(createOpenAiAgentsRenderer(builtinProfiles), events);
const items = (frames: OpenAiAgentsFrame[]) => frames.filter((frame) => frame.type === 'run_item').map((frame) => `${frame.name}/${frame.item_type}`);

describe('OpenAI Agents frames', () => {
  test('golden: a single agent with a tool call, byte for byte', () => {
    assert.equal(renderAll(createOpenAiAgentsRenderer(builtinProfiles), loadFixture('agent-tool-call')), loadGolden('openai-agents.agent-tool-call'));
  });

  test('golden: the research pipeline team, byte for byte', () => {
    assert.equal(renderAll(createOpenAiAgentsRenderer(builtinProfiles), loadFixture('team-pipeline')), loadGolden('openai-agents.team-pipeline'));
  });

  test('agent_updated first, raw text deltas, the SDK\'s item names, stream_complete with usage last', () => {
    const frames = render(loadFixture('agent-tool-call'));
    assert.equal(frames[0].type, 'agent_updated');
    assert.equal(frames[0].agent_name, 'Assistant');
    assert.deepEqual(items(frames), ['tool_called/tool_call_item', 'tool_output/tool_call_output_item', 'message_output_created/message_output_item']);
    const deltas = frames.filter((frame) => frame.event_type === 'response.output_text.delta');
    assert.equal(deltas.map((frame) => frame.delta).join(''), 'Here is ');
    assert.ok(deltas.every((frame) => frame.item_id === deltas[0].item_id && typeof frame.sequence_number === 'number'));
    assert.deepEqual(frames.at(-1), {
      type: 'stream_complete', final_output: 'Here is ', current_turn: 2,
      usage: { requests: 2, input_tokens: 155, output_tokens: 138, total_tokens: 293 }, session_id: 'ses_fixture_agent-tool-call',
    });
    assert.ok(parseFrames(renderAll(createOpenAiAgentsRenderer(builtinProfiles), loadFixture('agent-tool-call'))).every((frame) => frame.event === undefined));
  });

  test('tool arguments are a JSON string, as in the SDK; a failed tool\'s output is the SDK\'s error text', () => {
    const frames = render(loadFixture('agent-tool-failure'));
    const called = frames.find((frame) => frame.name === 'tool_called');
    assert.equal(called?.tool_arguments, '{"expression":"1/0"}');
    const output = frames.find((frame) => frame.name === 'tool_output');
    assert.match(String(output?.output), /^An error occurred while running the tool\. Please try again\. Error: /);
    assert.equal(output?.call_id, called?.call_id);
  });

  test('team routing is a handoff: requested, occured (the SDK\'s spelling), then agent_updated for the member', () => {
    const frames = render(loadFixture('team-round-robin'));
    const sequence = frames.filter((frame) => frame.type === 'agent_updated' || frame.name === 'handoff_requested' || frame.name === 'handoff_occured')
      .map((frame) => (frame.type === 'agent_updated' ? `updated:${frame.agent_name}` : `${frame.name}:${frame.target_agent}`));
    assert.deepEqual(sequence, [
      'updated:Business Insights',
      'handoff_requested:PlanningAgent', 'handoff_occured:PlanningAgent', 'updated:PlanningAgent',
      'handoff_requested:DataAnalyst', 'handoff_occured:DataAnalyst', 'updated:DataAnalyst',
      'handoff_requested:ReportWriter', 'handoff_occured:ReportWriter', 'updated:ReportWriter',
    ]);
    const occurred = frames.find((frame) => frame.name === 'handoff_occured');
    assert.equal(occurred?.previous_agent, 'Business Insights');
  });

  test('coordinate team: one handoff per delegated member, with the delegation reason', () => {
    const handoffs = render(loadFixture('team-coordinate')).filter((frame) => frame.name === 'handoff_requested');
    assert.deepEqual(handoffs.map((frame) => frame.target_agent_id), ['designer', 'copywriter', 'frontend_developer']);
    assert.ok(handoffs.every((frame) => frame.reason === 'Delegated 3 sub-task(s)'));
  });

  test('failed and cancelled runs end with an error frame (epoch-seconds timestamp, session id)', () => {
    const failed = render(loadFixture('run-failed')).at(-1)!;
    assert.equal(failed.type, 'error');
    assert.equal(failed.code, 'timeout');
    assert.match(String(failed.timestamp), /^\d{10}(\.\d+)?$/);
    assert.equal(failed.session_id, 'ses_fixture_run-failed');
    assert.equal(render(loadFixture('run-cancelled')).at(-1)?.code, 'cancelled');
  });

  test('AgentResponse folds the same frames: success with usage, or success false with the error', () => {
    assert.deepEqual(toAgentResponse(loadFixture('agent-tool-call'), builtinProfiles), {
      final_output: 'Here is ', success: true, error: null, usage: { requests: 2, input_tokens: 155, output_tokens: 138, total_tokens: 293 },
      response_id: 'run_fixture_agent-tool-call', session_id: 'ses_fixture_agent-tool-call',
    });
    const failed = toAgentResponse(loadFixture('run-failed'), builtinProfiles);
    assert.deepEqual([failed.success, failed.final_output, failed.error], [false, null, 'The run exceeded its time limit of 60 ms.']);
  });

  test('ReportData: the report, a short summary from its first prose paragraph, its questions as follow-ups', () => {
    const report = '# AI trends\n\nAgents went mainstream. Costs fell. Models got smaller. Regulation arrived.\n\n- Open questions:\n- **What will agents cost in 2025?**\n- Who regulates them?\n';
    assert.deepEqual(toReportData(report), {
      short_summary: 'Agents went mainstream. Costs fell. Models got smaller.',
      markdown_report: report,
      follow_up_questions: ['What will agents cost in 2025?', 'Who regulates them?'],
    });
  });
});
