import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeValidateTypes } from '@ai-sdk/provider-utils';
import { readUIMessageStream, uiMessageChunkSchema, type UIMessage, type UIMessageChunk } from 'ai';
import type { RunEvent } from '../../events/run-event.ts';
import {
  ALL_SEQUENCES, cancelledMidAnswer, failedInTeam, singleAgentToolFailure, singleAgentWithTool, teamCollaborate, teamCoordinate, teamPipeline, teamRoundRobin, teamRoute, USAGE,
} from '../__fixtures__/run-event-sequences.ts';
import { createAiSdkUiRenderer, UI_MESSAGE_STREAM_DONE } from './ai-sdk-ui-renderer.ts';
import { createUiChunkMapper, type AgentLane } from './ui-chunk-mapper.ts';

function chunksOf(events: RunEvent[]): UIMessageChunk[] {
  const mapper = createUiChunkMapper();
  return events.flatMap((event) => mapper.map(event));
}

/** Folds chunks into the assistant message the way `useChat` does, with the `ai` package's own reader. */
async function fold(chunks: UIMessageChunk[]): Promise<{ message: UIMessage; errors: string[] }> {
  const errors: string[] = [];
  const stream = new ReadableStream<UIMessageChunk>({ start(controller) { for (const chunk of chunks) controller.enqueue(chunk); controller.close(); } });
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({ stream, onError: (error) => errors.push((error as Error).message) })) message = snapshot;
  assert.ok(message, 'the stream produced a message');
  return { message, errors };
}

const lanesOf = (message: UIMessage) => message.parts.filter((part) => part.type === 'data-agent') as unknown as { id: string; data: AgentLane }[];
const partTypes = (message: UIMessage) => message.parts.map((part) => part.type);

