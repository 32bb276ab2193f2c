import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { endsProperly, parseSse } from './support/check-answer.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// The seed dialects ran two requests of one session side by side; their clients must keep working unchanged, so
// the seed routes queue a second message behind the first (`enqueue`) instead of refusing it.
describe('seed routes and a session busy with another message', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demoTokenDelayMs: 2 });
  });
  after(() => server.close());

  it('Agno: two messages of one user at once are both answered, one after the other, and both are in the history', async () => {
    const send = (message: string) => postJson(`${server.url}/api/v1/agent/stream`, { message, user_id: 'same-user' }).then(async (response) => ({ status: response.status, text: await response.text() }));
    const [first, second] = await Promise.all([send('Tell me about streams'), send('And about queues')]);
    for (const answer of [first, second]) {
      assert.equal(answer.status, 200);
      assert.ok(endsProperly('agno-multi', parseSse(answer.text)), 'each stream ends with its completion frame');
    }
    const runs = (await (await fetch(`${server.url}/v1/runs?limit=10`)).json()) as { runs: { sessionId: string; status: string; sessionSeq?: number }[] };
    const ofUser = runs.runs.filter((run) => run.sessionId.startsWith('agno:same-user'));
    assert.deepEqual(ofUser.map((run) => run.status), ['completed', 'completed']);
    const session = (await (await fetch(`${server.url}/v1/sessions/${encodeURIComponent(ofUser[0].sessionId)}`)).json()) as { messages: { role: string }[] };
    assert.deepEqual(session.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant'], 'the turns do not interleave');
  });
});
