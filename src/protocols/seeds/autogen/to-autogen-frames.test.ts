import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cannedTeamRun } from '../canned-run-events.ts';
import { loadFixture, loadGolden, parseFrames, renderAll, renderJson } from '../__fixtures__/load-fixture.ts';
import { createAutogenRenderer, type AutogenEnvelope, type AutogenEvent } from './to-autogen-frames.ts';

const render = (events: Parameters<typeof renderAll>[1]) => renderJson<AutogenEnvelope>(createAutogenRenderer(), events).map((envelope) => envelope.event);
const types = (events: AutogenEvent[]) => events.map((event) => event.event_type);

describe('AutoGen frames', () => {
  test('golden: the round-robin business_insights team, byte for byte', () => {
    assert.equal(renderAll(createAutogenRenderer(), loadFixture('team-round-robin')), loadGolden('autogen.team-round-robin'));
  });

  test('every frame is data: {"event": {...}} with the document\'s five fields and no event field', () => {
    for (const frame of parseFrames(renderAll(createAutogenRenderer(), loadFixture('team-round-robin')))) {
      assert.equal(frame.event, undefined);
      const envelope = JSON.parse(frame.data) as AutogenEnvelope;
      assert.deepEqual(Object.keys(envelope), ['event']);
      assert.deepEqual(Object.keys(envelope.event), ['event_type', 'timestamp', 'agent_name', 'message', 'data']);
      assert.equal(typeof envelope.event.data.progress, 'number');
    }
  });

  test('started first; members think, use tools and respond; progress never goes down and is 100 before completed', () => {
    const events = render(loadFixture('team-round-robin'));
    assert.equal(events[0].event_type, 'started');
    assert.deepEqual(events[0].data, { question: 'Generate a monthly business report for our sales performance', run_id: 'run_fixture_team-round-robin', progress: 0 });
    assert.deepEqual(events.filter((event) => event.event_type === 'agent_response').map((event) => event.agent_name), ['PlanningAgent', 'DataAnalyst', 'ReportWriter']);
    const tool = events.find((event) => event.event_type === 'tool_execution');
    assert.deepEqual([tool?.data.tool_name, tool?.data.parameters], ['sales_data', { metric: 'revenue', groupBy: ['month'], orderBy: 'key' }]);
    const progress = events.map((event) => event.data.progress as number);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only grows');
    assert.equal(events.at(-2)?.data.progress, 100);
    const completed = events.at(-1)!;
    assert.equal(completed.event_type, 'completed');
    assert.equal(completed.data.final_response, 'Draft on ');
    assert.equal(completed.data.total_messages, 4);
    assert.equal(completed.data.response_length, 'Draft on '.length);
    assert.equal(completed.data.progress, 100);
  });

  test('routing shows on the chosen member\'s agent_thinking', () => {
    const thinking = render(loadFixture('team-round-robin')).filter((event) => event.event_type === 'agent_thinking' && event.data.routing);
    assert.deepEqual(thinking.map((event) => [event.agent_name, event.data.routing]), [['PlanningAgent', 'Turn 1 of at most 40'], ['DataAnalyst', 'Turn 2 of at most 40'], ['ReportWriter', 'Turn 3 of at most 40']]);
  });

  test('a failed tool is a tool_execution with status failed', () => {
    const failed = render(loadFixture('agent-tool-failure')).filter((event) => event.event_type === 'tool_execution');
    assert.deepEqual(failed.map((event) => event.data.status), ['started', 'failed']);
    assert.deepEqual(failed[1].data.parameters, { expression: '1/0' });
  });

  test('failed and cancelled runs end with an error event carrying error and progress', () => {
    const failed = render(loadFixture('run-failed')).at(-1)!;
    assert.deepEqual([failed.event_type, failed.data.code, failed.data.progress], ['error', 'timeout', 0]);
    const cancelled = render(loadFixture('run-cancelled')).at(-1)!;
    assert.deepEqual([cancelled.event_type, cancelled.data.code], ['error', 'cancelled']);
  });

  test('a single agent (no progress events) still completes at 100 with its own response counted', () => {
    const events = render(loadFixture('agent-tool-call'));
    assert.deepEqual(types(events), ['started', 'tool_execution', 'tool_execution', 'agent_response', 'completed']);
    assert.equal(events.at(-1)?.data.total_messages, 2);
    assert.equal(events.at(-1)?.data.progress, 100);
  });

  test('the canned test stream walks the four workflow steps: 25, 50, 75, 100', () => {
    const progress = render(cannedTeamRun({ input: 'Test' })).filter((event) => event.agent_name === 'Business Insights').map((event) => event.data.progress);
    assert.deepEqual(progress, [25, 50, 75, 100]);
  });

  test('onEvent sees every event written, for the stream_events log', () => {
    const seen: string[] = [];
    renderAll(createAutogenRenderer({ onEvent: (event) => seen.push(event.event_type) }), loadFixture('team-round-robin'));
    assert.equal(seen.length, render(loadFixture('team-round-robin')).length);
  });
});
