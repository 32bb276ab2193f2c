import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import { postJson } from './support/sse.ts';
import type { TestServer } from './support/test-server.ts';

describe('web UI at phone width', { skip: browserSkip }, () => {
  let server: TestServer;
  let browser: UiBrowser;
  let runId: string;
  before(async () => {
    server = await startUiServer({ demoTokenDelayMs: 0 });
    browser = await launchBrowser({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    runId = ((await (await postJson(`${server.url}/v1/runs`, { team: 'research', input: 'AI trends 2024', stream: false })).json()) as { runId: string }).runId;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('fits every view in the width of a phone, with nothing scrolling sideways but tables', async () => {
    const { page } = browser;
    const views: [string, string][] = [
      ['/agent', '#agent-input'], ['/team', '#team-input'], ['/client', '#team-input'], ['/runs', '[data-testid=run-row]'],
      [`/runs/${runId}`, '[data-testid=replay-controls]'], [`/analytics/${runId}`, '[data-testid=event-table]'], ['/analytics', '[data-testid=cross-run]'],
    ];
    for (const [path, ready] of views) {
      await page.goto(`${server.url}${path}`);
      await page.locator(ready).first().waitFor().catch((error: Error) => {
        throw new Error(`${path} did not show ${ready}: ${error.message}`);
      });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${path} is ${width}px wide`);
    }
    // The simulated model is named as such on a phone too.
    await page.goto(`${server.url}/agent`);
    await page.getByTestId('demo-notice').waitFor();
    assert.equal(await page.getByTestId('demo-badge').innerText(), 'demo (simulated)');
  });
});
