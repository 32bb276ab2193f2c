import type { AgentRef, RunEvent, RunEventBody, Usage } from '../../events/run-event.ts';

/**
 * Hand-built run event sequences for the protocol renderers' unit tests: one per shape a renderer must
 * handle (a single agent with a tool, a failing tool, each team mode, a cancel, a failure). Ids, seqs
 * and timestamps are fixed so tests can assert exact frames.
 */

/** The run id and timestamp of every fixture event. */
export const FIXTURE_RUN_ID = 'run_fixture';
export const FIXTURE_TS = '2025-01-02T03:04:05.000Z';
/** `FIXTURE_TS` in milliseconds since the epoch. */
export const FIXTURE_TIME_MS = Date.parse(FIXTURE_TS);

/** The usage every fixture event reports. */
export const USAGE: Usage = { inputTokens: 10, outputTokens: 20, totalTokens: 30, reasoningTokens: 5 };

type Builder = {
  events: RunEvent[];
  emit(agent: AgentRef, body: RunEventBody): Builder;
  think(agent: AgentRef, reasoningId: string, ...deltas: string[]): Builder;
  say(agent: AgentRef, messageId: string, ...deltas: string[]): Builder;
};

/** Stamps the envelope: gapless seq from 1, one run id, one timestamp. */
export function buildRun(): Builder {
  const events: RunEvent[] = [];
  const builder: Builder = {
    events,
    emit(agent, body) {
      events.push({ runId: FIXTURE_RUN_ID, seq: events.length + 1, ts: FIXTURE_TS, agent, ...body } as RunEvent);
      return builder;
    },
    think(agent, reasoningId, ...deltas) {
      for (const delta of deltas) builder.emit(agent, { type: 'reasoning.delta', reasoningId, delta });
      return builder;
    },
    say(agent, messageId, ...deltas) {
      for (const delta of deltas) builder.emit(agent, { type: 'message.delta', messageId, delta });
      return builder.emit(agent, { type: 'message.completed', messageId, text: deltas.join('') });
    },
  };
  return builder;
}

/** The envelope agent of `run.started` and terminal events: path [] and the target's id. */
export function runRef(id: string, kind: 'agent' | 'team'): AgentRef {
  return { id, name: id, role: kind === 'team' ? 'orchestrator' : 'agent', path: [] };
}

/** The single agent `assistant` at the top level. */
export const ASSISTANT: AgentRef = { id: 'assistant', name: 'Assistant', role: 'agent', path: [] };

/** A team's own voice: path `[team]`. */
export function orchestrator(team: string, name = team): AgentRef {
  return { id: team, name, role: 'orchestrator', path: [team] };
}

/** A member in a team slot (`slot` differs from `id` in a fan-out, e.g. `searcher#2`). */
export function member(team: string, id: string, slot = id, name = id): AgentRef {
  return { id, name, role: 'member', path: [team, slot] };
}

function started(builder: Builder, id: string, kind: 'agent' | 'team', input: string): Builder {
  return builder.emit(runRef(id, kind), { type: 'run.started', target: { kind, id }, input: { text: input, sessionId: 'ses_fixture', model: 'demo' }, model: 'demo' });
}

/** assistant: think, call the calculator, think again, answer. */
export function singleAgentWithTool(): RunEvent[] {
  const run = started(buildRun(), 'assistant', 'agent', 'What is 6 * 7?');
  run.emit(ASSISTANT, { type: 'agent.started', task: 'What is 6 * 7?', model: 'demo' })
    .think(ASSISTANT, 'rsn_1', 'Use ', 'the calculator.')
    .emit(ASSISTANT, { type: 'usage', usage: USAGE, step: 1 })
    .emit(ASSISTANT, { type: 'tool.started', toolCallId: 'call_1', toolName: 'calculator', args: { expression: '6 * 7' } })
    .emit(ASSISTANT, { type: 'tool.completed', toolCallId: 'call_1', toolName: 'calculator', result: { expression: '6 * 7', result: 42 }, durationMs: 3 })
    .think(ASSISTANT, 'rsn_2', 'Got 42.')
    .say(ASSISTANT, 'msg_1', 'The answer ', 'is 42.')
    .emit(ASSISTANT, { type: 'usage', usage: USAGE, step: 2 })
    .emit(ASSISTANT, { type: 'agent.completed', output: 'The answer is 42.', usage: USAGE })
    .emit(runRef('assistant', 'agent'), { type: 'run.completed', output: 'The answer is 42.', usage: USAGE });
  return run.events;
}

