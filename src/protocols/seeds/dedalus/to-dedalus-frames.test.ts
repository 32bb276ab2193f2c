import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cannedAgentRun } from '../canned-run-events.ts';
import { loadFixture, loadGolden, parseFrames, renderAll } from '../__fixtures__/load-fixture.ts';
import { toDedalusResponse } from './to-dedalus-response.ts';
import { createDedalusRenderer, renderDedalusFailure, type DedalusStreamEvent } from './to-dedalus-frames.ts';

/** The frames as the document's clients see them: the `event:` field and the JSON's own `event` must agree. */
function render(events: Parameters<typeof renderAll>[1]): DedalusStreamEvent[] {
  return parseFrames(renderAll(createDedalusRenderer(), events)).map((frame) => {
    const parsed = JSON.parse(frame.data) as DedalusStreamEvent;
    assert.equal(frame.event, parsed.event);
    return parsed;
  });
}
const types = (frames: DedalusStreamEvent[]) => frames.map((frame) => frame.event);

describe('Dedalus frames', () => {
  test('golden: a single agent with a tool call, byte for byte', () => {
    assert.equal(renderAll(createDedalusRenderer(), loadFixture('agent-tool-call')), loadGolden('dedalus.agent-tool-call'));
  });

  test('thinking, tool_use, tool_result, partial_output, then final_output (with model and usage) and complete last', () => {
    const frames = render(loadFixture('agent-tool-call'));
    assert.deepEqual([...new Set(types(frames))], ['thinking', 'tool_use', 'tool_result', 'partial_output', 'final_output', 'complete']);
    const final = frames.at(-2)!;
    assert.deepEqual(final.data, { content: 'Here is ', model: 'demo', usage: { input_tokens: 155, output_tokens: 138, total_tokens: 293, reasoning_tokens: 62 } });
    assert.equal(frames.at(-1)?.data.status, 'completed');
  });

  test('a failed tool is a tool_result with is_error', () => {
    const result = render(loadFixture('agent-tool-failure')).find((frame) => frame.event === 'tool_result');
    assert.equal(result?.data.is_error, true);
    assert.equal((result?.data.error as { code: string }).code, 'tool_failed');
  });

  test('failed and cancelled runs end with error, then complete', () => {
    const failed = render(loadFixture('run-failed'));
    assert.deepEqual(types(failed).slice(-2), ['error', 'complete']);
    assert.equal(failed.at(-2)?.data.code, 'timeout');
    assert.equal(failed.at(-1)?.data.status, 'failed');
    const cancelled = render(loadFixture('run-cancelled'));
    assert.deepEqual(types(cancelled).slice(-2), ['error', 'complete']);
    assert.equal(cancelled.at(-1)?.data.status, 'cancelled');
  });

  test('a failure before any run is error + complete too', () => {
    const frames = parseFrames(renderDedalusFailure({ code: 'model_not_found', message: 'nope' }, '2026-01-01T00:00:00.000Z'));
    assert.deepEqual(frames.map((frame) => frame.event), ['error', 'complete']);
    assert.deepEqual(JSON.parse(frames[0].data), { event: 'error', data: { error: 'nope', code: 'model_not_found' }, timestamp: '2026-01-01T00:00:00.000Z' });
  });

  test('the simulated run exercises every event type but error; with fail, error then complete', () => {
    assert.deepEqual([...new Set(types(render(cannedAgentRun({ input: 'Test', model: 'openai:gpt-4.1' }))))], ['thinking', 'tool_use', 'tool_result', 'partial_output', 'final_output', 'complete']);
    assert.deepEqual([...new Set(types(render(cannedAgentRun({ input: 'Test', model: 'demo', fail: true }))))], ['thinking', 'error', 'complete']);
  });

  test('the execute response folds the same events: output, tool calls, usage', () => {
    const response = toDedalusResponse(loadFixture('agent-tool-call'), { mcpServers: [] });
    assert.equal(response.success, true);
    assert.equal(response.output, 'Here is ');
    assert.equal(response.model, 'demo');
    assert.deepEqual(response.tool_calls, [{ tool_call_id: 'call_d28b087f45948775', tool_name: 'calculator', tool_input: { expression: '12 * (3 + 4)' }, result: { expression: '12 * (3 + 4)', result: 84 }, is_error: false }]);
    assert.equal(response.usage?.total_tokens, 293);
    const failed = toDedalusResponse(loadFixture('run-failed'), { mcpServers: [] });
    assert.deepEqual([failed.success, failed.error_code], [false, 'timeout']);
  });
});
