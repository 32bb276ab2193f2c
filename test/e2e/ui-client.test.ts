import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AgentstreamClient, AgentstreamError } from '../../client/agentstream-client.ts';
import { applyEvents } from '../../client/apply-event.ts';
import { emptyRunView } from '../../client/run-view.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

describe('the client calls the web UI relies on', () => {
  let server: TestServer;
  let client: AgentstreamClient;
  before(async () => {
    server = await startTestServer();
    client = new AgentstreamClient({ baseUrl: server.url });
  });
  after(async () => server?.close());

  it('reads the catalogue, pages the run history and reads a run\'s events back in order', async () => {
    const catalog = await client.getCatalog();
    assert.ok(catalog.agents.some((agent) => agent.id === 'assistant'));
    assert.ok(catalog.teams.some((team) => team.id === 'business_insights'));
    assert.equal(catalog.models.models.find((model) => model.id === catalog.models.defaultModel)?.simulated, true);

    const live: number[] = [];
    const terminal = await client.streamRun({ agent: 'assistant', input: 'What is 6 * 7?' }, { onEvent: (event) => live.push(event.seq) });
    await client.streamRun({ agent: 'chat', input: 'Hi' }, { onEvent: () => {} });
    const events = await client.getEvents(terminal.runId);
    assert.deepEqual(events.map((event) => event.seq), live);
    const view = applyEvents(emptyRunView(), events);
    assert.equal(view.status, 'completed');
    assert.equal(view.output, (await client.getRun(terminal.runId)).output);

    const first = await client.listRuns({ limit: 1 });
    assert.equal(first.runs.length, 1);
    assert.ok(first.nextCursor);
    const second = await client.listRuns({ limit: 1, cursor: first.nextCursor! });
    assert.equal(second.runs[0].id, terminal.runId);
    assert.deepEqual((await client.listRuns({ agent: 'assistant', status: 'completed' })).runs.map((run) => run.id), [terminal.runId]);
  });

  it('says plainly when a finished run has nothing after the given seq, instead of retrying', async () => {
    const terminal = await client.streamRun({ agent: 'chat', input: 'Hello' }, { onEvent: () => {} });
    await assert.rejects(client.followRun(terminal.runId, { afterSeq: terminal.seq, onEvent: () => {}, maxReconnects: 1 }), (error: unknown) => error instanceof AgentstreamError && error.code === 'nothing_left');
  });
});
