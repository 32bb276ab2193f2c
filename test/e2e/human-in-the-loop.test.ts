import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/events/run-event.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { readLive, startLive } from './support/live-stream.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { defineTool } from '../../src/tools/define-tool.ts';

const awaiting = (event: RunEvent): event is RunEventOf<'run.awaiting_input'> => event.type === 'run.awaiting_input';
const typesOf = (events: RunEvent[]) => events.map((event) => event.type);

async function input(server: TestServer, runId: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await postJson(`${server.url}/v1/runs/${runId}/input`, body);
  return { status: response.status, body: await response.json() };
}

async function getRun(server: TestServer, runId: string): Promise<any> {
  return (await fetch(`${server.url}/v1/runs/${runId}`)).json();
}

/** A gapless stream from run.started to one terminal event, with no event twice. */
function assertOneStream(events: RunEvent[]) {
  assertWellFormedRun(events);
  assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index + 1), 'seq is gapless across the pause');
}

describe('human in the loop: approvals and questions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ inputSweepMs: 20 });
  });
  after(async () => server.close());

  it('pauses at a tool that needs approval, keeps the stream open, and runs the tool once approved', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'What is 12 * 7?' });
    const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
    assert.equal(pause.pending.length, 1);
    const [pending] = pause.pending;
    assert.deepEqual([pending.kind, pending.toolName, pending.args], ['approval', 'calculator', { expression: '12 * 7' }]);
    assert.deepEqual(pending.agent.path, []);
    assert.ok(pause.expiresAt && Date.parse(pause.expiresAt) > Date.now(), 'the pause says when it expires');
    assert.ok(!live.events.some((event) => event.type === 'tool.started'), 'the tool has not started');
    assert.equal((await getRun(server, pause.runId)).status, 'awaiting_input');

    const answer = await input(server, pause.runId, { decisions: [{ toolCallId: pending.toolCallId, decision: 'approve' }] });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual([answer.body.status, answer.body.pending], ['queued', []]);
    const events = await live.ended;
    assertOneStream(events);
    assert.ok(!typesOf(events).includes('run.resumed'), 'a pause is not a lost worker');
    const completed = events.find((event) => event.type === 'tool.completed') as RunEventOf<'tool.completed'>;
    assert.deepEqual([completed.toolName, completed.result], ['calculator', { expression: '12 * 7', result: 84 }]);
    assert.equal(events.filter((event) => event.type === 'tool.started').length, 1);
    const end = events.at(-1) as RunEventOf<'run.completed'>;
    assert.equal(end.type, 'run.completed');
    assert.match(end.output, /84/);
    const received = events.find((event) => event.type === 'input.received') as RunEventOf<'input.received'>;
    assert.deepEqual(received.decisions.map((decision) => decision.decision), ['approve']);
  });

  it('runs an edited call with the new arguments, and answers a rejected one with the reason', async () => {
    const edited = await startLive(server.url, { agent: 'supervised', input: 'What is 12 * 7?' });
    const first = (await edited.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>).pending[0];
    const editAnswer = await input(server, edited.events[0].runId, { decisions: [{ toolCallId: first.toolCallId, decision: 'edit', args: { expression: '2 + 3' } }] });
    assert.equal(editAnswer.status, 200);
    const editedEvents = await edited.ended;
    const started = editedEvents.find((event) => event.type === 'tool.started') as RunEventOf<'tool.started'>;
    assert.deepEqual(started.args, { expression: '2 + 3' });
    assert.deepEqual((editedEvents.find((event) => event.type === 'tool.completed') as RunEventOf<'tool.completed'>).result, { expression: '2 + 3', result: 5 });

    const rejected = await startLive(server.url, { agent: 'supervised', input: 'What is 12 * 7?' });
    const call = (await rejected.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>).pending[0];
    const rejectAnswer = await input(server, rejected.events[0].runId, { decisions: [{ toolCallId: call.toolCallId, decision: 'reject', reason: 'do it by hand' }] });
    assert.equal(rejectAnswer.status, 200);
    const rejectedEvents = await rejected.ended;
    assertOneStream(rejectedEvents);
    const failed = rejectedEvents.find((event) => event.type === 'tool.failed') as RunEventOf<'tool.failed'>;
    assert.equal(failed.error.code, 'tool_rejected');
    assert.match(failed.error.message, /do it by hand/);
    assert.ok(!rejectedEvents.some((event) => event.type === 'tool.completed'), 'a rejected tool never runs');
    assert.equal(rejectedEvents.at(-1)!.type, 'run.completed', 'the model goes on after a rejection');
  });

  it('asks the user a question and answers with their text', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'Ask me: which colour do you like?' });
    const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
    const [question] = pause.pending;
    assert.deepEqual([question.kind, question.toolName, question.question], ['question', 'ask_user', 'which colour do you like?']);
    const wrongKind = await input(server, pause.runId, { decisions: [{ toolCallId: question.toolCallId, decision: 'approve' }] });
    assert.deepEqual([wrongKind.status, wrongKind.body.error.code], [422, 'unknown_tool_call']);
    const answer = await input(server, pause.runId, { answers: [{ toolCallId: question.toolCallId, text: 'Teal, mostly.' }] });
    assert.equal(answer.status, 200);
    const events = await live.ended;
    assertOneStream(events);
    assert.deepEqual((events.find((event) => event.type === 'tool.completed') as RunEventOf<'tool.completed'>).result, { answer: 'Teal, mostly.' });
    assert.match((events.at(-1) as RunEventOf<'run.completed'>).output, /Teal/);
  });

  it('keeps the rest pending after a partial decision, and resumes once all are decided', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'What is 2 + 2, and what time is it in UTC?' });
    const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
    assert.deepEqual(pause.pending.map((item) => item.toolName).sort(), ['calculator', 'clock'], 'calls of one step are asked together');
    const [one, two] = pause.pending;
    const partial = await input(server, pause.runId, { decisions: [{ toolCallId: one.toolCallId, decision: 'approve' }] });
    assert.deepEqual([partial.status, partial.body.status, partial.body.pending.map((item: any) => item.toolCallId)], [200, 'awaiting_input', [two.toolCallId]]);
    assert.equal((await getRun(server, pause.runId)).status, 'awaiting_input');
    const again = await input(server, pause.runId, { decisions: [{ toolCallId: one.toolCallId, decision: 'approve' }] });
    assert.deepEqual([again.status, again.body.error.code], [422, 'unknown_tool_call'], 'a decided call is not pending any more');
    const rest = await input(server, pause.runId, { decisions: [{ toolCallId: two.toolCallId, decision: 'reject' }] });
    assert.equal(rest.body.status, 'queued');
    const events = await live.ended;
    assertOneStream(events);
    assert.equal(events.filter((event) => event.type === 'input.received').length, 2);
    assert.deepEqual(events.filter((event) => event.type === 'tool.completed').map((event) => (event as RunEventOf<'tool.completed'>).toolName), [one.toolName]);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'What is 6 * 7?' });
    const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
    const before = await getRun(server, pause.runId);
    const cases: [unknown, number, string][] = [
      [{ decisions: [{ toolCallId: 'call_nope', decision: 'approve' }] }, 422, 'unknown_tool_call'],
      [{ decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'maybe' }] }, 422, 'validation_failed'],
      [{ decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'edit' }] }, 422, 'validation_failed'],
      [{ decisions: [] }, 422, 'validation_failed'],
      [{ surprise: true }, 422, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await input(server, pause.runId, body);
      assert.deepEqual([answer.status, answer.body.error?.code], [status, code], JSON.stringify(body));
    }
    const garbage = await fetch(`${server.url}/v1/runs/${pause.runId}/input`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"decisions": [' });
    assert.equal(garbage.status, 400);
    const unknownRun = await input(server, 'run_missing', { decisions: [{ toolCallId: 'x', decision: 'approve' }] });
    assert.deepEqual([unknownRun.status, unknownRun.body.error.code], [404, 'run_not_found']);
    assert.deepEqual(await getRun(server, pause.runId), before, 'nothing changed');
    // Exactly one of two simultaneous decisions wins; the other changes nothing.
    const decision = { decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'approve' }] };
    const both = await Promise.all([input(server, pause.runId, decision), input(server, pause.runId, decision)]);
    assert.deepEqual(both.map((answer) => answer.status).sort(), [200, 409], JSON.stringify(both.map((answer) => answer.body)));
    assert.ok(['input_conflict', 'run_not_awaiting_input'].includes(both.find((answer) => answer.status === 409)!.body.error.code));
    const events = await live.ended;
    assertOneStream(events);
    assert.equal(events.filter((event) => event.type === 'input.received').length, 1);
    assert.equal(events.filter((event) => event.type === 'tool.started').length, 1);
    const late = await input(server, pause.runId, decision);
    assert.deepEqual([late.status, late.body.error.code, late.body.error.details.status], [409, 'run_not_awaiting_input', 'completed']);
  });

  it('fails a paused run nobody answers with input_timeout', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'What is 1 + 1?', inputTimeoutMs: 1 });
    const events = await live.ended;
    assert.deepEqual(typesOf(events).slice(-2), ['run.awaiting_input', 'run.failed']);
    assert.equal((events.at(-1) as RunEventOf<'run.failed'>).error.code, 'input_timeout');
    assert.equal((await getRun(server, events[0].runId)).status, 'failed');
  });

  it('cancels a paused run', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'What is 3 + 3?' });
    const pause = await live.waitFor(awaiting);
    const cancel = await postJson(`${server.url}/v1/runs/${pause.runId}/cancel`, {});
    assert.equal(cancel.status, 200);
    assert.equal((await cancel.json()).status, 'cancelled');
    assert.equal((await live.ended).at(-1)!.type, 'run.cancelled');
  });

  it('answers stream:false at the pause with the pending calls, and a background run pauses the same way', async () => {
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'supervised', input: 'What is 9 * 9?', stream: false });
    const summary = await response.json();
    assert.equal(summary.status, 'awaiting_input');
    assert.equal(summary.pending[0].toolName, 'calculator');
    await input(server, summary.runId, { decisions: [{ toolCallId: summary.pending[0].toolCallId, decision: 'approve' }] });
    const follow = await fetch(`${server.url}/v1/runs/${summary.runId}/events`);
    const events = await readLive(follow).ended;
    assert.match((events.at(-1) as RunEventOf<'run.completed'>).output, /81/);
  });

  it('a follower that leaves during the pause comes back with Last-Event-ID and sees the rest once', async () => {
    const live = await startLive(server.url, { agent: 'supervised', input: 'What is 5 * 5?' });
    const pause = await live.waitFor(awaiting);
    live.close();
    await input(server, pause.runId, { decisions: [{ toolCallId: (pause as RunEventOf<'run.awaiting_input'>).pending[0].toolCallId, decision: 'approve' }] });
    const resumed = await fetch(`${server.url}/v1/runs/${pause.runId}/events`, { headers: { 'last-event-id': String(pause.seq) } });
    const rest = await readLive(resumed).ended;
    assert.equal(rest[0].seq, pause.seq + 1);
    assert.equal(rest[0].type, 'input.received');
    assert.equal(rest.at(-1)!.type, 'run.completed');
  });
});

