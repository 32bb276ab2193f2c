import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/events/run-event.ts';
import { readSse } from '../../client/read-sse.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { assertResumedToCompletion } from './support/assert-run.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { ExecutionPool } from '../../src/runs/execution-pool.ts';
import { applyEvents } from '../../client/apply-event.ts';
import { emptyRunView } from '../../client/run-view.ts';

/** Opens a stream, reads it until `stop` says so, then drops the connection. Returns what it saw. */
async function readUntil(url: string, init: RequestInit, stop: (event: RunEvent) => boolean): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal });
  await readSse(response, (frame) => {
    const event = JSON.parse(frame.data) as RunEvent;
    seen.push(event);
    if (stop(event)) controller.abort();
  }).catch((error) => {
    if (!controller.signal.aborted) throw error;
  });
  return seen;
}

const startRun = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function waitForStatus(url: string, runId: string, statuses: string[]): Promise<{ status: string; error?: { code: string } }> {
  // Follow the run's own event stream to its end instead of polling: the terminal event is the signal.
  await collectRunEvents(await fetch(`${url}/v1/runs/${runId}/events`));
  const run = (await (await fetch(`${url}/v1/runs/${runId}`)).json()) as { status: string; error?: { code: string } };
  assert.ok(statuses.includes(run.status), `status ${run.status} is one of ${statuses}`);
  return run;
}