/** assistant: a tool fails, the run goes on and answers anyway. */
export function singleAgentToolFailure(): RunEvent[] {
  const run = started(buildRun(), 'assistant', 'agent', 'What is 1 / x?');
  run.emit(ASSISTANT, { type: 'agent.started', task: 'What is 1 / x?', model: 'demo' })
    .emit(ASSISTANT, { type: 'tool.started', toolCallId: 'call_1', toolName: 'calculator', args: { expression: '1 / x' } })
    .emit(ASSISTANT, { type: 'tool.failed', toolCallId: 'call_1', toolName: 'calculator', error: { code: 'tool_failed', message: 'Undefined symbol x' }, durationMs: 1 })
    .say(ASSISTANT, 'msg_1', 'I could not compute that.')
    .emit(ASSISTANT, { type: 'agent.completed', output: 'I could not compute that.', usage: USAGE })
    .emit(runRef('assistant', 'agent'), { type: 'run.completed', output: 'I could not compute that.', usage: USAGE });
  return run.events;
}

/** route: the orchestrator picks one member; its answer, repeated in the team's voice, is the answer. */
export function teamRoute(): RunEvent[] {
  const lead = orchestrator('helpdesk');
  const billing = member('helpdesk', 'billing');
  const run = started(buildRun(), 'helpdesk', 'team', 'Refund please');
  run.emit(lead, { type: 'agent.started', task: 'Refund please', model: 'demo' })
    .think(lead, 'rsn_lead', 'Billing question.')
    .emit(lead, { type: 'team.routed', memberIds: ['billing'], reason: 'Refunds are billing', mode: 'route', task: 'Refund please' })
    .emit(billing, { type: 'agent.started', task: 'Refund please', model: 'demo' })
    .say(billing, 'msg_billing', 'Refund issued.')
    .emit(billing, { type: 'agent.completed', output: 'Refund issued.', usage: USAGE })
    .say(lead, 'msg_lead', 'Refund issued.')
    .emit(lead, { type: 'agent.completed', output: 'Refund issued.', usage: USAGE })
    .emit(runRef('helpdesk', 'team'), { type: 'run.completed', output: 'Refund issued.', usage: USAGE });
  return run.events;
}

/** coordinate: sub-tasks delegated one routing decision each, members run in parallel, then a synthesis. */
export function teamCoordinate(): RunEvent[] {
  const lead = orchestrator('web_team', 'Web Team');
  const designer = member('web_team', 'designer');
  const writer = member('web_team', 'copywriter');
  const run = started(buildRun(), 'web_team', 'team', 'Landing page');
  run.emit(lead, { type: 'agent.started', task: 'Landing page', model: 'demo' })
    .emit(lead, { type: 'team.routed', memberIds: ['designer'], reason: 'Delegated 2 sub-task(s)', mode: 'coordinate', task: 'Design it' })
    .emit(lead, { type: 'team.routed', memberIds: ['copywriter'], reason: 'Delegated 2 sub-task(s)', mode: 'coordinate', task: 'Write it' })
    .emit(designer, { type: 'agent.started', task: 'Design it', model: 'demo' })
    .emit(writer, { type: 'agent.started', task: 'Write it', model: 'demo' })
    .think(designer, 'rsn_d', 'Layout.')
    .think(writer, 'rsn_w', 'Copy.')
    .emit(designer, { type: 'message.delta', messageId: 'msg_d', delta: 'Hero ' })
    .emit(writer, { type: 'message.delta', messageId: 'msg_w', delta: 'Buy ' })
    .emit(designer, { type: 'message.delta', messageId: 'msg_d', delta: 'section.' })
    .emit(writer, { type: 'message.delta', messageId: 'msg_w', delta: 'now.' })
    .emit(writer, { type: 'message.completed', messageId: 'msg_w', text: 'Buy now.' })
    .emit(writer, { type: 'agent.completed', output: 'Buy now.', usage: USAGE })
    .emit(designer, { type: 'message.completed', messageId: 'msg_d', text: 'Hero section.' })
    .emit(designer, { type: 'agent.completed', output: 'Hero section.', usage: USAGE })
    .say(lead, 'msg_lead', 'Hero section. Buy now.')
    .emit(lead, { type: 'agent.completed', output: 'Hero section. Buy now.', usage: USAGE })
    .emit(runRef('web_team', 'team'), { type: 'run.completed', output: 'Hero section. Buy now.', usage: USAGE });
  return run.events;
}