describe('human in the loop: a pause survives a restart', () => {
  it('resumes a paused run in the next server on the same data directory', async () => {
    const first = await startTestServer();
    const live = await startLive(first.url, { agent: 'supervised', input: 'What is 4 * 11?' });
    const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
    live.close();
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      assert.equal((await getRun(second, pause.runId)).status, 'awaiting_input', 'still paused after the restart');
      const answer = await input(second, pause.runId, { decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'approve' }] });
      assert.equal(answer.status, 200);
      const events = await readLive(await fetch(`${second.url}/v1/runs/${pause.runId}/events`)).ended;
      assertOneStream(events);
      assert.match((events.at(-1) as RunEventOf<'run.completed'>).output, /44/);
    } finally {
      await second.close();
    }
  });
});

describe('human in the loop: a member of a team', () => {
  it('pauses the team run with the member\'s path; after input only that member goes on', async () => {
    // Stage one runs chat and supervised in parallel: supervised pauses, chat finishes and must not run again.
    const server = await startTestServer({}, {
      app: {
        teams: [{
          id: 'checked_pipeline', mode: 'pipeline', members: ['chat', 'supervised'],
          stages: [{ name: 'work', members: ['chat', 'supervised'] }, { name: 'final', members: ['chat'] }],
        }],
      },
    });
    try {
      const live = await startLive(server.url, { team: 'checked_pipeline', input: 'What is 12 * 7?' });
      const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
      assert.deepEqual(pause.pending[0].agent.path, ['checked_pipeline', 'supervised']);
      assert.equal(pause.pending[0].agent.role, 'member');
      await input(server, pause.runId, { decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'approve' }] });
      const events = await live.ended;
      assertOneStream(events);
      const starts = (id: string) => events.filter((event) => event.type === 'agent.started' && event.agent.id === id).length;
      assert.equal(starts('chat'), 2, 'chat ran once per stage: its first stage, finished before the pause, did not run again');
      assert.equal(starts('supervised'), 1);
      // The leader does not re-route after the answer (agno #7697): one routing per stage, the first before the pause.
      assert.deepEqual(events.filter((event) => event.type === 'team.routed').map((event) => (event as RunEventOf<'team.routed'>).reason.split(':')[0]), ['Stage 1 of 2', 'Stage 2 of 2']);
      // The member's pause is in the team stream with its path (agno #7695), and the stream stayed open through it.
      assert.equal(events.filter((event) => event.type === 'run.awaiting_input').length, 1);
      assert.equal(events.at(-1)!.type, 'run.completed');
      assert.equal(events.filter((event) => event.type === 'tool.completed').length, 1);
    } finally {
      await server.close();
    }
  });
});

