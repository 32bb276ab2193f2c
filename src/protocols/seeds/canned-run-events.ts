import { randomUUID } from 'node:crypto';
import type { AgentRef, JsonValue, RunEvent, RunEventBody, Usage } from '../../events/run-event.ts';

/**
 * Canned, clearly SIMULATED runs for the seeds' test endpoints (Dedalus `/api/agent/stream/simulate`, AutoGen
 * `/test-stream`): no model, no store, no tools run. They are ordinary `RunEvent`s, so they go through the
 * same renderer as a real run and exercise every frame a client must handle.
 */

type Emit = (body: RunEventBody, agent: AgentRef) => void;

function recorder(runId: string, start: Date) {
  const events: RunEvent[] = [];
  const emit: Emit = (body, agent) => {
    const seq = events.length + 1;
    // One millisecond per event keeps timestamps distinct and ordered without waiting.
    events.push({ ...body, agent, runId, seq, ts: new Date(start.getTime() + seq).toISOString() } as RunEvent);
  };
  return { events, emit };
}

function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

function usageOf(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

function streamText(emit: Emit, agent: AgentRef, kind: 'reasoning' | 'message', text: string): void {
  const id = `${kind === 'reasoning' ? 'rsn' : 'msg'}_${randomUUID()}`;
  for (const delta of words(text)) {
    emit(kind === 'reasoning' ? { type: 'reasoning.delta', reasoningId: id, delta } : { type: 'message.delta', messageId: id, delta }, agent);
  }
  if (kind === 'message') emit({ type: 'message.completed', messageId: id, text }, agent);
}

function toolCall(emit: Emit, agent: AgentRef, toolName: string, args: JsonValue, result: JsonValue): void {
  const toolCallId = `call_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  emit({ type: 'tool.started', toolCallId, toolName, args }, agent);
  emit({ type: 'tool.completed', toolCallId, toolName, result, durationMs: 0 }, agent);
}

/** `input` and `model` are echoed as a real run would; `fail` ends the run with `run.failed` after thinking. */
export type CannedAgentRunOptions = { input: string; model: string; fail?: boolean; now?: Date };

/** A single agent (`assistant`) that thinks, calls the calculator, and answers; with `fail`, it fails after thinking. */
export function cannedAgentRun(options: CannedAgentRunOptions): RunEvent[] {
  const runId = `run_simulated_${randomUUID()}`;
  const { events, emit } = recorder(runId, options.now ?? new Date());
  const system: AgentRef = { id: 'assistant', name: 'assistant', role: 'agent', path: [] };
  const agent: AgentRef = { id: 'assistant', name: 'Assistant', role: 'agent', path: [] };
  emit({ type: 'run.started', target: { kind: 'agent', id: 'assistant' }, input: { text: options.input, model: options.model }, model: options.model }, system);
  emit({ type: 'agent.started', task: options.input, model: options.model }, agent);
  streamText(emit, agent, 'reasoning', 'This is a simulated run. I will call the calculator once to show a tool call. ');
  if (options.fail) {
    emit({ type: 'run.failed', error: { code: 'simulated_error', message: 'Simulated failure (simulate_error: true); no model was called.' } }, system);
    return events;
  }
  emit({ type: 'usage', usage: usageOf(24, 18), step: 1 }, agent);
  toolCall(emit, agent, 'calculator', { expression: '6 * 7' }, { expression: '6 * 7', result: 42 });
  const answer = `Simulated answer to "${options.input}": the calculator returned 42. No model was called.`;
  streamText(emit, agent, 'message', answer);
  const total = usageOf(60, 40);
  emit({ type: 'usage', usage: usageOf(36, 22), step: 2 }, agent);
  emit({ type: 'agent.completed', output: answer, usage: total }, agent);
  emit({ type: 'run.completed', output: answer, usage: total }, system);
  return events;
}

/**
 * A round-robin team in the shape of `business_insights`: three members take a turn each (one calls
 * `sales_data`), with progress at 25, 50, 75 and 100 as the AutoGen document's four workflow steps.
 */
export function cannedTeamRun(options: { input: string; now?: Date }): RunEvent[] {
  const runId = `run_simulated_${randomUUID()}`;
  const { events, emit } = recorder(runId, options.now ?? new Date());
  const system: AgentRef = { id: 'business_insights', name: 'business_insights', role: 'orchestrator', path: [] };
  const team: AgentRef = { id: 'business_insights', name: 'Business Insights', role: 'orchestrator', path: ['business_insights'] };
  const member = (id: string, name: string): AgentRef => ({ id, name, role: 'member', path: ['business_insights', id] });
  emit({ type: 'run.started', target: { kind: 'team', id: 'business_insights' }, input: { text: options.input, model: 'simulated' }, model: 'simulated' }, system);
  emit({ type: 'agent.started', task: options.input, model: 'simulated' }, team);
  const turns = [
    { agent: member('planning_agent', 'PlanningAgent'), text: 'Planning task breakdown (simulated): gather the sales figures, analyse them, write the report.' },
    { agent: member('data_analyst', 'DataAnalyst'), text: 'Simulated analysis: revenue grew from $100K to $120K (+20%) month over month.', tool: true },
    { agent: member('report_writer', 'ReportWriter'), text: 'Simulated report: sales are up 20% this month. TERMINATE' },
  ];
  let total = usageOf(0, 0);
  turns.forEach((turn, index) => {
    emit({ type: 'team.routed', memberIds: [turn.agent.id], reason: `Turn ${index + 1} of at most 40`, mode: 'round_robin' }, team);
    emit({ type: 'agent.started', task: options.input, model: 'simulated' }, turn.agent);
    if (turn.tool) toolCall(emit, turn.agent, 'sales_data', { metric: 'revenue', groupBy: ['month'] }, { metric: 'revenue', rows: [{ month: '2025-01', value: 100000 }, { month: '2025-02', value: 120000 }] });
    emit({ type: 'message.completed', messageId: `msg_${randomUUID()}`, text: turn.text }, turn.agent);
    const usage = usageOf(20, 20);
    total = usageOf(total.inputTokens + usage.inputTokens, total.outputTokens + usage.outputTokens);
    emit({ type: 'agent.completed', output: turn.text, usage }, turn.agent);
    emit({ type: 'progress', percent: (index + 1) * 25, message: `${turn.agent.name} replied (${index + 1} message${index ? 's' : ''})` }, team);
  });
  const answer = 'Simulated report: sales are up 20% this month.';
  emit({ type: 'message.completed', messageId: `msg_${randomUUID()}`, text: answer }, team);
  emit({ type: 'progress', percent: 100, message: 'Conversation ended by TERMINATE after 3 messages' }, team);
  emit({ type: 'agent.completed', output: answer, usage: total }, team);
  emit({ type: 'run.completed', output: answer, usage: total }, system);
  return events;
}