/** collaborate: every member gets the task at once (one routing decision), one member fails, the synthesis goes on. */
export function teamCollaborate(): RunEvent[] {
  const lead = orchestrator('panel');
  const optimist = member('panel', 'optimist');
  const skeptic = member('panel', 'skeptic');
  const run = started(buildRun(), 'panel', 'team', 'Should we ship?');
  run.emit(lead, { type: 'agent.started', task: 'Should we ship?', model: 'demo' })
    .emit(lead, { type: 'team.routed', memberIds: ['optimist', 'skeptic'], reason: 'Everyone weighs in', mode: 'collaborate', task: 'Should we ship?' })
    .emit(optimist, { type: 'agent.started', task: 'Should we ship?', model: 'demo' })
    .emit(skeptic, { type: 'agent.started', task: 'Should we ship?', model: 'demo' })
    .say(optimist, 'msg_o', 'Yes.')
    .emit(skeptic, { type: 'agent.completed', output: '', usage: USAGE, error: { code: 'upstream_error', message: 'The model provider returned an error' } })
    .emit(optimist, { type: 'agent.completed', output: 'Yes.', usage: USAGE })
    .say(lead, 'msg_lead', 'Ship it.')
    .emit(lead, { type: 'agent.completed', output: 'Ship it.', usage: USAGE })
    .emit(runRef('panel', 'team'), { type: 'run.completed', output: 'Ship it.', usage: USAGE });
  return run.events;
}

/** round_robin: members take turns (the planner twice: two invocations of one path), with progress. */
export function teamRoundRobin(): RunEvent[] {
  const lead = orchestrator('business_insights');
  const planner = member('business_insights', 'planning_agent');
  const analyst = member('business_insights', 'data_analyst');
  const run = started(buildRun(), 'business_insights', 'team', 'Monthly report');
  run.emit(lead, { type: 'agent.started', task: 'Monthly report', model: 'demo' })
    .emit(lead, { type: 'team.routed', memberIds: ['planning_agent'], reason: 'Turn 1 of at most 3', mode: 'round_robin' })
    .emit(planner, { type: 'agent.started', task: 'Monthly report', model: 'demo' })
    .say(planner, 'msg_p1', 'Plan.')
    .emit(planner, { type: 'agent.completed', output: 'Plan.', usage: USAGE })
    .emit(lead, { type: 'progress', percent: 33, message: 'Turn 1 done' })
    .emit(lead, { type: 'team.routed', memberIds: ['data_analyst'], reason: 'Turn 2 of at most 3', mode: 'round_robin' })
    .emit(analyst, { type: 'agent.started', task: 'Monthly report', model: 'demo' })
    .emit(analyst, { type: 'tool.started', toolCallId: 'call_sales', toolName: 'sales_data', args: { metric: 'revenue' } })
    .emit(analyst, { type: 'tool.completed', toolCallId: 'call_sales', toolName: 'sales_data', result: { total: 1200 }, durationMs: 2 })
    .say(analyst, 'msg_a', 'Revenue 1200.')
    .emit(analyst, { type: 'agent.completed', output: 'Revenue 1200.', usage: USAGE })
    .emit(lead, { type: 'progress', percent: 67, message: 'Turn 2 done' })
    .emit(lead, { type: 'team.routed', memberIds: ['planning_agent'], reason: 'Turn 3 of at most 3', mode: 'round_robin' })
    .emit(planner, { type: 'agent.started', task: 'Monthly report', model: 'demo' })
    .say(planner, 'msg_p2', 'Done.')
    .emit(planner, { type: 'agent.completed', output: 'Done.', usage: USAGE })
    .emit(lead, { type: 'progress', percent: 100 })
    .say(lead, 'msg_lead', 'Report: revenue 1200.')
    .emit(lead, { type: 'agent.completed', output: 'Report: revenue 1200.', usage: USAGE })
    .emit(runRef('business_insights', 'team'), { type: 'run.completed', output: 'Report: revenue 1200.', usage: USAGE });
  return run.events;
}

