import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/events/run-event.ts';
import { readSse } from '../../client/read-sse.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const CONFIG = fileURLToPath(new URL('./fixtures/teams.config.json', import.meta.url));

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((event): event is RunEventOf<T> => event.type === type);
const pathKey = (event: RunEvent) => event.agent.path.join('/');

/** Each member's [start, end] in ms, from its agent.started / agent.completed. */
function memberSpans(events: RunEvent[], teamId: string): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>();
  for (const event of events) {
    if (event.agent.path.length !== 2 || event.agent.path[0] !== teamId) continue;
    if (event.type === 'agent.started') spans.set(pathKey(event), { start: Date.parse(event.ts), end: Infinity });
    if (event.type === 'agent.completed') spans.get(pathKey(event))!.end = Date.parse(event.ts);
  }
  return spans;
}

/** Every member's events sit between its own agent.started and agent.completed. */
function assertBracketed(events: RunEvent[], everyMemberDone: boolean) {
  const open = new Set<string>();
  const closed = new Set<string>();
  for (const event of events) {
    if (event.agent.path.length < 2) continue;
    const key = pathKey(event);
    if (event.type === 'agent.started') open.add(key);
    else {
      assert.ok(open.has(key), `${event.type} of ${key} comes after its agent.started`);
      assert.ok(!closed.has(key), `${event.type} of ${key} comes before its agent.completed`);
    }
    if (event.type === 'agent.completed') closed.add(key);
  }
  if (everyMemberDone) assert.deepEqual(closed, open, 'every member that started completed');
}