describe('human in the loop: code tools and per-run approval', () => {
  it('a code tool defined with requireApproval waits for approval; a run\'s requireApproval adds tools of any agent', async () => {
    let calls = 0;
    const reverse = defineTool({
      name: 'reverse_text', description: 'Reverses a text', requireApproval: true,
      inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      execute: async ({ text }) => {
        calls += 1;
        return [...String(text)].reverse().join('');
      },
    });
    const server = await startTestServer({}, { app: { tools: [reverse], agents: [{ id: 'reverser', instructions: 'Reverse what you are given.', tools: ['reverse_text'] }] } });
    try {
      const live = await startLive(server.url, { agent: 'reverser', input: 'Please use reverse_text: stressed' });
      const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
      assert.deepEqual([pause.pending[0].toolName, pause.pending[0].args], ['reverse_text', { text: 'stressed' }]);
      assert.equal(calls, 0, 'nothing ran before the approval');
      await input(server, pause.runId, { decisions: [{ toolCallId: pause.pending[0].toolCallId, decision: 'approve' }] });
      const events = await live.ended;
      assert.equal((events.find((event) => event.type === 'tool.completed') as RunEventOf<'tool.completed'>).result, 'desserts');
      assert.equal(calls, 1);

      // The assistant needs no approval of its own; this run asks for one on the calculator.
      const asked = await startLive(server.url, { agent: 'assistant', input: 'What is 2 + 9?', requireApproval: ['calculator'] });
      const second = await asked.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
      assert.equal(second.pending[0].toolName, 'calculator');
      await input(server, second.runId, { decisions: [{ toolCallId: second.pending[0].toolCallId, decision: 'approve' }] });
      assert.equal((await asked.ended).at(-1)!.type, 'run.completed');
      const unasked = await startLive(server.url, { agent: 'assistant', input: 'What is 2 + 9?' });
      assert.ok(!(await unasked.ended).some((event) => event.type === 'run.awaiting_input'), 'without it the same run does not pause');
    } finally {
      await server.close();
    }
  });
});