describe('runs under faults', () => {
  let server: TestServer;
  const probe = createProbeProvider(20);
  before(async () => {
    server = await startTestServer({ maxConcurrentRuns: 3 }, { providers: [probe.provider] });
  });
  after(() => server.close());

  it('cancels mid-stream: the model call is aborted and the stream ends with run.cancelled', async () => {
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Tell me a long story', model: 'probe:slow' });
    const events: RunEvent[] = [];
    let cancelled: Promise<Response> | undefined;
    await readSse(response, (frame) => {
      const event = JSON.parse(frame.data) as RunEvent;
      events.push(event);
      if (event.type === 'message.delta' && !cancelled) cancelled = fetch(`${server.url}/v1/runs/${event.runId}/cancel`, { method: 'POST' });
    });
    const cancelResponse = await cancelled!;
    assert.equal(cancelResponse.status, 200);
    assert.equal(((await cancelResponse.json()) as { status: string }).status, 'cancelled');
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    assert.ok(probe.signals.at(-1)?.aborted, "the model's AbortSignal fired");
    const again = await fetch(`${server.url}/v1/runs/${events[0].runId}/cancel`, { method: 'POST' });
    assert.equal(again.status, 409);
  });

  it('onDisconnect: cancel ends the run when the client drops; continue lets it finish and resume', async () => {
    const cancelRun = await readUntil(`${server.url}/v1/runs`, startRun({ agent: 'chat', input: 'Talk slowly', model: 'probe:slow', onDisconnect: 'cancel' }), (event) => event.type === 'message.delta');
    const cancelled = await waitForStatus(server.url, cancelRun[0].runId, ['cancelled']);
    assert.equal(cancelled.status, 'cancelled');

    const seen = await readUntil(`${server.url}/v1/runs`, startRun({ agent: 'chat', input: 'Talk slowly', model: 'probe:slow' }), (event) => event.type === 'message.delta');
    const lastSeq = seen.at(-1)!.seq;
    const rest = await collectRunEvents(await fetch(`${server.url}/v1/runs/${seen[0].runId}/events`, { headers: { 'last-event-id': String(lastSeq) } }));
    const all = [...seen, ...rest];
    all.forEach((event, index) => assert.equal(event.seq, index + 1, 'dropped and resumed: every event exactly once'));
    assert.equal(all.at(-1)?.type, 'run.completed');
  });

  it('a reader that drops repeatedly and resumes sees every event once, in order', async () => {
    const first = await readUntil(`${server.url}/v1/runs`, startRun({ agent: 'assistant', input: 'what is retrieval-augmented generation', model: 'probe:slow' }), (event) => event.seq >= 3);
    const runId = first[0].runId;
    const all = [...first];
    while (all.at(-1)!.type !== 'run.completed') {
      const target = all.at(-1)!.seq + 7;
      all.push(...(await readUntil(`${server.url}/v1/runs/${runId}/events`, { headers: { 'last-event-id': String(all.at(-1)!.seq) } }, (event) => event.seq >= target || event.type === 'run.completed')));
    }
    all.forEach((event, index) => assert.equal(event.seq, index + 1));
  });

  it('ends a run that exceeds its time limit with run.failed code timeout', async () => {
    const events = await collectRunEvents(await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Take your time', model: 'probe:slow', timeoutMs: 150 }));
    const last = events.at(-1);
    assert.ok(last?.type === 'run.failed');
    assert.equal(last.error.code, 'timeout');
  });

  it('refuses runs over the concurrency limit with 429 and Retry-After', async () => {
    const started = await Promise.all([1, 2, 3].map(() => postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Keep busy', model: 'probe:slow', background: true })));
    assert.deepEqual(started.map((response) => response.status), [202, 202, 202]);
    const refused = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'One too many', model: 'probe:slow' });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'too_many_runs');
    await Promise.all(started.map(async (response) => {
      const { runId } = (await response.json()) as { runId: string };
      await fetch(`${server.url}/v1/runs/${runId}/cancel`, { method: 'POST' });
    }));
  });

  it('rejects bad input with the right 4xx JSON and keeps serving', async () => {
    const raw = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(`${server.url}/v1/runs`, { method: 'POST', headers, body });
    const cases: [Promise<Response>, number, string][] = [
      [raw('{"agent": "chat", "input": '), 400, 'malformed_json'],
      [raw(''), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 42 }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat' }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', team: 'research', input: 'x' }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'x', onDisconnect: 'explode' }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'nul \u0000 inside' }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'x', sessionId: 'ses_\u0000' }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'x', metadata: { note: ['\u0000'] } }), 422, 'validation_failed'],
      [postJson(`${server.url}/v1/runs`, { agent: 'nobody', input: 'x' }), 404, 'agent_not_found'],
      [postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'x', model: 'nowhere:model' }), 404, 'model_not_found'],
      [raw(JSON.stringify({ agent: 'chat', input: 'x'.repeat(2_000_000) })), 413, 'body_too_large'],
      [raw('agent=chat', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
      [fetch(`${server.url}/v1/runs/run_missing/events`), 404, 'run_not_found'],
      [fetch(`${server.url}/v1/runs/run_missing`), 404, 'run_not_found'],
      [fetch(`${server.url}/v1/runs?status=sideways`), 422, 'validation_failed'],
      [fetch(`${server.url}/v1/nothing-here`), 404, 'not_found'],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(response.status, status, `${code}: ${body.error?.message}`);
      assert.equal(body.error.code, code);
      assert.ok(body.error.message.length > 0);
    }
    const wrongTypes = (await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 42 })).json()) as { error: { details: { fields: { field: string }[] } } };
    assert.equal(wrongTypes.error.details.fields[0].field, 'input');
    const withNul = (await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'a\u0000b' })).json()) as { error: { details: { fields: { field: string; message: string }[] } } };
    assert.deepEqual(withNul.error.details.fields, [{ field: 'input', message: 'must not contain NUL (U+0000) characters' }]);

    const events = await collectRunEvents(await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'still here?' }));
    const runId = events[0].runId;
    for (const bad of ['abc', '-1', '1.5', '99999999999999999999']) {
      const response = await fetch(`${server.url}/v1/runs/${runId}/events`, { headers: { 'last-event-id': bad } });
      assert.equal(response.status, 400, `Last-Event-ID ${bad}`);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_last_event_id');
    }
    assert.equal(events.at(-1)?.type, 'run.completed');

    // A seq the run has not reached is refused while it runs too, rather than followed until nothing ever comes.
    const running = (await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Talk slowly', model: 'probe:slow', background: true })).json()) as { runId: string };
    const ahead = await fetch(`${server.url}/v1/runs/${running.runId}/events`, { headers: { 'last-event-id': '999' } });
    assert.equal(ahead.status, 400);
    const aheadBody = (await ahead.json()) as { error: { code: string; details: { lastSeq: number } } };
    assert.equal(aheadBody.error.code, 'invalid_last_event_id');
    assert.ok(aheadBody.error.details.lastSeq < 999);
    await fetch(`${server.url}/v1/runs/${running.runId}/cancel`, { method: 'POST' });
  });

  it('survives a client that sends half a request and hangs up', async () => {
    const { port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/runs', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.write('{"agent": "chat", "inp');
      setImmediate(() => {
        request.destroy();
        resolve();
      });
    });
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });
});

