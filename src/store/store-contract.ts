import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { RunEvent } from '../events/run-event.ts';
import type { Store } from './store.ts';

const agent = { id: 'assistant', name: 'Assistant', role: 'agent' as const, path: [] };

function events(runId: string, fromSeq: number, count: number): RunEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: 'message.delta', messageId: 'm1', delta: `word${fromSeq + index} `, runId, seq: fromSeq + index, ts: new Date().toISOString(), agent,
  }) as RunEvent);
}

/** The behaviour every Store must have. SQLite and PostgreSQL run it against a real database. */
export function describeStoreContract(name: string, makeStore: () => Promise<Store> | Store) {
  describe(`store contract: ${name}`, () => {
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
  });
}
