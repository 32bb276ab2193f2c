import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunEvent } from '../events/run-event.ts';
import { SessionBusyError, StaleAttemptError, type Store } from './store.ts';
import { describeLifecycleContract } from './lifecycle-contract.ts';

const agent = { id: 'assistant', name: 'Assistant', role: 'agent' as const, path: [] };

function events(runId: string, fromSeq: number, count: number): RunEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: 'message.delta', messageId: 'm1', delta: `word${fromSeq + index} `, runId, seq: fromSeq + index, ts: new Date().toISOString(), agent,
  }) as RunEvent);
}

/**
 * The behaviour every Store must have. SQLite and PostgreSQL run it against a real database.
 * `skip` is node:test's: a reason when the database cannot be reached here (see the adapter's test).
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store> | Store, options: { skip?: string } = {}) {
  describe(`store contract: ${name}`, { skip: options.skip }, () => {
    const stores: Store[] = [];
    const open = async () => {
      const store = await makeStore();
      stores.push(store);
      return store;
    };
    after(async () => {
      for (const store of stores) await store.close();
    });
    let counter = 0;
    const newRun = (store: Store, overrides: Partial<Parameters<Store['createRun']>[0]> = {}) => {
      counter += 1;
      return store.createRun({ id: `run_${name}_${process.pid}_${Date.now()}_${counter}`, target: { kind: 'agent', id: 'assistant' }, sessionId: `ses_${counter}`, model: 'demo', input: 'hi', metadata: null, ...overrides });
    };
    describeLifecycleContract(name, open, newRun);

    it('creates, starts and ends a run', async () => {
      const store = await open();
      const run = await newRun(store);
      assert.equal(run.status, 'queued');
      assert.equal(run.lastSeq, 0);
      await store.markRunStarted(run.id);
      assert.equal((await store.getRun(run.id))?.status, 'running');
      assert.ok((await store.listUnfinishedRuns()).some((unfinished) => unfinished.id === run.id));
      await store.endRun(run.id, { status: 'completed', output: 'done', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
      const ended = await store.getRun(run.id);
      assert.equal(ended?.status, 'completed');
      assert.equal(ended?.output, 'done');
      assert.deepEqual(ended?.usage, { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
      assert.ok(ended?.endedAt);
      assert.equal(await store.getRun('run_missing'), undefined);
    });

    it('appends events gaplessly and reads them after any seq', async () => {
      const store = await open();
      const run = await newRun(store);
      await store.appendEvents(run.id, events(run.id, 1, 3));
      await store.appendEvents(run.id, events(run.id, 4, 2));
      assert.deepEqual((await store.readEvents(run.id)).map((event) => event.seq), [1, 2, 3, 4, 5]);
      assert.deepEqual((await store.readEvents(run.id, { afterSeq: 3 })).map((event) => event.seq), [4, 5]);
      assert.deepEqual((await store.readEvents(run.id, { afterSeq: 1, limit: 2 })).map((event) => event.seq), [2, 3]);
      assert.equal((await store.getRun(run.id))?.lastSeq, 5);
      const [third] = await store.readEvents(run.id, { afterSeq: 2, limit: 1 });
      assert.deepEqual(third, events(run.id, 3, 1).map((event) => ({ ...event, ts: third.ts }))[0]);
    });

    it('records a run\'s end with its terminal batch, or neither when the batch is refused', async () => {
      const store = await open();
      const run = await newRun(store);
      await store.markRunStarted(run.id);
      await store.appendEvents(run.id, events(run.id, 1, 2));
      const terminal = { type: 'run.completed', output: 'done', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, agent, runId: run.id, seq: 3, ts: new Date().toISOString() } as RunEvent;
      // A batch that would leave a gap is refused whole: no terminal event, and the run still running.
      await assert.rejects(store.appendEvents(run.id, [{ ...terminal, seq: 4 } as RunEvent], { status: 'completed', output: 'done' }));
      assert.equal((await store.getRun(run.id))?.status, 'running');
      await store.appendEvents(run.id, [terminal], { status: 'completed', output: 'done', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
      const ended = await store.getRun(run.id);
      assert.equal(ended?.status, 'completed');
      assert.equal(ended?.output, 'done');
      assert.equal(ended?.lastSeq, 3);
      assert.ok(ended?.endedAt);
      assert.deepEqual((await store.readEvents(run.id, { afterSeq: 2 })).map((event) => event.type), ['run.completed']);
    });

    it('stores what a model produced with a NUL character in it: the events exactly, the output readable', async () => {
      const store = await open();
      const run = await newRun(store);
      const [delta] = events(run.id, 1, 1);
      const withNul = { ...delta, delta: 'a\u0000b' } as RunEvent;
      await store.appendEvents(run.id, [withNul]);
      await store.endRun(run.id, { status: 'failed', output: 'a\u0000b', error: { code: 'upstream_error', message: 'bad \u0000 byte' } });
      await store.appendSessionMessages(run.sessionId, [{ role: 'assistant', content: 'a\u0000b', runId: run.id, ts: new Date().toISOString() }]);
      assert.deepEqual(await store.readEvents(run.id), [withNul]);
      // SQLite keeps the character; PostgreSQL text cannot hold it and gets U+FFFD in its place.
      const ended = await store.getRun(run.id);
      assert.match(ended?.output ?? '', /^a[\u0000\uFFFD]b$/);
      assert.match(ended?.error?.message ?? '', /^bad [\u0000\uFFFD] byte$/);
      assert.match((await store.getSession(run.sessionId))?.messages[0].content ?? '', /^a[\u0000\uFFFD]b$/);
    });

    it('refuses a batch that would leave a gap or a duplicate, and keeps what was stored', async () => {
      const store = await open();
      const run = await newRun(store);
      await store.appendEvents(run.id, events(run.id, 1, 2));
      await assert.rejects(store.appendEvents(run.id, events(run.id, 4, 1)));
      await assert.rejects(store.appendEvents(run.id, events(run.id, 2, 1)));
      assert.deepEqual((await store.readEvents(run.id)).map((event) => event.seq), [1, 2]);
    });

    it('lists runs newest first with filters and a cursor', async () => {
      const store = await open();
      const session = `ses_list_${Date.now()}`;
      const created = [];
      for (let index = 0; index < 5; index += 1) created.push(await newRun(store, { sessionId: session, target: { kind: index % 2 ? 'team' : 'agent', id: index % 2 ? 'research' : 'chat' } }));
      const page1 = await store.listRuns({ sessionId: session, limit: 2 });
      assert.equal(page1.runs.length, 2);
      assert.ok(page1.nextCursor);
      const page2 = await store.listRuns({ sessionId: session, limit: 2, cursor: page1.nextCursor! });
      const page3 = await store.listRuns({ sessionId: session, limit: 2, cursor: page2.nextCursor! });
      const ids = [...page1.runs, ...page2.runs, ...page3.runs].map((run) => run.id);
      assert.deepEqual(new Set(ids), new Set(created.map((run) => run.id)));
      assert.equal(ids.length, 5);
      assert.equal(page3.nextCursor, null);
      const teams = await store.listRuns({ sessionId: session, team: 'research' });
      assert.equal(teams.runs.length, 2);
      const agents = await store.listRuns({ sessionId: session, agent: 'chat', status: 'queued' });
      assert.equal(agents.runs.length, 3);
      for (const forged of ['2026-02-31T00:00:00.000Z|run_x', 'yesterday|run_x', 'no-separator']) {
        await assert.rejects(store.listRuns({ cursor: Buffer.from(forged).toString('base64url') }), { code: 'validation_failed' }, forged);
      }
    });

    it('keeps session messages in order and deletes them', async () => {
      const store = await open();
      const run = await newRun(store, { sessionId: 'ses_contract_messages' });
      const ts = new Date().toISOString();
      await store.appendSessionMessages('ses_contract_messages', [{ role: 'user', content: 'one', runId: run.id, ts }, { role: 'assistant', content: 'two', runId: run.id, ts }]);
      await store.appendSessionMessages('ses_contract_messages', [{ role: 'user', content: 'three', runId: run.id, ts }]);
      const session = await store.getSession('ses_contract_messages');
      assert.deepEqual(session?.messages.map((message) => message.content), ['one', 'two', 'three']);
      assert.equal(await store.deleteSession('ses_contract_messages'), true);
      assert.equal(await store.getSession('ses_contract_messages'), undefined);
      assert.equal(await store.deleteSession('ses_contract_messages'), false);
    });

    it('scopes runs and sessions by tenant: another tenant\'s run reads as missing, a shared session id stays two sessions', async () => {
      const store = await open();
      const session = `ses_tenants_${Date.now()}`;
      const ofA = await newRun(store, { sessionId: session, tenant: 'tenant_a' });
      const ofB = await newRun(store, { sessionId: session, tenant: 'tenant_b' });
      const legacy = await newRun(store, { sessionId: session });
      assert.equal((await store.getRun(ofA.id, 'tenant_a'))?.id, ofA.id);
      assert.equal(await store.getRun(ofA.id, 'tenant_b'), undefined);
      assert.equal((await store.getRun(ofA.id))?.id, ofA.id, 'unscoped (internal) reads see every tenant');
      assert.equal((await store.getRun(legacy.id, 'default'))?.id, legacy.id, 'a run created without a tenant is the default tenant\'s');
      assert.deepEqual((await store.listRuns({ sessionId: session }, 'tenant_b')).runs.map((run) => run.id), [ofB.id]);
      assert.equal((await store.listRuns({ sessionId: session })).runs.length, 3);
      const ts = new Date().toISOString();
      await store.appendSessionMessages(session, [{ role: 'user', content: 'secret of a', runId: ofA.id, ts }], 'tenant_a');
      await store.appendSessionMessages(session, [{ role: 'user', content: 'hello from b', runId: ofB.id, ts }], 'tenant_b');
      assert.deepEqual((await store.getSession(session, 'tenant_a'))?.messages.map((message) => message.content), ['secret of a']);
      assert.deepEqual((await store.getSession(session, 'tenant_b'))?.messages.map((message) => message.content), ['hello from b']);
      assert.deepEqual((await store.getSession(session))?.messages, [], 'the default tenant\'s session of that id has no messages of theirs');
      assert.equal(await store.deleteSession(session, 'tenant_b'), true);
      assert.equal(await store.getSession(session, 'tenant_b'), undefined);
      assert.equal((await store.getSession(session, 'tenant_a'))?.messages.length, 1, 'deleting B\'s session leaves A\'s');
      assert.equal(await store.deleteSession(`${session}_none`, 'tenant_a'), false);
    });

    it('refuses one of two concurrent batches claiming the same seqs', async () => {
      const store = await open();
      const run = await newRun(store);
      const results = await Promise.allSettled([store.appendEvents(run.id, events(run.id, 1, 3)), store.appendEvents(run.id, events(run.id, 1, 3))]);
      assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
      assert.deepEqual((await store.readEvents(run.id)).map((event) => event.seq), [1, 2, 3]);
      assert.equal((await store.getRun(run.id))?.lastSeq, 3);
      await assert.rejects(store.appendEvents('run_nobody', events('run_nobody', 1, 1)));
    });

    it('hands a run whose owner stopped heart-beating to exactly one other instance', async () => {
      const store = await open();
      const run = await newRun(store, { ownerId: 'instance_a' });
      const ended = await newRun(store, { ownerId: 'instance_a' });
      await store.endRun(ended.id, { status: 'completed', output: '' });
      const claimedIds = async (ownerId: string, staleAfterMs: number) => (await store.claimStaleRuns(ownerId, staleAfterMs)).map((claimed) => claimed.id).filter((id) => id === run.id || id === ended.id);

      assert.deepEqual(await claimedIds('instance_b', 60_000), [], 'a heartbeat set at creation is fresh');
      assert.deepEqual(await claimedIds('instance_a', 0), [], 'an instance never claims its own runs');
      const [claimed] = await store.claimStaleRuns('instance_b', 0).then((runs) => runs.filter((stale) => stale.id === run.id));
      assert.equal(claimed?.status, 'queued');
      assert.equal(claimed?.lastSeq, 0);
      assert.deepEqual(await claimedIds('instance_c', 60_000), [], 'claiming refreshed the heartbeat: nobody else takes it');
      assert.deepEqual(await claimedIds('instance_b', 0), [], 'the run is now instance_b\'s own');
    });

    it('keeps a heart-beating run out of the sweep', async () => {
      const store = await open();
      const beating = await newRun(store, { ownerId: 'instance_beating' });
      const silent = await newRun(store, { ownerId: 'instance_silent' });
      await store.markRunStarted(beating.id);
      await store.markRunStarted(silent.id);
      // Ages both heartbeats past the threshold below; the wait makes data old, it synchronises nothing.
      await delay(400);
      await store.heartbeatRuns('instance_beating');
      const claimed = (await store.claimStaleRuns('instance_sweeper', 300)).map((run) => run.id);
      assert.ok(claimed.includes(silent.id), 'the silent owner\'s run is claimed');
      assert.ok(!claimed.includes(beating.id), 'the heart-beating owner\'s run is not');
    });

    it('stores a run with its run.started in one write, and its spec for whoever executes it', async () => {
      const store = await open();
      const id = `run_${name}_${process.pid}_started_${counter += 1}`;
      const started = { type: 'run.started', target: { kind: 'agent', id: 'assistant' }, input: { text: 'hi' }, model: 'demo', agent, runId: id, seq: 1, ts: new Date().toISOString() } as RunEvent;
      const run = await store.createRun({ id, target: { kind: 'agent', id: 'assistant' }, sessionId: `ses_${counter}`, model: 'demo', input: 'hi', metadata: null, started, spec: { historyCount: 2, mcpServers: ['files'], timeoutMs: 5000 } });
      assert.deepEqual([run.lastSeq, run.attempt], [1, 0]);
      assert.deepEqual(await store.readEvents(id), [started]);
      const claimed = await store.claimRun(id, 'worker_1');
      assert.deepEqual(claimed?.spec, { historyCount: 2, mcpServers: ['files'], timeoutMs: 5000 });
      assert.deepEqual([claimed?.run.status, claimed?.run.attempt, claimed?.run.lastSeq], ['running', 1, 1]);
    });

    it('refuses writes from an attempt that is no longer current, and ends nothing for it', async () => {
      const store = await open();
      const run = await newRun(store, { sessionId: `ses_fenced_${counter}` });
      const first = await store.claimRun(run.id, 'worker_1');
      await store.appendEvents(run.id, events(run.id, 1, 2), undefined, first!.run.attempt);
      const second = await store.claimRun(run.id, 'worker_2');
      assert.equal(second?.run.attempt, 2);
      assert.equal(second?.run.lastSeq, 2);
      // The first worker comes back: neither its events, nor its end, nor its session turns go in.
      await assert.rejects(store.appendEvents(run.id, events(run.id, 3, 1), undefined, 1), StaleAttemptError);
      const turn = { role: 'assistant' as const, content: 'stale', runId: run.id, ts: new Date().toISOString() };
      await assert.rejects(store.appendEvents(run.id, events(run.id, 3, 1), { status: 'completed', output: 'stale', sessionMessages: [turn] }, 1), StaleAttemptError);
      await assert.rejects(store.appendEvents(run.id, [], { status: 'failed' }, 1), StaleAttemptError);
      assert.equal((await store.getRun(run.id))?.status, 'running');
      assert.equal((await store.getSession(run.sessionId))?.messages.length ?? 0, 0);
      // The current attempt writes on, and its end carries the session's turns in the same write.
      await store.appendEvents(run.id, events(run.id, 3, 1), { status: 'completed', output: 'done', sessionMessages: [{ ...turn, content: 'done' }] }, 2);
      assert.deepEqual([(await store.getRun(run.id))?.status, (await store.getRun(run.id))?.lastSeq], ['completed', 3]);
      assert.deepEqual((await store.getSession(run.sessionId))?.messages.map((message) => message.content), ['done']);
      assert.equal(await store.claimRun(run.id, 'worker_3'), undefined, 'an ended run cannot be claimed');
    });

    it('claims a session for one run at a time: a second exclusive run is refused until the first ends, even at once', async () => {
      const store = await open();
      const session = `ses_claim_${process.pid}_${counter += 1}`;
      const [first, second] = await Promise.allSettled([newRun(store, { sessionId: session, sessionClaim: 'exclusive' }), newRun(store, { sessionId: session, sessionClaim: 'exclusive' })]);
      const winner = first.status === 'fulfilled' ? first.value : second.status === 'fulfilled' ? second.value : undefined;
      const loser = first.status === 'rejected' ? first.reason : second.status === 'rejected' ? second.reason : undefined;
      assert.ok(winner, 'one of the two is admitted');
      assert.ok(loser instanceof SessionBusyError, 'the other is refused as busy');
      assert.equal(loser.activeRunId, winner.id);
      assert.equal((await store.getSession(session))?.activeRunId, winner.id);
      await store.markRunStarted(winner.id);
      await assert.rejects(newRun(store, { sessionId: session, sessionClaim: 'exclusive' }), SessionBusyError);
      const unclaimed = await newRun(store, { sessionId: session });
      assert.equal(unclaimed.sessionSeq, 2, 'a run without a claim takes no part, but has its place');
      await store.endRun(unclaimed.id, { status: 'completed', output: '' });
      await store.endRun(winner.id, { status: 'completed', output: '' });
      assert.equal((await store.getSession(session))?.activeRunId, null);
      const next = await newRun(store, { sessionId: session, sessionClaim: 'exclusive' });
      assert.equal(next.sessionSeq, 3);
      assert.equal((await store.getSession(session, 'tenant_other')), undefined, 'another tenant has no such session');
      await newRun(store, { sessionId: session, sessionClaim: 'exclusive', tenant: 'tenant_other' });
    });

    it('queues an enqueued run behind the session\'s run: not claimable, not stale, active once the one before ends', async () => {
      const store = await open();
      const session = `ses_enqueue_${process.pid}_${counter += 1}`;
      const first = await newRun(store, { sessionId: session, sessionClaim: 'enqueue' });
      assert.equal(first.sessionWaiting, undefined);
      const second = await newRun(store, { sessionId: session, sessionClaim: 'enqueue' });
      const third = await newRun(store, { sessionId: session, sessionClaim: 'enqueue' });
      assert.deepEqual([second.sessionWaiting, third.sessionWaiting, second.sessionSeq, third.sessionSeq], [true, true, 2, 3]);
      assert.equal(await store.claimRun(second.id, 'worker_1'), undefined, 'a waiting run cannot be started early');
      assert.ok(!(await store.listStaleRuns(0)).some((run) => run.id === second.id), 'nor is it handed to the reconciler');
      assert.ok(!(await store.claimStaleRuns('sweeper', 0)).some((run) => run.id === second.id || run.id === third.id));
      await assert.rejects(newRun(store, { sessionId: session, sessionClaim: 'exclusive' }), (error: unknown) => error instanceof SessionBusyError && error.activeRunId === first.id);
      const claimed = await store.claimRun(first.id, 'worker_1');
      await store.appendEvents(first.id, [{ type: 'run.completed', output: '', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, agent, runId: first.id, seq: 1, ts: new Date().toISOString() } as RunEvent], { status: 'completed', output: '' }, claimed!.run.attempt);
      assert.equal((await store.getSession(session))?.activeRunId, second.id, 'the end hands the session to the next waiting run');
      assert.equal((await store.getRun(second.id))?.sessionWaiting, undefined);
      assert.equal((await store.getRun(third.id))?.sessionWaiting, true);
      assert.equal((await store.claimRun(second.id, 'worker_1'))?.run.status, 'running');
      // A waiting run may be claimed to cancel it; its end does not free a session it does not hold.
      assert.ok(await store.claimRun(third.id, 'canceller', { evenIfWaiting: true }));
      await store.endRun(third.id, { status: 'cancelled' });
      assert.equal((await store.getSession(session))?.activeRunId, second.id);
      await store.endRun(second.id, { status: 'completed', output: '' });
      assert.equal((await store.getSession(session))?.activeRunId, null);
    });

    it('pages a session\'s runs in session order, and drops one run\'s turns', async () => {
      const store = await open();
      const session = `ses_order_${process.pid}_${counter += 1}`;
      const runs = [];
      for (let index = 0; index < 5; index += 1) runs.push(await newRun(store, { sessionId: session }));
      assert.deepEqual(runs.map((run) => run.sessionSeq), [1, 2, 3, 4, 5]);
      assert.deepEqual((await store.listSessionRuns(session, undefined, { fromSessionSeq: 2, limit: 2 })).map((run) => run.id), [runs[1].id, runs[2].id]);
      assert.deepEqual((await store.listSessionRuns(session, 'default', { fromSessionSeq: 5 })).map((run) => run.sessionSeq), [5]);
      assert.deepEqual(await store.listSessionRuns(session, 'tenant_other'), []);
      const ts = new Date().toISOString();
      await store.appendSessionMessages(session, [{ role: 'user', content: 'a', runId: runs[0].id, ts }, { role: 'assistant', content: 'b', runId: runs[0].id, ts }, { role: 'user', content: 'c', runId: runs[1].id, ts }]);
      assert.equal(await store.deleteRunTurns(session, runs[0].id), 2);
      assert.deepEqual((await store.getSession(session))?.messages.map((message) => message.content), ['c']);
      assert.equal(await store.deleteRunTurns(session, runs[0].id, 'tenant_other'), 0);
    });

    it('lists sessions newest first, titled by their first message, with filters, a cursor and the tenant\'s scope', async () => {
      const store = await open();
      const tenant = `tenant_list_${process.pid}_${counter += 1}`;
      const long = `Plan a trip ${'to the mountains and back '.repeat(10)}`;
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const run = await newRun(store, { sessionId: `ses_l${index}`, tenant, input: index === 1 ? long : `question ${index}`, target: { kind: index === 2 ? 'team' : 'agent', id: index === 2 ? 'research' : 'chat' } });
        ids.push(run.sessionId);
        // Creation times of one millisecond would tie: the order falls back to the id (still stable), this makes it by time.
        await delay(2);
      }
      await newRun(store, { sessionId: 'ses_l0', tenant, input: 'a later message' });
      const first = await store.listSessions({ limit: 2 }, tenant);
      assert.deepEqual(first.sessions.map((session) => session.id), ['ses_l2', 'ses_l1']);
      assert.ok(first.nextCursor);
      const second = await store.listSessions({ limit: 2, cursor: first.nextCursor! }, tenant);
      assert.deepEqual(second.sessions.map((session) => session.id), ['ses_l0']);
      assert.equal(second.nextCursor, null);
      const [oldest] = second.sessions;
      assert.equal(oldest.title, 'question 0');
      assert.equal(oldest.runCount, 2);
      assert.equal(oldest.lastRun?.status, 'queued');
      const titled = first.sessions[1].title!;
      assert.ok(titled.length <= 80 && titled.startsWith('Plan a trip') && titled.endsWith('…'), titled);
      assert.deepEqual((await store.listSessions({ team: 'research' }, tenant)).sessions.map((session) => session.id), ['ses_l2']);
      assert.deepEqual((await store.listSessions({ agent: 'chat' }, tenant)).sessions.map((session) => session.id), ['ses_l1', 'ses_l0']);
      assert.deepEqual((await store.listSessions({ q: 'MOUNTAINS' }, tenant)).sessions.map((session) => session.id), ['ses_l1']);
      assert.deepEqual((await store.listSessions({ since: new Date(Date.now() + 60_000).toISOString() }, tenant)).sessions, []);
      assert.deepEqual((await store.listSessions({}, `${tenant}_other`)).sessions, []);
    });

    it('hands a run back as queued only for its current attempt', async () => {
      const store = await open();
      const run = await newRun(store);
      await store.claimRun(run.id, 'worker_1');
      await store.claimRun(run.id, 'worker_2');
      await store.releaseRun(run.id, 1);
      assert.equal((await store.getRun(run.id))?.status, 'running', 'a stale attempt cannot hand it back');
      await store.releaseRun(run.id, 2);
      assert.equal((await store.getRun(run.id))?.status, 'queued');
      assert.ok((await store.listStaleRuns(0)).some((stale) => stale.id === run.id));
    });

    it('pauses a run for input: one of two concurrent continuations wins, then it is queued, claimed as handed back, or ended', async () => {
      const store = await open();
      const run = await newRun(store, { sessionId: `ses_paused_${counter}` });
      const first = await store.claimRun(run.id, 'worker_1');
      await store.appendEvents(run.id, events(run.id, 1, 2), undefined, 1);
      const awaiting = { type: 'run.awaiting_input', pending: [], expiresAt: null, runId: run.id, seq: 3, ts: new Date().toISOString(), agent } as RunEvent;
      await assert.rejects(store.pauseRun(run.id, [awaiting], 2, null), StaleAttemptError, 'only the current attempt pauses the run');
      const expiresAt = new Date(Date.now() - 1000).toISOString();
      await store.pauseRun(run.id, [awaiting], first!.run.attempt, expiresAt);
      const paused = await store.getRun(run.id);
      assert.deepEqual([paused?.status, paused?.lastSeq], ['awaiting_input', 3]);
      assert.ok((await store.listExpiredPausedRuns(new Date().toISOString())).some((expired) => expired.id === run.id));
      assert.ok(!(await store.listStaleRuns(0)).some((stale) => stale.id === run.id), 'a paused run is nobody\'s to resume');
      assert.equal(await store.claimRun(run.id, 'worker_2'), undefined, 'a paused run cannot be claimed');
      // Two people answer at once: exactly one write goes in.
      const received = (seq: number) => ({ type: 'input.received', decisions: [], answers: [], pending: [], runId: run.id, seq, ts: new Date().toISOString(), agent }) as RunEvent;
      const results = await Promise.all([store.appendToPausedRun(run.id, [received(4)], 3, 'paused'), store.appendToPausedRun(run.id, [received(4)], 3, 'paused')]);
      assert.deepEqual(results.sort(), [false, true]);
      assert.equal(await store.appendToPausedRun(run.id, [received(5)], 3, 'queued'), false, 'a stale expected seq writes nothing');
      assert.equal(await store.appendToPausedRun(run.id, [received(5)], 4, 'queued'), true);
      assert.deepEqual(((await store.readEvents(run.id)).map((event) => event.seq)), [1, 2, 3, 4, 5]);
      assert.equal((await store.getRun(run.id))?.status, 'queued');
      assert.ok(!(await store.listExpiredPausedRuns(new Date().toISOString())).some((expired) => expired.id === run.id));
      const resumed = await store.claimRun(run.id, 'worker_2');
      assert.deepEqual([resumed?.run.attempt, resumed?.run.lastSeq, resumed?.handedBack], [2, 5, true]);
      // Paused again, then ended while paused (expiry, cancel): the terminal event and the end in one write.
      await store.pauseRun(run.id, [{ ...awaiting, seq: 6 } as RunEvent], 2, null);
      const failed = { type: 'run.failed', error: { code: 'input_timeout', message: 'expired' }, runId: run.id, seq: 7, ts: new Date().toISOString(), agent } as unknown as RunEvent;
      assert.equal(await store.appendToPausedRun(run.id, [failed], 6, { status: 'failed', error: { code: 'input_timeout', message: 'expired' } }), true);
      const ended = await store.getRun(run.id);
      assert.deepEqual([ended?.status, ended?.lastSeq, ended?.error?.code], ['failed', 7, 'input_timeout']);
      assert.equal(await store.appendToPausedRun(run.id, [{ ...failed, seq: 8 } as RunEvent], 7, 'queued'), false, 'an ended run takes nothing more');
    });
  });
}