describe('attempts and resume', () => {
  const supersedeMidRun = async (server: TestServer, runId: string, when: (event: RunEvent, seen: RunEvent[]) => boolean, pool: ExecutionPool) => {
    const seen: RunEvent[] = [];
    let taken: Promise<string> | undefined;
    const unsubscribe = server.server.bus.subscribe(runId, (event) => {
      seen.push(event);
      // A second worker claims the run while the first is still executing it: the first is "presumed dead".
      if (!taken && when(event, seen)) taken = pool.execute({ runId, attempt: 2 });
    });
    const first = await server.server.pool!.execute({ runId, attempt: 1 });
    const second = await taken;
    unsubscribe();
    return { first, second };
  };

  it('a newer attempt takes the run over mid-step: completed steps and tool results are kept, the old attempt writes nothing more', async () => {
    const probe = createProbeProvider(5);
    const server = await startTestServer({}, { providers: [probe.provider] });
    try {
      const response = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 12 * (3 + 4)? Then tell me a long story about it', model: 'probe:slow', background: true });
      const { runId } = (await response.json()) as { runId: string };
      const second = new ExecutionPool({ store: server.server.store, bus: server.server.bus, catalog: server.server.catalog, defaultTimeoutMs: 60_000, log: () => {} });
      // Taken over in the middle of the answer: after the calculator ran, while step 2 streams.
      const outcomes = await supersedeMidRun(server, runId, (event, seen) => event.type === 'message.delta' && seen.some((earlier) => earlier.type === 'tool.completed') && seen.filter((earlier) => earlier.type === 'message.delta').length === 5, second);
      assert.deepEqual(outcomes, { first: 'superseded', second: 'ended' });
      const events = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
      events.forEach((event, index) => assert.equal(event.seq, index + 1, 'gapless'));
      assert.equal(events.filter((event) => event.type === 'run.completed').length, 1);
      assert.equal(events.at(-1)!.type, 'run.completed');
      const resumed = events.find((event) => event.type === 'run.resumed');
      assert.ok(resumed?.type === 'run.resumed' && resumed.attempt === 2);
      const cut = events.filter((event) => event.seq < resumed.seq && event.type === 'message.delta').map((event) => event.type === 'message.delta' ? event.messageId : '');
      assert.ok(cut.length > 0 && cut.every((id) => resumed.discardedMessageIds.includes(id)), "the cut-off step's message is retracted");
      assert.ok(!events.some((event) => event.seq > resumed.seq && event.type === 'message.delta' && resumed.discardedMessageIds.includes(event.messageId)), 'and not continued');
      assert.equal(events.filter((event) => event.type === 'tool.completed').length, 1, 'the calculator ran once');
      // Step 1 (the tool call) was not asked again: step 1, the cut-off step 2, and step 2 again.
      assert.equal(probe.signals.length, 3);
      const last = events.at(-1)!;
      assert.equal(applyEvents(emptyRunView(), events).answer, last.type === 'run.completed' ? last.output : undefined);
      assert.equal((await (await fetch(`${server.url}/v1/runs/${runId}`)).json() as { attempt: number }).attempt, 2);
    } finally {
      await server.close();
    }
  });

  it('a team resumed mid-pipeline keeps its plan and finished members: the same searchers, the same answer as an uninterrupted run', async () => {
    const probe = createProbeProvider(2);
    const server = await startTestServer({}, { providers: [probe.provider] });
    try {
      const body = { team: 'research', input: 'AI trends in 2024', model: 'probe:slow' };
      const clean = await collectRunEvents(await postJson(`${server.url}/v1/runs`, body));
      const { runId } = (await (await postJson(`${server.url}/v1/runs`, { ...body, background: true })).json()) as { runId: string };
      const second = new ExecutionPool({ store: server.server.store, bus: server.server.bus, catalog: server.server.catalog, defaultTimeoutMs: 60_000, log: () => {} });
      // Taken over once the planner has finished and the first searcher has begun.
      const outcomes = await supersedeMidRun(server, runId, (event) => event.type === 'agent.started' && event.agent.path.at(-1) === 'searcher#1', second);
      assert.deepEqual(outcomes, { first: 'superseded', second: 'ended' });
      const resumed = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
      assertResumedToCompletion(resumed, 'research');
      const lanes = (events: RunEvent[]) => [...new Set(events.filter((event) => event.type === 'agent.started').map((event) => event.agent.path.join('/')))].sort();
      assert.deepEqual(lanes(resumed), lanes(clean), 'the same members ran');
      const answer = (events: RunEvent[]) => { const last = events.at(-1)!; return last.type === 'run.completed' ? last.output : undefined; };
      assert.equal(answer(resumed), answer(clean), 'the same answer');
      const completions = (events: RunEvent[]) => events.filter((event) => event.type === 'agent.completed').map((event) => event.agent.path.join('/')).sort();
      assert.deepEqual(completions(resumed), completions(clean), 'every member finished once: none ran twice');
    } finally {
      await server.close();
    }
  });

  it('a run started more often than its maximum attempts ends run.failed worker_lost, and its followers get the end', async () => {
    const probe = createProbeProvider(5);
    const server = await startTestServer({ maxRunAttempts: 1 }, { providers: [probe.provider] });
    try {
      const { runId } = (await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Tell me a long story', model: 'probe:slow', background: true })).json()) as { runId: string };
      const follower = collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
      const second = new ExecutionPool({ store: server.server.store, bus: server.server.bus, catalog: server.server.catalog, defaultTimeoutMs: 60_000, maxAttempts: 1, log: () => {} });
      await supersedeMidRun(server, runId, (event) => event.type === 'message.delta', second);
      const events = await follower;
      const last = events.at(-1)!;
      assert.ok(last.type === 'run.failed' && last.error.code === 'worker_lost', JSON.stringify(last));
      events.forEach((event, index) => assert.equal(event.seq, index + 1));
    } finally {
      await server.close();
    }
  });

  it('ten starts in one tick with a cap of 3: three are admitted, seven refused at once', async () => {
    const server = await startTestServer({ maxConcurrentRuns: 3, demoTokenDelayMs: 20 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => server.server.runs.start({ target: { kind: 'agent', id: 'chat' }, input: `story ${index}` })));
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 3);
      for (const result of results) if (result.status === 'rejected') assert.equal((result.reason as { code: string }).code, 'too_many_runs');
      // An HTTP burst too: never more than the cap in flight.
      const burst = await Promise.all(Array.from({ length: 20 }, () => postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'burst', background: true })));
      assert.equal(burst.filter((response) => response.status === 202).length, 0, 'the three slots are still taken');
      assert.ok(burst.every((response) => response.status === 429));
    } finally {
      await server.close();
    }
  });
});