describe('teams', () => {
  let server: TestServer;
  const probe = createProbeProvider(4);
  before(async () => {
    server = await startTestServer({ configFile: CONFIG, demoTokenDelayMs: 0 }, { providers: [probe.provider] });
  });
  after(() => server.close());
  const runTeam = async (team: string, input: string, extra: Record<string, unknown> = {}) => {
    const events = await collectRunEvents(await postJson(`${server.url}/v1/runs`, { team, input, ...extra }));
    assertWellFormedRun(events);
    assertBracketed(events, events.at(-1)?.type === 'run.completed');
    return events;
  };

  it('describes teams with members and mode', async () => {
    const list = (await (await fetch(`${server.url}/v1/teams`)).json()) as { teams: { id: string; mode: string }[] };
    const modes = Object.fromEntries(list.teams.map((team) => [team.id, team.mode]));
    assert.equal(modes.web_team, 'coordinate');
    assert.equal(modes.business_insights, 'round_robin');
    assert.equal(modes.research, 'pipeline');
    const research = (await (await fetch(`${server.url}/v1/teams/research`)).json()) as { members: { id: string; kind: string }[]; stages: { name: string }[] };
    assert.deepEqual(research.members.map((member) => member.id), ['research_planner', 'searcher', 'research_writer']);
    assert.deepEqual(research.stages.map((stage) => stage.name), ['plan', 'search', 'write']);
    assert.equal((await fetch(`${server.url}/v1/teams/none`)).status, 404);
    assert.equal((await postJson(`${server.url}/v1/runs`, { team: 'none', input: 'x' })).status, 404);
  });

  it('route: one member answers, and its answer is the team answer', async () => {
    const events = await runTeam('helpdesk', 'Write a catchy headline and marketing copy for our product');
    const routed = ofType(events, 'team.routed');
    assert.equal(routed.length, 1);
    assert.deepEqual(routed[0].memberIds, ['copywriter']);
    assert.ok(routed[0].reason.length > 0);
    assert.deepEqual(routed[0].agent.path, ['helpdesk']);
    const members = new Set(ofType(events, 'agent.started').map(pathKey));
    assert.deepEqual(members, new Set(['helpdesk', 'helpdesk/copywriter']));
    const memberAnswer = ofType(events, 'agent.completed').find((event) => pathKey(event) === 'helpdesk/copywriter')!.output;
    const teamText = ofType(events, 'message.completed').filter((event) => pathKey(event) === 'helpdesk').map((event) => event.text);
    assert.deepEqual(teamText, [memberAnswer]);
    assert.equal((events.at(-1) as RunEventOf<'run.completed'>).output, memberAnswer);
  });

  it('coordinate: delegates sub-tasks in parallel, then synthesises; usage sums all members', async () => {
    const events = await runTeam('web_team', 'Create a landing page');
    const routed = ofType(events, 'team.routed');
    assert.deepEqual(routed.map((event) => event.memberIds[0]).sort(), ['copywriter', 'designer', 'frontend_developer']);
    assert.ok(routed.every((event) => event.task && event.task.length > 0 && event.mode === 'coordinate'));
    const firstMemberEnd = events.findIndex((event) => event.type === 'agent.completed' && event.agent.path.length === 2);
    const starts = events.filter((event) => event.type === 'agent.started' && event.agent.path.length === 2).map((event) => events.indexOf(event));
    assert.equal(starts.length, 3);
    assert.ok(starts.every((index) => index < firstMemberEnd), 'all three members start before any finishes');
    const synthesis = ofType(events, 'message.completed').filter((event) => pathKey(event) === 'web_team');
    assert.equal(synthesis.length, 1);
    const completed = events.at(-1) as RunEventOf<'run.completed'>;
    assert.equal(completed.output, synthesis[0].text);
    const usageSum = ofType(events, 'usage').reduce((sum, event) => sum + event.usage.totalTokens, 0);
    assert.equal(completed.usage.totalTokens, usageSum, 'run usage is the sum of every step of every member and the orchestrator');
  });

  it('collaborate: every member works at once; wall time is near the slowest member, not the sum', async () => {
    const events = await runTeam('panel', 'Propose a landing page');
    const routed = ofType(events, 'team.routed');
    assert.deepEqual(routed[0].memberIds, ['slow_designer', 'slow_copywriter']);
    const spans = [...memberSpans(events, 'panel').values()];
    assert.equal(spans.length, 2);
    const overlapStart = Math.max(...spans.map((span) => span.start));
    const overlapEnd = Math.min(...spans.map((span) => span.end));
    assert.ok(overlapStart < overlapEnd, 'the two members were running at the same time');
    const wall = Math.max(...spans.map((span) => span.end)) - Math.min(...spans.map((span) => span.start));
    const sum = spans.reduce((total, span) => total + (span.end - span.start), 0);
    assert.ok(wall < sum * 0.8, `wall ${wall} ms is well under the sum ${sum} ms`);
    // Interleaving: deltas of both members alternate somewhere in the stream.
    const deltaOwners = ofType(events, 'message.delta').filter((event) => event.agent.path.length === 2).map(pathKey);
    const switches = deltaOwners.filter((owner, index) => index > 0 && owner !== deltaOwners[index - 1]).length;
    assert.ok(switches >= 2, 'parallel members interleave in one stream');
  });

  it('round_robin: stops at the stop phrase with progress to 100%', async () => {
    const events = await runTeam('business_insights', 'Generate a monthly business report for our sales performance');
    const speakers = ofType(events, 'team.routed').map((event) => event.memberIds[0]);
    assert.deepEqual(speakers, ['planning_agent', 'data_analyst', 'report_writer']);
    const sales = ofType(events, 'tool.completed').filter((event) => event.toolName === 'sales_data');
    assert.ok(sales.length >= 1, 'the data analyst really queried sales_data');
    assert.deepEqual(sales[0].agent.path, ['business_insights', 'data_analyst']);
    const progress = ofType(events, 'progress').map((event) => event.percent);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
    assert.equal(progress.at(-1), 100);
    const answer = (events.at(-1) as RunEventOf<'run.completed'>).output;
    assert.ok(!answer.includes('TERMINATE'), 'the stop phrase is not part of the answer');
  });

  it('round_robin: stops at max messages when nobody says the stop phrase', async () => {
    const events = await runTeam('chatter', 'Let us talk about colors');
    const turns = ofType(events, 'team.routed');
    assert.equal(turns.length, 5);
    assert.deepEqual(turns.map((event) => event.memberIds[0]), ['chat', 'designer', 'chat', 'designer', 'chat']);
    const keys = ofType(events, 'agent.started').filter((event) => event.agent.path.length === 2).map((event) => event.agent.path[1]);
    assert.deepEqual(keys, ['chat', 'designer', 'chat#2', 'designer#2', 'chat#3'], 'each turn has its own distinguishable path');
    assert.equal(ofType(events, 'progress').at(-1)?.percent, 100);
  });

  it('pipeline: planner, then parallel searchers over the plan, then the writer', async () => {
    const events = await runTeam('research', 'What is the state of renewable energy?');
    const stages = ofType(events, 'team.routed').map((event) => event.memberIds);
    assert.equal(stages.length, 3);
    assert.deepEqual(stages[0], ['research_planner']);
    assert.ok(stages[1].length >= 2 && stages[1].every((key, index) => key === `searcher#${index + 1}`), `fan-out: ${stages[1]}`);
    assert.deepEqual(stages[2], ['research_writer']);
    const plan = ofType(events, 'tool.completed').find((event) => event.toolName === 'submit_plan');
    assert.ok(plan, 'the planner submitted its plan as a tool call');
    const planned = (plan.result as { items: string[] }).items;
    assert.equal(stages[1].length, planned.length);
    const searchTasks = ofType(events, 'agent.started').filter((event) => event.agent.path[1]?.startsWith('searcher#')).map((event) => event.task);
    assert.deepEqual(searchTasks, planned, 'each searcher got one planned item');
    const index = (predicate: (event: RunEvent) => boolean) => events.findIndex(predicate);
    const plannerDone = index((event) => event.type === 'agent.completed' && pathKey(event) === 'research/research_planner');
    const firstSearcher = index((event) => event.type === 'agent.started' && event.agent.path[1] === 'searcher#1');
    const lastSearcherDone = events.findLastIndex((event) => event.type === 'agent.completed' && event.agent.path[1]?.startsWith('searcher#') === true);
    const writerStart = index((event) => event.type === 'agent.started' && pathKey(event) === 'research/research_writer');
    assert.ok(plannerDone < firstSearcher && lastSearcherDone < writerStart, 'stages run in order');
    const searches = ofType(events, 'tool.completed').filter((event) => event.toolName === 'knowledge_search');
    assert.ok(searches.length >= 1, 'searchers really searched');
    assert.deepEqual(ofType(events, 'progress').map((event) => event.percent), [33, 67, 100]);
  });

  it('a failing member is reported and the team goes on (default policy)', async () => {
    const events = await runTeam('fragile', 'Write a tagline');
    const failed = ofType(events, 'agent.completed').find((event) => pathKey(event) === 'fragile/broken_member');
    assert.ok(failed?.error, 'the failing member ends with an error');
    assert.match(failed.error.message, /broken on purpose/);
    assert.equal(events.at(-1)?.type, 'run.completed');
  });

  it('a failing member fails the run when the policy says so', async () => {
    const events = await runTeam('strict', 'Write a tagline');
    const last = events.at(-1);
    assert.ok(last?.type === 'run.failed');
    assert.match(last.error.message, /broken on purpose/);
    const afterFailure = await collectRunEvents(await fetch(`${server.url}/v1/runs/${last.runId}/events`));
    assert.deepEqual(afterFailure.map((event) => event.seq), events.map((event) => event.seq), 'the sibling member emits nothing after the run failed');
  });

  it('nested teams: the inner team streams under the outer path', async () => {
    const events = await runTeam('umbrella', 'Write marketing copy and analyse sales revenue by region');
    const inner = ofType(events, 'agent.started').map((event) => event.agent.path.join('/'));
    assert.ok(inner.includes('umbrella/helpdesk'), `inner team orchestrator: ${inner}`);
    assert.ok(inner.some((path) => path.startsWith('umbrella/helpdesk/')), 'the inner team member sits under the inner team');
  });

  it('cancel mid-team ends every member and aborts every model call; resume mid-team loses nothing', async () => {
    const before = probe.signals.length;
    const response = await postJson(`${server.url}/v1/runs`, { team: 'panel', input: 'Propose a landing page' });
    const events: RunEvent[] = [];
    let cancel: Promise<Response> | undefined;
    await readSse(response, (frame) => {
      const event = JSON.parse(frame.data) as RunEvent;
      events.push(event);
      const running = new Set(ofType(events, 'message.delta').filter((e) => e.agent.path.length === 2).map(pathKey));
      if (!cancel && running.size === 2) cancel = fetch(`${server.url}/v1/runs/${event.runId}/cancel`, { method: 'POST' });
    });
    assert.equal((await cancel!).status, 200);
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    const calls = probe.signals.slice(before);
    assert.ok(calls.length >= 2);
    assert.ok(calls.every((signal) => signal.aborted), 'every member model call was aborted');

    const full = await runTeam('research', 'Tell me about quantum computing');
    const runId = full[0].runId;
    for (const cut of [1, 5, Math.floor(full.length / 2), full.length - 2]) {
      const rest = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`, { headers: { 'last-event-id': String(cut) } }));
      assert.deepEqual(rest.map((event) => event.seq), full.slice(cut).map((event) => event.seq));
    }
  });
});
