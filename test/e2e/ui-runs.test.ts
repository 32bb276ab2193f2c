import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { RunRecord } from '../../client/api-types.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import type { TestServer } from './support/test-server.ts';

describe('web UI: runs, replay and analytics', { skip: browserSkip }, () => {
  let server: TestServer;
  let browser: UiBrowser;
  const runIds: Record<string, string> = {};
  before(async () => {
    server = await startUiServer({ demoTokenDelayMs: 10 });
    browser = await launchBrowser();
    for (const [key, body] of Object.entries({
      sum: { agent: 'assistant', input: 'What is 12 * (3 + 4)?' },
      chat: { agent: 'chat', input: 'Hello there' },
      research: { team: 'research', input: 'AI trends 2024' },
      clock: { agent: 'assistant', input: 'What time is it?' },
    })) {
      const summary = (await (await postJson(`${server.url}/v1/runs`, { ...body, stream: false })).json()) as { runId: string };
      runIds[key] = summary.runId;
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const storedEvents = async (runId: string) => collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
  const rowIds = () => browser.page.getByTestId('run-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id')));

  it('lists the history with filters and cursor paging', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/runs`);
    await page.getByTestId('run-row').nth(3).waitFor();
    assert.deepEqual(await rowIds(), [runIds.clock, runIds.research, runIds.chat, runIds.sum]);

    await page.getByLabel('Agent or team').selectOption('team:research');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=run-row]').length === 1);
    assert.deepEqual(await rowIds(), [runIds.research]);
    assert.match(page.url(), /team=research/);

    await page.getByLabel('Agent or team').selectOption('agent:assistant');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=run-row]').length === 2);
    assert.deepEqual(await rowIds(), [runIds.clock, runIds.sum]);

    await page.getByLabel('Status').selectOption('cancelled');
    await page.getByText('No runs match these filters.').waitFor();
    await page.getByLabel('Status').selectOption('');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await page.getByLabel('From').fill(day);
    await page.getByText('No runs match these filters.').waitFor();

    await page.goto(`${server.url}/runs?limit=3`);
    await page.getByTestId('run-row').nth(2).waitFor();
    assert.equal(await page.getByTestId('run-row').count(), 3);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByTestId('run-row').nth(3).waitFor();
    assert.deepEqual(await rowIds(), [runIds.clock, runIds.research, runIds.chat, runIds.sum]);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);

    await page.getByRole('link', { name: 'AI trends 2024' }).click();
    await page.waitForURL(`**/runs/${runIds.research}`);
  });

  it('replays a finished run at its recorded pace, and jumps to the end', async () => {
    const { page } = browser;
    const events = await storedEvents(runIds.research);
    await page.goto(`${server.url}/runs/${runIds.research}`);
    const controls = page.getByTestId('replay-controls');
    await controls.waitFor();
    assert.equal(await controls.getAttribute('data-total'), String(events.length));
    await page.getByRole('radio', { name: '1×' }).click();
    // Part-way through: the replay advances with the events' own timing, not all at once.
    await page.waitForFunction((total) => {
      const position = Number(document.querySelector('[data-testid=replay-controls]')?.getAttribute('data-position'));
      return position > 5 && position < total - 5;
    }, events.length);
    await page.getByTestId('jump-to-end').click();
    await page.locator(`[data-testid=replay-controls][data-position="${events.length}"]`).waitFor();
    assert.equal(await page.getByTestId('run-status').getAttribute('data-status'), 'completed');
    assert.equal(await page.getByTestId('progress-percent').innerText(), '100%');
    assert.match(await page.getByTestId('team-answer').innerText(), /Team result for AI trends 2024/);
    assert.equal(await page.getByTestId('lane').count(), new Set(events.filter((event) => event.agent.path.length === 2).map((event) => event.agent.path.join('/'))).size);

    await page.getByRole('button', { name: 'Restart' }).click();
    await page.getByRole('radio', { name: 'Instant' }).click();
    await page.locator(`[data-testid=replay-controls][data-position="${events.length}"]`).waitFor();
  });

  it('attaches live to a running run at its shareable URL', async () => {
    const { page } = browser;
    const started = (await (await postJson(`${server.url}/v1/runs`, { team: 'research', input: 'Edge computing', background: true })).json()) as { runId: string };
    await page.goto(`${server.url}/runs/${started.runId}`);
    await page.getByTestId('live-run').waitFor();
    await page.locator('[data-testid=run-bar][data-status=running]').waitFor();
    await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 60_000 });
    const run = (await (await fetch(`${server.url}/v1/runs/${started.runId}`)).json()) as RunRecord;
    assert.equal(run.status, 'completed');
    const counter = page.getByTestId('event-count');
    assert.equal(await counter.getAttribute('data-last-seq'), String(run.lastSeq));
    assert.equal(await counter.getAttribute('data-duplicates'), '0');
    assert.equal(await counter.getAttribute('data-missing'), '0');
  });

  it('shows analytics with the run\'s real numbers, a filterable event table and a JSON export', async () => {
    const { page } = browser;
    const events = await storedEvents(runIds.research);
    const expectedCounts = new Map<string, number>();
    for (const event of events) expectedCounts.set(event.type, (expectedCounts.get(event.type) ?? 0) + 1);

    await page.goto(`${server.url}/analytics/${runIds.research}`);
    await page.locator(`[data-testid=event-table-count][data-count="${events.length}"]`).waitFor();
    const renderedRows = await page.locator('.event-row').count();
    assert.ok(renderedRows > 5 && renderedRows < 80, `the event table is virtualised: ${renderedRows} of ${events.length} rows in the DOM`);
    const shownCounts = await page.getByTestId('type-count').evaluateAll((items) => items.map((item) => [item.getAttribute('data-type'), Number(item.getAttribute('data-count'))]));
    assert.deepEqual(new Map(shownCounts as [string, number][]), expectedCounts);
    assert.equal(await page.locator('[data-testid=event-type-chart] .recharts-bar-rectangle').count(), expectedCounts.size);
    assert.equal(await page.getByTestId('stat-events').locator('dd').innerText(), String(events.length));

    const lanes = new Set(events.filter((event) => event.type === 'agent.started').map((event) => event.agent.path.join('/')));
    const tools = events.filter((event) => event.type === 'tool.started').length;
    await page.locator('[data-testid=timeline-chart] .recharts-bar-rectangle').nth(lanes.size + tools - 1).waitFor();
    const started = Date.parse(events[0].ts);
    const ended = Date.parse(events.at(-1)!.ts);
    assert.equal(await page.getByTestId('stat-duration').locator('dd').innerText(), formatSeconds(ended - started));
    assert.equal(await page.locator('[data-testid=tool-duration-chart] .recharts-bar-rectangle').count(), tools);
    assert.ok(await page.locator('[data-testid=tokens-chart] .recharts-bar-rectangle').count() >= 2);

    await page.getByLabel('Filter by event type').selectOption('tool.started');
    await page.locator(`[data-testid=event-table-count][data-count="${tools}"]`).waitFor();
    await page.getByLabel('Filter by event type').selectOption('');
    await page.getByPlaceholder('text in any field…').fill('knowledge_search');
    const matching = events.filter((event) => JSON.stringify(event).toLowerCase().includes('knowledge_search')).length;
    await page.locator(`[data-testid=event-table-count][data-count="${matching}"]`).waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as RunEvent[];
    assert.deepEqual(exported.map((event) => event.seq), events.filter((event) => JSON.stringify(event).toLowerCase().includes('knowledge_search')).map((event) => event.seq));

    // Across runs: the event types of every finished run, read from the store, add up to what is shown.
    const { runs } = (await (await fetch(`${server.url}/v1/runs`)).json()) as { runs: RunRecord[] };
    const totals = new Map<string, number>();
    for (const run of runs) for (const event of await storedEvents(run.id)) totals.set(event.type, (totals.get(event.type) ?? 0) + 1);
    await page.goto(`${server.url}/analytics`);
    await page.getByTestId('cross-run').getByTestId('type-count').first().waitFor();
    const acrossRuns = await page.getByTestId('cross-run').getByTestId('type-count').evaluateAll((items) => items.map((item) => [item.getAttribute('data-type'), Number(item.getAttribute('data-count'))]));
    assert.deepEqual(new Map(acrossRuns as [string, number][]), totals);
    assert.equal(totals.get('run.started'), runs.length);
  });

  it('switches between light and dark, and is usable from the keyboard', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/runs`);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByTestId('theme-switch').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.getByTestId('theme-switch').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.notEqual(await background(), light);
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the choice is kept');

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Team');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/team');
    await page.getByTestId('theme-switch').click();
  });
});

/** The analytics page's own format for durations between 1 s and 1 min. */
function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
