import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentstreamClient } from '../../client/index.ts';
import { readSse } from '../../client/read-sse.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createGatedProvider } from './support/gated-provider.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { randomBytes } from 'node:crypto';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import type { ServerConfig } from '../../src/config/server-config.ts';
import type { ModelProvider } from '../../src/models/model-registry.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';

type Json = Record<string, any>;
type SessionFrame = { id: string; event: string; data: RunEvent };

const KEY_A = 'key-of-tenant-a-0123456789';
const KEY_B = 'key-of-tenant-b-0123456789';

function writeConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sessions-config-')), 'agentstream.config.json');
  writeFileSync(file, JSON.stringify({ agents: [{ id: 'queued_chat', name: 'Queued chat', description: 'Enqueues double texts.', model: 'gate:hold', multitask: 'enqueue' }] }));
  return file;
}

/** A helper bound to one server (and optionally one key). */
function client(server: () => TestServer, key?: string) {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const url = (path: string) => `${server().url}${path}`;
  return {
    /** Starts a run in the background: its answer's status and body. */
    async start(body: Json): Promise<{ status: number; body: Json }> {
      const response = await postJson(url('/v1/runs'), { agent: 'chat', background: true, ...body }, headers);
      return { status: response.status, body: (await response.json()) as Json };
    },
    async get(path: string): Promise<{ status: number; body: Json }> {
      const response = await fetch(url(path), { headers });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
    },
    /** The run's whole event list, once it has ended (the run stream ends with the terminal event). */
    async eventsOf(runId: string): Promise<RunEvent[]> {
      return collectRunEvents(await fetch(url(`/v1/runs/${runId}/events`), { headers }));
    },
    /** Reads the run's stream until an event of `type` arrives (it is stored by then), then leaves. */
    async until(runId: string, type: RunEvent['type']): Promise<void> {
      const controller = new AbortController();
      const response = await fetch(url(`/v1/runs/${runId}/events`), { headers, signal: controller.signal });
      await readSse(response, (frame) => {
        if (frame.event === type) controller.abort();
      }).catch((error: unknown) => {
        if (!controller.signal.aborted) throw error;
      });
    },
    /** Opens the session stream and reads frames until `done` says so, then leaves. */
    async sessionStream(sessionId: string, done: (frames: SessionFrame[]) => boolean, lastEventId?: string, onOpen?: () => void): Promise<SessionFrame[]> {
      const controller = new AbortController();
      const response = await fetch(url(`/v1/sessions/${encodeURIComponent(sessionId)}/events`), { headers: { ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
      assert.equal(response.status, 200, `session stream: ${response.status}`);
      onOpen?.();
      const frames: SessionFrame[] = [];
      await readSse(response, (frame) => {
        frames.push({ id: frame.id!, event: frame.event!, data: JSON.parse(frame.data) as RunEvent });
        if (done(frames)) controller.abort();
      }).catch((error: unknown) => {
        if (!controller.signal.aborted) throw error;
      });
      return frames;
    },
  };
}

const isTerminal = (type: string) => type === 'run.completed' || type === 'run.failed' || type === 'run.cancelled';
/** True once the frames hold the terminal event of the run at `sessionSeq`. */
const endedRun = (sessionSeq: number) => (frames: SessionFrame[]) => frames.some((frame) => frame.id.startsWith(`${sessionSeq}:`) && isTerminal(frame.event));

type StartServer = (parts: { providers: ModelProvider[] }, config: Partial<ServerConfig>) => Promise<TestServer>;

/** The suite against a server `start` makes: the embedded shape, and the queue shape (PostgreSQL, BullMQ, Redis). */
function sessionsSuite(name: string, start: StartServer, options: { skip?: string } = {}) {
describe(`sessions: the session stream, the session list and double-texting (${name})`, { timeout: 60_000, skip: options.skip }, () => {
  const gate = createGatedProvider();
  let server: TestServer;
  const api = client(() => server);
  before(async () => {
    server = await start({ providers: [gate.provider] }, { configFile: writeConfig() });
  });
  after(() => server?.close());

  it('streams every run of a session once, in order, to streams opened before, during and after, and resumes across a run boundary', async () => {
    const sessionId = 'ses_stream_1';
    const first = await api.start({ input: 'stream one', model: 'gate:echo', sessionId });
    assert.equal(first.status, 202);
    await api.eventsOf(first.body.runId);

    // Opened before the second run exists: it replays the first and then waits for more.
    let opened!: () => void;
    const beforeOpen = new Promise<void>((resolve) => (opened = resolve));
    const early = api.sessionStream(sessionId, endedRun(3), undefined, opened);
    await beforeOpen;
    const second = await api.start({ input: 'stream two', model: 'gate:hold', sessionId });
    assert.equal(second.status, 202);
    await api.until(second.body.runId, 'message.delta');
    // Opened during the second run.
    let openedDuring!: () => void;
    const duringOpen = new Promise<void>((resolve) => (openedDuring = resolve));
    const during = api.sessionStream(sessionId, endedRun(3), undefined, openedDuring);
    await duringOpen;
    gate.release('stream two');
    await api.eventsOf(second.body.runId);
    const third = await api.start({ input: 'stream three', model: 'gate:echo', sessionId });
    assert.equal(third.status, 202, JSON.stringify(third.body));
    const thirdEvents = await api.eventsOf(third.body.runId);
    // Opened after every run.
    const late = await api.sessionStream(sessionId, endedRun(3));

    const expected = [
      ...(await api.eventsOf(first.body.runId)).map((event) => ({ id: `1:${event.seq}`, event })),
      ...(await api.eventsOf(second.body.runId)).map((event) => ({ id: `2:${event.seq}`, event })),
      ...thirdEvents.map((event) => ({ id: `3:${event.seq}`, event })),
    ];
    for (const [name, frames] of [['before', await early], ['during', await during], ['after', late]] as const) {
      assert.deepEqual(frames.map((frame) => frame.id), expected.map((entry) => entry.id), `${name}: every event once, in order`);
      assert.deepEqual(frames.map((frame) => frame.data), expected.map((entry) => entry.event), `${name}: the stored events, each naming its run`);
      assert.ok(frames.every((frame) => frame.event === frame.data.type));
    }
    assert.deepEqual(new Set(late.map((frame) => frame.data.runId)), new Set([first.body.runId, second.body.runId, third.body.runId]));

    // Resumed at the last event of run 1: the next frame is run 2's first.
    const lastOfFirst = expected.filter((entry) => entry.id.startsWith('1:')).at(-1)!.id;
    const resumed = await api.sessionStream(sessionId, endedRun(3), lastOfFirst);
    assert.deepEqual(resumed.map((frame) => frame.id), expected.slice(expected.findIndex((entry) => entry.id === lastOfFirst) + 1).map((entry) => entry.id));
    assert.equal(resumed[0].id, '2:1');
    // Resumed inside run 2.
    const midway = await api.sessionStream(sessionId, endedRun(3), '2:2');
    assert.equal(midway[0].id, '2:3');
    assert.deepEqual(midway.map((frame) => frame.id), expected.slice(expected.findIndex((entry) => entry.id === '2:2') + 1).map((entry) => entry.id));
    // The same through ?after=.
    const viaQuery = await fetch(`${server.url}/v1/sessions/${sessionId}/events?after=3:1`);
    assert.equal(viaQuery.status, 200);
    await viaQuery.body?.cancel();

    for (const bad of ['7', 'x:1', '0:1', '9:1', `1:${expected.filter((entry) => entry.id.startsWith('1:')).length + 1}`]) {
      const response = await fetch(`${server.url}/v1/sessions/${sessionId}/events`, { headers: { 'last-event-id': bad } });
      assert.equal(response.status, 400, bad);
      assert.equal(((await response.json()) as Json).error.code, 'invalid_last_event_id', bad);
    }
    const unknown = await fetch(`${server.url}/v1/sessions/ses_nobody/events`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as Json).error.code, 'session_not_found');
  });

  it('reject (the default): a message for a busy session is 409 session_busy naming the running run; two at once: exactly one runs', async () => {
    const sessionId = 'ses_reject';
    const running = await api.start({ input: 'reject one', model: 'gate:hold', sessionId });
    assert.equal(running.status, 202);
    const busy = await api.start({ input: 'reject two', model: 'gate:echo', sessionId });
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error.code, 'session_busy');
    assert.equal(busy.body.error.details.runId, running.body.runId);
    assert.equal(busy.body.error.details.sessionId, sessionId);
    gate.release('reject one');
    await api.eventsOf(running.body.runId);
    // Once the run has ended, the next message is fine (a client sending right after the stream ended).
    const after = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'reject three', model: 'gate:echo', sessionId });
    assert.equal(after.status, 200);
    assert.equal((await collectRunEvents(after)).at(-1)?.type, 'run.completed');

    const together = await Promise.all([
      api.start({ input: 'together one', model: 'gate:hold', sessionId: 'ses_reject_together' }),
      api.start({ input: 'together two', model: 'gate:hold', sessionId: 'ses_reject_together' }),
    ]);
    assert.deepEqual(together.map((answer) => answer.status).sort(), [202, 409]);
    const winner = together.find((answer) => answer.status === 202)!;
    const loser = together.find((answer) => answer.status === 409)!;
    assert.equal(loser.body.error.details.runId, winner.body.runId);
    const runs = await api.get('/v1/runs?sessionId=ses_reject_together');
    assert.deepEqual(runs.body.runs.map((run: Json) => run.id), [winner.body.runId], 'the refused message left no run behind');
    gate.release('together one');
    gate.release('together two');
    await api.eventsOf(winner.body.runId);
  });

  it('enqueue: the new run waits queued, then runs after the current one and sees its turns; two at once run in order', async () => {
    const sessionId = 'ses_enqueue';
    const first = await api.start({ input: 'enqueue one', model: 'gate:hold', sessionId, multitask: 'enqueue' });
    await gate.whenCalled('enqueue one');
    const second = await api.start({ input: 'enqueue two', model: 'gate:echo', sessionId, multitask: 'enqueue' });
    assert.equal(second.status, 202);
    assert.equal(second.body.status, 'queued');
    const waiting = await api.get(`/v1/runs/${second.body.runId}`);
    assert.equal(waiting.body.status, 'queued');
    assert.equal(waiting.body.sessionWaiting, true);
    assert.ok(!gate.calls.some((call) => call.input === 'enqueue two'), 'it has not started');
    gate.release('enqueue one');
    const secondEvents = await api.eventsOf(second.body.runId);
    assert.equal(secondEvents.at(-1)?.type, 'run.completed');
    const [firstRun, secondRun] = [(await api.get(`/v1/runs/${first.body.runId}`)).body, (await api.get(`/v1/runs/${second.body.runId}`)).body];
    assert.equal(firstRun.status, 'completed');
    assert.ok(secondRun.startedAt >= firstRun.endedAt, 'the second started once the first had ended');
    const call = await gate.whenCalled('enqueue two');
    assert.deepEqual(call.history, [{ role: 'user', text: 'enqueue one' }, { role: 'assistant', text: 'partial answer to enqueue one and the rest' }]);

    // Two at once, by the agent's own policy (queued_chat: multitask enqueue): both run, one after the other.
    const both = await Promise.all([
      api.start({ agent: 'queued_chat', input: 'both A', sessionId: 'ses_enqueue_both' }),
      api.start({ agent: 'queued_chat', input: 'both B', sessionId: 'ses_enqueue_both' }),
    ]);
    assert.deepEqual(both.map((answer) => answer.status), [202, 202]);
    const records = await Promise.all(both.map(async (answer) => (await api.get(`/v1/runs/${answer.body.runId}`)).body));
    const [earlier, later] = [...records].sort((left, right) => left.sessionSeq - right.sessionSeq);
    assert.equal(later.sessionWaiting, true);
    const earlierInput = earlier.input as string;
    const laterInput = later.input as string;
    await gate.whenCalled(earlierInput);
    assert.ok(!gate.calls.some((each) => each.input === laterInput), 'the later one waits');
    gate.release(earlierInput);
    gate.release(laterInput);
    await api.eventsOf(later.id);
    const [earlierEnd, laterEnd] = [(await api.get(`/v1/runs/${earlier.id}`)).body, (await api.get(`/v1/runs/${later.id}`)).body];
    assert.deepEqual([earlierEnd.status, laterEnd.status], ['completed', 'completed']);
    assert.ok(laterEnd.startedAt >= earlierEnd.endedAt);
    assert.deepEqual((await gate.whenCalled(laterInput)).history.map((turn) => turn.text), [earlierInput, `partial answer to ${earlierInput} and the rest`]);
  });

  it('interrupt: cancels the running run, keeps its partial answer in the history, and starts the new one', async () => {
    const sessionId = 'ses_interrupt';
    const first = await api.start({ input: 'interrupt one', model: 'gate:hold', sessionId });
    await api.until(first.body.runId, 'message.delta');
    const second = await api.start({ input: 'interrupt two', model: 'gate:echo', sessionId, multitask: 'interrupt' });
    assert.equal(second.status, 202, JSON.stringify(second.body));
    const firstEvents = await api.eventsOf(first.body.runId);
    assert.equal(firstEvents.at(-1)?.type, 'run.cancelled');
    assert.equal((await api.eventsOf(second.body.runId)).at(-1)?.type, 'run.completed');
    assert.deepEqual((await gate.whenCalled('interrupt two')).history, [{ role: 'user', text: 'interrupt one' }, { role: 'assistant', text: 'partial answer to interrupt one ' }]);
    const session = await api.get(`/v1/sessions/${sessionId}`);
    assert.deepEqual(session.body.messages.map((message: Json) => [message.role, message.content, message.runId]), [
      ['user', 'interrupt one', first.body.runId], ['assistant', 'partial answer to interrupt one ', first.body.runId],
      ['user', 'interrupt two', second.body.runId], ['assistant', 'answer to interrupt two', second.body.runId],
    ]);
  });

  it('rollback: cancels the running run and drops its turns; the run record stays, cancelled', async () => {
    const sessionId = 'ses_rollback';
    const first = await api.start({ input: 'rollback one', model: 'gate:echo', sessionId });
    await api.eventsOf(first.body.runId);
    const second = await api.start({ input: 'rollback two', model: 'gate:hold', sessionId });
    await api.until(second.body.runId, 'message.delta');
    const third = await api.start({ input: 'rollback three', model: 'gate:echo', sessionId, multitask: 'rollback' });
    assert.equal(third.status, 202, JSON.stringify(third.body));
    assert.equal((await api.eventsOf(third.body.runId)).at(-1)?.type, 'run.completed');
    assert.equal((await api.get(`/v1/runs/${second.body.runId}`)).body.status, 'cancelled');
    assert.deepEqual((await gate.whenCalled('rollback three')).history.map((turn) => turn.text), ['rollback one', 'answer to rollback one']);
    const session = await api.get(`/v1/sessions/${sessionId}`);
    assert.deepEqual(session.body.messages.map((message: Json) => message.content), ['rollback one', 'answer to rollback one', 'rollback three', 'answer to rollback three']);
    assert.ok(!session.body.messages.some((message: Json) => message.runId === second.body.runId));
    assert.deepEqual(session.body.runs.map((run: Json) => run.id).sort(), [first.body.runId, second.body.runId, third.body.runId].sort());
  });

  it('two interrupts at once for one busy session: each displaces the run going, and the session never has two runs going', async () => {
    const sessionId = 'ses_displace_together';
    const first = await api.start({ input: 'displace one', model: 'gate:hold', sessionId });
    await api.until(first.body.runId, 'message.delta');
    const answers = await Promise.all([
      api.start({ input: 'displace two', model: 'gate:hold', sessionId, multitask: 'interrupt' }),
      api.start({ input: 'displace three', model: 'gate:hold', sessionId, multitask: 'interrupt' }),
    ]);
    const started = answers.filter((answer) => answer.status === 202);
    assert.ok(started.length >= 1, JSON.stringify(answers.map((answer) => answer.body)));
    for (const answer of answers.filter((each) => each.status !== 202)) assert.equal(answer.body.error.code, 'session_busy');
    const runs = (await api.get(`/v1/runs?sessionId=${sessionId}`)).body.runs as Json[];
    assert.equal(runs.filter((run) => run.status === 'queued' || run.status === 'running').length, 1, 'never two runs going in one session');
    for (const input of ['displace one', 'displace two', 'displace three']) gate.release(input);
    for (const answer of started) await api.eventsOf(answer.body.runId);
  });

  it('enqueue: a waiting run cancelled before its turn ends at once, and the one after it still runs in order', async () => {
    const sessionId = 'ses_enqueue_cancel';
    const first = await api.start({ input: 'queue one', model: 'gate:hold', sessionId });
    await gate.whenCalled('queue one');
    const second = await api.start({ input: 'queue two', model: 'gate:echo', sessionId, multitask: 'enqueue' });
    const third = await api.start({ input: 'queue three', model: 'gate:echo', sessionId, multitask: 'enqueue' });
    const cancel = await postJson(`${server.url}/v1/runs/${second.body.runId}/cancel`, {});
    assert.equal(cancel.status, 200);
    assert.equal(((await cancel.json()) as Json).status, 'cancelled');
    assert.equal((await api.get(`/v1/runs/${first.body.runId}`)).body.status, 'running', 'the running run is not touched');
    gate.release('queue one');
    assert.equal((await api.eventsOf(third.body.runId)).at(-1)?.type, 'run.completed');
    assert.ok(!gate.calls.some((call) => call.input === 'queue two'), 'the cancelled one never ran');
    assert.deepEqual((await gate.whenCalled('queue three')).history.map((turn) => turn.text), ['queue one', 'partial answer to queue one and the rest']);
  });

  it('takes any session id the JSON can carry, a lone surrogate too, and titles any first message', async () => {
    const answer = await api.start({ input: '\ud83d alone \u0007', model: 'gate:echo', sessionId: 'ses_\ud800_odd' });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    await api.eventsOf(answer.body.runId);
    const again = await api.start({ input: 'next', model: 'gate:echo', sessionId: 'ses_\ud800_odd' });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await api.eventsOf(again.body.runId);
  });

  it('lists sessions newest first with a title from the first message, filters and cursor pages; pages a session\'s messages', async () => {
    const created: string[] = [];
    for (const [index, input] of ['List alpha: what is the plan for the quarterly review of the northern sales region this year?', 'List beta', 'List gamma'].entries()) {
      const sessionId = `ses_list_${index}`;
      const answer = await api.start({ input, model: 'gate:echo', sessionId, ...(index === 2 ? { agent: 'queued_chat' } : {}) });
      if (index === 2) gate.release(input);
      await api.eventsOf(answer.body.runId);
      created.push(sessionId);
    }
    const pages: Json[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.get(`/v1/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}&since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`);
      assert.equal(page.status, 200);
      pages.push(...page.body.sessions);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ours = pages.filter((session) => created.includes(session.id));
    assert.deepEqual(ours.map((session) => session.id), [...created].reverse());
    const alpha = ours.find((session) => session.id === 'ses_list_0')!;
    assert.ok(alpha.title.startsWith('List alpha: what is the plan') && alpha.title.endsWith('…') && alpha.title.length <= 80, alpha.title);
    assert.equal(alpha.runCount, 1);
    assert.equal(alpha.lastRun.status, 'completed');
    assert.equal(alpha.activeRunId, null);
    const ofQueuedChat = (await api.get('/v1/sessions?agent=queued_chat')).body.sessions.map((session: Json) => session.id);
    assert.ok(ofQueuedChat.includes('ses_list_2') && !ofQueuedChat.includes('ses_list_0') && !ofQueuedChat.includes('ses_list_1'), String(ofQueuedChat));
    assert.deepEqual((await api.get('/v1/sessions?q=BETA')).body.sessions.map((session: Json) => session.id), ['ses_list_1']);
    assert.equal((await api.get('/v1/sessions?limit=0')).status, 422);
    assert.equal((await api.get('/v1/sessions?cursor=bm9wZQ')).status, 422);

    // The client package pages the same list.
    const viaClient = await new AgentstreamClient({ baseUrl: server.url }).sessions.list({ q: 'list alpha', limit: 1 });
    assert.deepEqual(viaClient.sessions.map((session) => [session.id, session.title]), [['ses_list_0', alpha.title]]);

    const paged = await api.get('/v1/sessions/ses_list_0?limit=1');
    assert.deepEqual([paged.body.messageCount, paged.body.messagesFrom, paged.body.messages.map((message: Json) => message.role)], [2, 1, ['assistant']]);
    const before = await api.get('/v1/sessions/ses_list_0?limit=1&before=1');
    assert.deepEqual([before.body.messagesFrom, before.body.messages.map((message: Json) => message.role)], [0, ['user']]);
  });
});

}