describe('human in the loop: parallel members of a built-in team', () => {
  it('fan-out members that call an approval tool at once pause the team together; approving all finishes the team, planner never re-run', async () => {
    const server = await startTestServer();
    try {
      const live = await startLive(server.url, { team: 'research', input: 'AI trends in 2024', requireApproval: ['knowledge_search'] });
      const pause = await live.waitFor(awaiting) as RunEventOf<'run.awaiting_input'>;
      assert.ok(pause.pending.length >= 2, `parallel searchers ask together (${pause.pending.length})`);
      assert.equal(new Set(pause.pending.map((item) => item.agent.path.join('/'))).size, pause.pending.length, 'one call per searcher, each naming its member');
      assert.ok(pause.pending.every((item) => item.toolName === 'knowledge_search' && item.agent.id === 'searcher'));
      let current: RunEventOf<'run.awaiting_input'> | RunEventOf<'input.received'> = pause;
      // Approve until nothing is pending (a member's next step may ask again).
      while (current.pending.length > 0) {
        const seen = live.events.length;
        const answer = await input(server, pause.runId, { decisions: current.pending.map((item) => ({ toolCallId: item.toolCallId, decision: 'approve' })) });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        const next = await live.waitFor((event) => live.events.indexOf(event) >= seen && (event.type === 'run.awaiting_input' || event.type === 'run.completed' || event.type === 'run.failed'));
        if (next.type !== 'run.awaiting_input') break;
        current = next as RunEventOf<'run.awaiting_input'>;
      }
      const events = await live.ended;
      assertOneStream(events);
      assert.equal(events.at(-1)!.type, 'run.completed');
      assert.equal(events.filter((event) => event.type === 'agent.started' && event.agent.id === 'research_planner').length, 1, 'the planner ran once');
      assert.equal(events.filter((event) => event.type === 'agent.started' && event.agent.id === 'research_writer').length, 1);
      const started = events.filter((event) => event.type === 'tool.started' && (event as RunEventOf<'tool.started'>).toolName === 'knowledge_search').map((event) => `${event.agent.path.join('/')}|${(event as RunEventOf<'tool.started'>).toolCallId}`);
      assert.equal(new Set(started).size, started.length, 'no search ran twice');
    } finally {
      await server.close();
    }
  });
});