/** pipeline: planner (with a tool), a fan-out of searchers in parallel slots, a writer, the team's answer. */
export function teamPipeline(): RunEvent[] {
  const lead = orchestrator('research', 'Research Bot');
  const planner = member('research', 'research_planner', 'research_planner', 'PlannerAgent');
  const searcherOne = member('research', 'searcher', 'searcher#1', 'SearchAgent');
  const searcherTwo = member('research', 'searcher', 'searcher#2', 'SearchAgent');
  const writer = member('research', 'research_writer', 'research_writer', 'WriterAgent');
  const run = started(buildRun(), 'research', 'team', 'AI trends');
  run.emit(lead, { type: 'agent.started', task: 'AI trends', model: 'demo' })
    .emit(lead, { type: 'team.routed', memberIds: ['research_planner'], reason: 'Stage 1 of 3: plan', mode: 'pipeline', task: 'AI trends' })
    .emit(planner, { type: 'agent.started', task: 'AI trends', model: 'demo' })
    .emit(planner, { type: 'tool.started', toolCallId: 'call_plan', toolName: 'submit_plan', args: { items: ['a', 'b'] } })
    .emit(planner, { type: 'tool.completed', toolCallId: 'call_plan', toolName: 'submit_plan', result: { accepted: 2 }, durationMs: 1 })
    .say(planner, 'msg_plan', 'Plan: a, b.')
    .emit(planner, { type: 'agent.completed', output: 'Plan: a, b.', usage: USAGE })
    .emit(lead, { type: 'progress', percent: 33, message: 'Stage plan done' })
    .emit(lead, { type: 'team.routed', memberIds: ['searcher#1', 'searcher#2'], reason: 'Stage 2 of 3: search (fan-out over 2 items)', mode: 'pipeline', task: 'a | b' })
    .emit(searcherOne, { type: 'agent.started', task: 'a', model: 'demo' })
    .emit(searcherTwo, { type: 'agent.started', task: 'b', model: 'demo' })
    .emit(searcherOne, { type: 'tool.started', toolCallId: 'call_s1', toolName: 'knowledge_search', args: { query: 'a' } })
    .emit(searcherTwo, { type: 'tool.started', toolCallId: 'call_s2', toolName: 'knowledge_search', args: { query: 'b' } })
    .emit(searcherTwo, { type: 'tool.completed', toolCallId: 'call_s2', toolName: 'knowledge_search', result: { results: ['B'] }, durationMs: 2 })
    .emit(searcherOne, { type: 'tool.completed', toolCallId: 'call_s1', toolName: 'knowledge_search', result: { results: ['A'] }, durationMs: 2 })
    .say(searcherTwo, 'msg_s2', 'Notes on b.')
    .say(searcherOne, 'msg_s1', 'Notes on a.')
    .emit(searcherTwo, { type: 'agent.completed', output: 'Notes on b.', usage: USAGE })
    .emit(searcherOne, { type: 'agent.completed', output: 'Notes on a.', usage: USAGE })
    .emit(lead, { type: 'progress', percent: 67, message: 'Stage search done' })
    .emit(lead, { type: 'team.routed', memberIds: ['research_writer'], reason: 'Stage 3 of 3: write', mode: 'pipeline' })
    .emit(writer, { type: 'agent.started', task: 'Write it up', model: 'demo' })
    .say(writer, 'msg_write', 'Report on a and b.')
    .emit(writer, { type: 'agent.completed', output: 'Report on a and b.', usage: USAGE })
    .emit(lead, { type: 'progress', percent: 100, message: 'Stage write done' })
    .say(lead, 'msg_lead', 'Report on a and b.')
    .emit(lead, { type: 'agent.completed', output: 'Report on a and b.', usage: USAGE })
    .emit(runRef('research', 'team'), { type: 'run.completed', output: 'Report on a and b.', usage: USAGE });
  return run.events;
}

/** A single agent cancelled while it is thinking and answering: reasoning and text are both open. */
export function cancelledMidAnswer(): RunEvent[] {
  const run = started(buildRun(), 'assistant', 'agent', 'Tell me a story');
  run.emit(ASSISTANT, { type: 'agent.started', task: 'Tell me a story', model: 'demo' })
    .think(ASSISTANT, 'rsn_1', 'A story.')
    .emit(ASSISTANT, { type: 'message.delta', messageId: 'msg_1', delta: 'Once upon ' })
    .emit(runRef('assistant', 'agent'), { type: 'run.cancelled', reason: 'Cancelled by the client', usage: USAGE });
  return run.events;
}

/** A team whose run fails while a member is mid-answer: the member's lane and text are open. */
export function failedInTeam(): RunEvent[] {
  const lead = orchestrator('research', 'Research Bot');
  const planner = member('research', 'research_planner', 'research_planner', 'PlannerAgent');
  const run = started(buildRun(), 'research', 'team', 'AI trends');
  run.emit(lead, { type: 'agent.started', task: 'AI trends', model: 'demo' })
    .emit(lead, { type: 'team.routed', memberIds: ['research_planner'], reason: 'Stage 1 of 3: plan', mode: 'pipeline', task: 'AI trends' })
    .emit(planner, { type: 'agent.started', task: 'AI trends', model: 'demo' })
    .emit(planner, { type: 'message.delta', messageId: 'msg_plan', delta: 'Plan: ' })
    .emit(runRef('research', 'team'), { type: 'run.failed', error: { code: 'upstream_error', message: 'The model provider returned an error' } });
  return run.events;
}

/** Every sequence above by name, for tests that check an invariant over all of them. */
export const ALL_SEQUENCES: Record<string, () => RunEvent[]> = {
  singleAgentWithTool, singleAgentToolFailure, teamRoute, teamCoordinate, teamCollaborate, teamRoundRobin, teamPipeline, cancelledMidAnswer, failedInTeam,
};
