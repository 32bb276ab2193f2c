import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunRecord } from '../../client/api-types.ts';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import { collectRunEvents } from './support/sse.ts';
import type { TestServer } from './support/test-server.ts';

/** A loopback TCP proxy in front of the server that can cut every open connection, as a flaky network does. */
async function startDropProxy(target: URL): Promise<{ url: string; dropAll(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const proxy: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    dropAll() {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe('web UI: a dropped connection', { skip: browserSkip }, () => {
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof startDropProxy>>;
  let browser: UiBrowser;
  before(async () => {
    server = await startUiServer({ demoTokenDelayMs: 10 });
    proxy = await startDropProxy(new URL(server.url));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
  });

  it('shows reconnecting, resumes from the last event, and ends with exactly the stored events', async () => {
    const { page } = browser;
    await page.goto(`${proxy.url}/team?team=research`);
    await page.getByLabel('Task for the team').fill('AI trends 2024');
    await page.getByRole('button', { name: 'Run team' }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=event-count]')?.getAttribute('data-last-seq')) >= 60, null, { timeout: 30_000 });
    const seqAtDrop = Number(await page.getByTestId('event-count').getAttribute('data-last-seq'));
    assert.ok(proxy.dropAll() >= 1);

    await page.locator('[data-connection=reconnecting]').waitFor();
    await page.locator('[data-testid=connection][data-drops="1"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 60_000 });

    const runId = (await page.getByTestId('run-bar').getAttribute('data-run-id'))!;
    const run = (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as RunRecord;
    const stored = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
    assert.ok(run.lastSeq > seqAtDrop, 'the run went on after the drop');
    const counter = page.getByTestId('event-count');
    assert.deepEqual(
      { count: await counter.innerText(), lastSeq: await counter.getAttribute('data-last-seq'), duplicates: await counter.getAttribute('data-duplicates'), missing: await counter.getAttribute('data-missing') },
      { count: stored.length.toLocaleString('en-US'), lastSeq: String(stored.length), duplicates: '0', missing: '0' },
    );
    const liveLanes = await page.getByTestId('lanes').innerText();
    const liveAnswer = await page.getByTestId('team-answer').innerText();

    // The same run replayed from the store renders the same lanes and answer as the stream that dropped.
    await page.goto(`${server.url}/runs/${runId}`);
    await page.getByTestId('jump-to-end').click();
    await page.locator(`[data-testid=replay-controls][data-position="${stored.length}"]`).waitFor();
    assert.equal(await page.getByTestId('lanes').innerText(), liveLanes);
    assert.equal(await page.getByTestId('team-answer').innerText(), liveAnswer);
  });
});