describe('human in the loop: a paused run holds its session', () => {
  it('a new message is refused while it waits (reject), waits behind it (enqueue), and runs once the paused run ends', async () => {
    const server = await startTestServer();
    try {
      const sessionId = `ses_paused_${Date.now()}`;
      const live = await startLive(server.url, { agent: 'supervised', input: 'What is 12 * 7?', sessionId });
      const pause = await live.waitFor(awaiting);
      const refused = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'hello?', sessionId, stream: false });
      const refusal = await refused.json();
      assert.deepEqual([refused.status, refusal.error.code, refusal.error.details.runId], [409, 'session_busy', pause.runId]);
      const queued = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'after that', sessionId, multitask: 'enqueue', background: true });
      assert.equal(queued.status, 202);
      const waitingId = (await queued.json()).runId as string;
      assert.equal((await getRun(server, waitingId)).status, 'queued');
      // The paused run ends (cancelled while waiting): the session passes to the waiting run, which runs.
      assert.equal((await postJson(`${server.url}/v1/runs/${pause.runId}/cancel`, {})).status, 200);
      assert.equal((await live.ended).at(-1)!.type, 'run.cancelled');
      const after = await readLive(await fetch(`${server.url}/v1/runs/${waitingId}/events`)).ended;
      assert.equal(after.at(-1)!.type, 'run.completed');
    } finally {
      await server.close();
    }
  });
});
