import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Request } from 'playwright-core';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';

/** Every byte the inspector shows: its frames (and any partial one) joined, as the page holds them. */
async function shownBytes(inspector: Locator): Promise<string> {
  return inspector.locator('[data-testid=raw-frame], [data-testid=raw-partial]').evaluateAll((nodes) => nodes.map((node) => node.textContent ?? '').join(''));
}

describe('web UI: streaming switch and raw-response inspector', { skip: browserSkip }, () => {
  let server: TestServer;
  let browser: UiBrowser;
  before(async () => {
    // Paced tokens, so a streamed run lasts long enough to be watched live; no heartbeat comments in the bodies.
    server = await startUiServer({ demoTokenDelayMs: 25, heartbeatMs: 600_000 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const httpBody = async (runId: string, format: string) => (await fetch(`${server.url}/v1/runs/${runId}/events?format=${format}`)).text();

  /** Opens an inspector, picks a format and waits until its stream has ended. */
  async function inspect(inspector: Locator, format: string): Promise<string> {
    if (!(await inspector.evaluate((element) => (element as HTMLDetailsElement).open))) await inspector.locator('summary').click();
    await inspector.getByTestId('raw-format').selectOption(format);
    await inspector.locator(`[data-testid=raw-status][data-state=ended]`).waitFor({ timeout: 30_000 });
    return shownBytes(inspector);
  }

  it('with streaming off, the answer comes whole from one JSON answer (stream: false, no SSE) and the run is in the history', async () => {
    const { page } = browser;
    const requests: Request[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/runs')) requests.push(request);
    });
    await page.goto(`${server.url}/agent`);
    const toggle = page.getByTestId('stream-toggle');
    assert.equal(await toggle.isChecked(), true, 'streams by default');
    await toggle.uncheck();
    await page.getByLabel('Message').fill('What is 12 * (3 + 4)?');
    await page.getByRole('button', { name: 'Send' }).click();

    const turn = page.locator('[data-testid=active-turn][data-streamed=false]');
    await turn.getByTestId('waiting').waitFor();
    // While the run goes on nothing of the answer shows: there is no stream to show it from.
    assert.equal(await turn.getByTestId('message').count(), 0);
    const result = turn.getByTestId('run-result');
    await result.waitFor({ timeout: 30_000 });
    assert.match(await result.getByTestId('message').innerText(), /The calculator gives 84/);
    assert.equal(await result.getByTestId('run-bar').getAttribute('data-status'), 'completed');

    const posts = requests.filter((request) => request.method() === 'POST');
    assert.equal(posts.length, 1);
    assert.equal((posts[0].postDataJSON() as { stream: boolean }).stream, false);
    const response = await posts[0].response();
    assert.match((await response!.allHeaders())['content-type'], /^application\/json/);
    assert.deepEqual(requests.filter((request) => request.url().includes('/events')).map((request) => request.url()), [], 'no SSE request');

    const runId = (await result.getByTestId('run-bar').getAttribute('data-run-id'))!;
    const run = (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as { status: string; output: string };
    assert.equal(run.status, 'completed');
    // The answer shown is the run's output (rendered as Markdown); the JSON answer received sits beside it.
    const shownJson = JSON.parse((await result.getByTestId('json-response').locator('pre').textContent())!) as { runId: string; output: string };
    assert.equal(shownJson.runId, runId);
    assert.equal(shownJson.output, run.output);
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.locator(`[data-testid=run-row][data-run-id="${runId}"]`).waitFor();
    // The choice is remembered.
    await page.goto(`${server.url}/agent`);
    assert.equal(await page.getByTestId('stream-toggle').isChecked(), false);
    await page.getByTestId('stream-toggle').check();
  });

  it('with streaming off, a refused request shows its error, and the turn keeps it after the next message', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/agent`);
    await page.getByTestId('stream-toggle').uncheck();
    // The server refusing the start (as an overloaded one does), once.
    await page.route('**/v1/runs', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'overloaded', message: 'The server is overloaded' } }) }), { times: 1 });
    await page.getByLabel('Message').fill('What is 1 + 1?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid=active-turn][data-streamed=false] [role=alert]').getByText('The server is overloaded').waitFor();
    await page.getByLabel('Message').fill('What is 2 + 2?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid=active-turn] [data-testid=run-result]').waitFor({ timeout: 30_000 });
    const earlier = page.locator('[data-testid=turn][data-streamed=false]').first();
    assert.match(await earlier.innerText(), /What is 1 \+ 1\?[\s\S]*The server is overloaded/);
    await page.getByTestId('stream-toggle').check();
  });

  it('the inspector shows a finished run\'s raw frames in native SSE, AG-UI and OpenAI chat, equal to what an HTTP client gets', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/agent`);
    await page.getByTestId('stream-toggle').uncheck();
    await page.getByLabel('Message').fill('What time is it in UTC?');
    await page.getByRole('button', { name: 'Send' }).click();
    const result = page.locator('[data-testid=active-turn] [data-testid=run-result]');
    await result.waitFor({ timeout: 30_000 });
    const runId = (await result.getByTestId('run-bar').getAttribute('data-run-id'))!;
    const inspector = result.getByTestId('raw-inspector');

    const native = await inspect(inspector, 'native');
    assert.equal(native, await httpBody(runId, 'native'));
    assert.match(native, /^id: 1\nevent: run\.started\ndata: \{/);
    const frames = await inspector.getByTestId('raw-frame').allTextContents();
    assert.ok(frames.every((frame) => /^id: \d+\nevent: [\w.]+\ndata: .*\n\n$/s.test(frame)), 'one native frame per item, blank line included');

    const agUi = await inspect(inspector, 'ag-ui');
    assert.equal(agUi, await httpBody(runId, 'ag-ui'));
    assert.match(agUi, /^data: \{"type":"RUN_STARTED"/);

    const chat = await inspect(inspector, 'openai-chat');
    assert.equal(chat, await httpBody(runId, 'openai-chat'));
    assert.match(chat, /data: \[DONE\]\n\n$/);
    assert.equal(await inspector.getByTestId('raw-status').getAttribute('data-bytes'), String(Buffer.byteLength(chat)));
    await page.getByTestId('stream-toggle').check();
  });

  it('the inspector follows a streaming run live, and the run page inspects it once finished', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/agent`);
    assert.equal(await page.getByTestId('stream-toggle').isChecked(), true);
    await page.getByLabel('Message').fill('Search the knowledge base for vector databases');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn = page.locator('[data-testid=active-turn][data-streamed=true]');
    const inspector = turn.getByTestId('raw-inspector');
    await inspector.locator('summary').click();
    // Frames shown while the run is still running: live, not fetched after the end.
    await page.waitForFunction(() => {
      const active = document.querySelector('[data-testid=active-turn]');
      const status = active?.querySelector('[data-testid=run-bar]')?.getAttribute('data-status');
      const rawState = active?.querySelector('[data-testid=raw-status]')?.getAttribute('data-state');
      return status === 'running' && rawState === 'streaming' && (active?.querySelectorAll('[data-testid=raw-frame]').length ?? 0) > 1;
    }, undefined, { timeout: 30_000 });
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    await inspector.locator('[data-testid=raw-status][data-state=ended]').waitFor({ timeout: 30_000 });
    const runId = (await turn.getByTestId('run-bar').getAttribute('data-run-id'))!;
    assert.equal(await shownBytes(inspector), await httpBody(runId, 'native'));

    await page.goto(`${server.url}/runs/${runId}`);
    const pageInspector = page.getByTestId('raw-inspector');
    const responses = await inspect(pageInspector, 'openai-responses');
    assert.equal(responses, await httpBody(runId, 'openai-responses'));
    assert.match(responses, /^event: response\.created\ndata: /);
  });
});