sessionsSuite('embedded', (parts, config) => startTestServer(config, parts));

const queueSkip = (await postgresSkipReason()) ?? (await redisSkipReason());
const schema = uniqueTestSchema('sessionsqueue');
after(() => (queueSkip ? undefined : dropTestSchema(schema)));
// Every run through the queue to this instance's own worker; the reconciler looks for lost jobs every 50 ms, so a
// waiting (enqueued) run it started early would show.
sessionsSuite('queue shape', async (parts, config) => {
  const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
  const prefix = `agentstream-sessions-queue-${process.pid}-${randomBytes(4).toString('hex')}`;
  return startTestServer({ ...config, redisUrl: TEST_REDIS_URL, redisChannelPrefix: prefix, runHeartbeatMs: 50, runStaleAfterMs: 100 }, { ...parts, store });
}, { skip: queueSkip });

describe('sessions are the tenant\'s own: the stream and the list', { timeout: 60_000 }, () => {
  const gate = createGatedProvider();
  let server: TestServer;
  const asA = client(() => server, KEY_A);
  const asB = client(() => server, KEY_B);
  before(async () => {
    server = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, heartbeatMs: 20 }, { providers: [gate.provider] });
  });
  after(() => server.close());

  it('another tenant\'s session is 404 on its stream, and missing from the list; the same id is theirs alone', async () => {
    const mine = await asA.start({ input: 'a secret of A', model: 'gate:echo', sessionId: 'ses_shared_name' });
    assert.equal(mine.status, 202);
    await asA.eventsOf(mine.body.runId);
    const foreign = await fetch(`${server.url}/v1/sessions/ses_shared_name/events`, { headers: { authorization: `Bearer ${KEY_B}` } });
    assert.equal(foreign.status, 404);
    assert.equal(((await foreign.json()) as Json).error.code, 'session_not_found');
    assert.equal((await fetch(`${server.url}/v1/sessions/ses_shared_name/events`, { headers: { authorization: `Bearer ${KEY_B}`, 'last-event-id': '1:1' } })).status, 404);
    assert.deepEqual((await asB.get('/v1/sessions')).body.sessions, []);
    assert.deepEqual((await asA.get('/v1/sessions')).body.sessions.map((session: Json) => session.id), ['ses_shared_name']);
    // B's own session of the same name: B's stream shows B's run only, and B is not busy because of A.
    const theirs = await asB.start({ input: 'hello from B', model: 'gate:echo', sessionId: 'ses_shared_name' });
    assert.equal(theirs.status, 202);
    const frames = await asB.sessionStream('ses_shared_name', endedRun(1));
    assert.ok(frames.every((frame) => frame.data.runId === theirs.body.runId));
    const framesOfA = await asA.sessionStream('ses_shared_name', endedRun(1));
    assert.ok(framesOfA.every((frame) => frame.data.runId === mine.body.runId));
  });

  it('an idle session stream gets keep-alive comments while it waits for the next run', async () => {
    const answer = await asA.start({ input: 'before the quiet', model: 'gate:echo', sessionId: 'ses_quiet' });
    await asA.eventsOf(answer.body.runId);
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/sessions/ses_quiet/events`, { headers: { authorization: `Bearer ${KEY_A}` }, signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (text.split('\n\n').filter((frame) => frame === ': keep-alive').length < 2) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the session stream stays open');
      text += value;
    }
    controller.abort();
    assert.match(text, /event: run\.completed\n/, 'the run before the quiet came first');
  });
});