describe('AI SDK UI message stream chunks', () => {
  it('maps a single agent with a tool call to exactly these chunks', () => {
    assert.deepEqual(chunksOf(singleAgentWithTool()), [
      { type: 'start', messageId: 'run_fixture', messageMetadata: { runId: 'run_fixture', sessionId: 'ses_fixture', target: { kind: 'agent', id: 'assistant' }, model: 'demo' } },
      { type: 'start-step' },
      { type: 'reasoning-start', id: 'rsn_1' },
      { type: 'reasoning-delta', id: 'rsn_1', delta: 'Use ' },
      { type: 'reasoning-delta', id: 'rsn_1', delta: 'the calculator.' },
      { type: 'reasoning-end', id: 'rsn_1' },
      { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'calculator' },
      { type: 'tool-input-available', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6 * 7' } },
      { type: 'tool-output-available', toolCallId: 'call_1', output: { expression: '6 * 7', result: 42 } },
      { type: 'reasoning-start', id: 'rsn_2' },
      { type: 'reasoning-delta', id: 'rsn_2', delta: 'Got 42.' },
      { type: 'reasoning-end', id: 'rsn_2' },
      { type: 'text-start', id: 'msg_1' },
      { type: 'text-delta', id: 'msg_1', delta: 'The answer ' },
      { type: 'text-delta', id: 'msg_1', delta: 'is 42.' },
      { type: 'text-end', id: 'msg_1' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'stop', messageMetadata: { runId: 'run_fixture', usage: USAGE } },
    ]);
  });

  it('folds (with readUIMessageStream) into reasoning, a tool part with its output, and the text', async () => {
    const { message, errors } = await fold(chunksOf(singleAgentWithTool()));
    assert.deepEqual(errors, []);
    assert.equal(message.id, 'run_fixture');
    // JSON drops the keys the reader sets to undefined, as a client persisting the message would.
    assert.deepEqual(JSON.parse(JSON.stringify(message.parts)), [
      { type: 'step-start' },
      { type: 'reasoning', id: 'rsn_1', text: 'Use the calculator.', state: 'done' },
      { type: 'tool-calculator', toolCallId: 'call_1', state: 'output-available', input: { expression: '6 * 7' }, output: { expression: '6 * 7', result: 42 } },
      { type: 'reasoning', id: 'rsn_2', text: 'Got 42.', state: 'done' },
      { type: 'text', text: 'The answer is 42.', state: 'done' },
    ]);
    assert.deepEqual((message.metadata as { usage: unknown }).usage, USAGE);
  });

  it('reports a failed tool with tool-output-error, and the run goes on', async () => {
    const chunks = chunksOf(singleAgentToolFailure());
    assert.deepEqual(chunks.find((chunk) => chunk.type === 'tool-output-error'), { type: 'tool-output-error', toolCallId: 'call_1', errorText: 'Undefined symbol x' });
    const { message } = await fold(chunks);
    const tool = message.parts.find((part) => part.type === 'tool-calculator') as { state: string; errorText: string };
    assert.equal(tool.state, 'output-error');
    assert.equal(tool.errorText, 'Undefined symbol x');
    assert.equal(chunks.at(-1)?.type, 'finish');
  });

  for (const [name, build] of Object.entries(ALL_SEQUENCES)) {
    it(`${name}: every chunk passes the ai package's uiMessageChunkSchema and folds cleanly`, async () => {
      const chunks = chunksOf(build());
      for (const chunk of chunks) {
        const result = await safeValidateTypes({ value: chunk, schema: uiMessageChunkSchema });
        assert.ok(result.success, `${chunk.type}: ${result.success ? '' : result.error.message}`);
      }
      const { errors } = await fold(chunks);
      assert.deepEqual(errors, name === 'failedInTeam' ? ['The model provider returned an error'] : []);
    });
  }

  it('route: the member is a lane, the text part is the team\'s voice only', async () => {
    const { message } = await fold(chunksOf(teamRoute()));
    assert.deepEqual(partTypes(message), ['step-start', 'reasoning', 'data-team-routed', 'data-agent', 'text']);
    assert.equal((message.parts.find((part) => part.type === 'text') as { text: string }).text, 'Refund issued.');
    const [lane] = lanesOf(message);
    assert.equal(lane.id, 'helpdesk/billing@5');
    assert.deepEqual(lane.data, { path: ['helpdesk', 'billing'], agentId: 'billing', name: 'billing', role: 'member', status: 'completed', task: 'Refund please', text: 'Refund issued.', tools: [], usage: USAGE });
  });

  it('coordinate: one routed part per delegation, parallel members stream transient deltas into their own lanes', async () => {
    const chunks = chunksOf(teamCoordinate());
    const deltas = chunks.filter((chunk) => chunk.type === 'data-agent-delta').map((chunk) => (chunk as { data: { laneId: string; kind: string; delta: string } }).data);
    assert.deepEqual(deltas, [
      { laneId: 'web_team/designer@5', kind: 'reasoning', delta: 'Layout.' },
      { laneId: 'web_team/copywriter@6', kind: 'reasoning', delta: 'Copy.' },
      { laneId: 'web_team/designer@5', kind: 'text', delta: 'Hero ' },
      { laneId: 'web_team/copywriter@6', kind: 'text', delta: 'Buy ' },
      { laneId: 'web_team/designer@5', kind: 'text', delta: 'section.' },
      { laneId: 'web_team/copywriter@6', kind: 'text', delta: 'now.' },
    ]);
    assert.ok(chunks.filter((chunk) => chunk.type === 'data-agent-delta').every((chunk) => (chunk as { transient?: boolean }).transient === true));
    const { message } = await fold(chunks);
    assert.deepEqual(partTypes(message), ['step-start', 'data-team-routed', 'data-team-routed', 'data-agent', 'data-agent', 'text']);
    assert.deepEqual(lanesOf(message).map((lane) => [lane.data.agentId, lane.data.status, lane.data.text]), [['designer', 'completed', 'Hero section.'], ['copywriter', 'completed', 'Buy now.']]);
  });

  it('collaborate: a failing member\'s lane ends failed with its error', async () => {
    const { message } = await fold(chunksOf(teamCollaborate()));
    const skeptic = lanesOf(message).find((lane) => lane.data.agentId === 'skeptic');
    assert.equal(skeptic?.data.status, 'failed');
    assert.deepEqual(skeptic?.data.error, { code: 'upstream_error', message: 'The model provider returned an error' });
    const routed = message.parts.filter((part) => part.type === 'data-team-routed') as unknown as { data: { memberIds: string[]; mode: string } }[];
    assert.deepEqual(routed.map((part) => part.data), [{ by: 'panel', path: ['panel'], mode: 'collaborate', memberIds: ['optimist', 'skeptic'], reason: 'Everyone weighs in', task: 'Should we ship?' }]);
  });

  it('round_robin: each turn is its own lane, and progress is one part updated in place', async () => {
    const { message } = await fold(chunksOf(teamRoundRobin()));
    assert.deepEqual(lanesOf(message).map((lane) => lane.id), ['business_insights/planning_agent@4', 'business_insights/data_analyst@10', 'business_insights/planning_agent@18']);
    const progress = message.parts.filter((part) => part.type === 'data-progress') as unknown as { data: unknown }[];
    assert.deepEqual(progress.map((part) => part.data), [{ percent: 100 }]);
    const analyst = lanesOf(message)[1].data;
    assert.deepEqual(analyst.tools, [{ toolCallId: 'call_sales', toolName: 'sales_data', input: { metric: 'revenue' }, state: 'completed', output: { total: 1200 } }]);
  });

  it('pipeline: the fan-out slots are separate lanes with their own tool calls; no member tool becomes a tool part', async () => {
    const { message } = await fold(chunksOf(teamPipeline()));
    assert.deepEqual(lanesOf(message).map((lane) => `${lane.data.path.join('/')} ${lane.data.tools.map((tool) => `${tool.toolName}:${tool.state}`).join(',')}`), [
      'research/research_planner submit_plan:completed', 'research/searcher#1 knowledge_search:completed', 'research/searcher#2 knowledge_search:completed', 'research/research_writer ',
    ]);
    assert.ok(!message.parts.some((part) => part.type.startsWith('tool-')));
    assert.equal(message.parts.filter((part) => part.type === 'data-team-routed').length, 3);
  });

  it('cancel: closes the open text and step, then abort', () => {
    assert.deepEqual(chunksOf(cancelledMidAnswer()).slice(-6), [
      { type: 'reasoning-end', id: 'rsn_1' },
      { type: 'text-start', id: 'msg_1' },
      { type: 'text-delta', id: 'msg_1', delta: 'Once upon ' },
      { type: 'text-end', id: 'msg_1' },
      { type: 'finish-step' },
      { type: 'abort', reason: 'Cancelled by the client' },
    ]);
  });

  it('failure: the open lane ends failed, then error and a finish with finishReason error', () => {
    const chunks = chunksOf(failedInTeam());
    assert.deepEqual(chunks.slice(-4), [
      { type: 'data-agent', id: 'research/research_planner@4', data: { path: ['research', 'research_planner'], agentId: 'research_planner', name: 'PlannerAgent', role: 'member', status: 'failed', task: 'AI trends', text: '', tools: [] } },
      { type: 'finish-step' },
      { type: 'error', errorText: 'The model provider returned an error' },
      { type: 'finish', finishReason: 'error', messageMetadata: { runId: 'run_fixture', error: { code: 'upstream_error', message: 'The model provider returned an error' } } },
    ]);
  });
});

describe('AI SDK UI message stream renderer', () => {
  it('sends the protocol header, data frames, and [DONE] after the terminal chunk', () => {
    const renderer = createAiSdkUiRenderer();
    assert.deepEqual(renderer.headers, { 'x-vercel-ai-ui-message-stream': 'v1' });
    const [first] = singleAgentWithTool();
    assert.equal(renderer.render(first), 'data: {"type":"start","messageId":"run_fixture","messageMetadata":{"runId":"run_fixture","sessionId":"ses_fixture","target":{"kind":"agent","id":"assistant"},"model":"demo"}}\n\n');
    assert.equal(renderer.close!(), 'data: [DONE]\n\n');
    assert.equal(renderer.fail!({ code: 'internal', message: 'The run failed.' }), `data: {"type":"error","errorText":"The run failed."}\n\n${UI_MESSAGE_STREAM_DONE}`);
  });
});
