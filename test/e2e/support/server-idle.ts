import assert from 'node:assert/strict';
import type { InProcessBus } from '../../../src/bus/in-process/in-process-bus.ts';
import { openSseWriterCount } from '../../../src/http/sse-writer.ts';
import { sendRaw } from './raw-http.ts';
import type { TestServer } from './test-server.ts';

/**
 * Waits for every run the server has recorded to end (its `done`, not a timer), then checks nothing is left
 * behind: no active run, no bus listener (every follower unsubscribed), no open SSE response. Call it once
 * every client of a batch has finished or hung up.
 */
export async function expectIdle(server: TestServer, bus: InProcessBus, context: string): Promise<void> {
  const { runs } = server.server;
  let cursor: string | undefined;
  do {
    const page = await runs.list({ limit: 200, cursor });
    await Promise.all(page.runs.map((run) => runs.waitForEnd(run.id)));
    for (const run of page.runs) {
      const ended = await runs.get(run.id);
      assert.ok(!['running', 'queued'].includes(ended.status), `${context}: run ${run.id} ended but is recorded as ${ended.status}`);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  assert.equal(runs.activeCount, 0, `${context}: runs are still active`);
  assert.equal(bus.listenerCount(), 0, `${context}: bus listeners were left subscribed`);
  assert.equal(openSseWriterCount(), 0, `${context}: SSE responses were left open`);
  // Not fetch: its pooled keep-alive socket would stay open and count as a connection in later checks.
  const health = await sendRaw(server.url, { method: 'GET', path: '/health', signal: AbortSignal.timeout(5000) });
  assert.equal(health.status, 200, `${context}: /health after the batch`);
}
