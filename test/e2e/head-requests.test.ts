import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './support/test-server.ts';

test('a HEAD on a GET route that starts runs answers 404 and starts nothing', async () => {
  const server = await startTestServer();
  try {
    const head = await fetch(`${server.url}/api/v1/agent/stream?message=hi`, { method: 'HEAD' });
    assert.equal(head.status, 404);
    const runs = (await (await fetch(`${server.url}/v1/runs`)).json()) as { runs: unknown[] };
    assert.deepEqual(runs.runs, []);
    assert.equal(server.server.runs.activeCount, 0);
  } finally {
    await server.close();
  }
});
