import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunRecord } from '../../client/api-types.ts';
import type { RunEvent } from '../../src/events/run-event.ts';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import { collectRunEvents } from './support/sse.ts';
import type { TestServer } from './support/test-server.ts';

describe('web UI: team view', { skip: browserSkip }, () => {
  let server: TestServer;
  let browser: UiBrowser;
  before(async () => {
    server = await startUiServer({ demoTokenDelayMs: 10 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the research team: parallel lanes active at once, routing where it happens, progress to 100%', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/team?team=research`);
    // The team list comes from GET /v1/teams.
    await page.getByLabel('Team', { exact: true }).locator('option[value=research]').waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Team', { exact: true }).inputValue(), 'research');
    await page.getByLabel('Task for the team').fill('AI trends 2024');
    await page.getByRole('button', { name: 'Run team' }).click();

    // Several member lanes in a running state at the same moment: the fan-out searchers.
    const runningAtOnce = await page.waitForFunction(() => {
      const running = [...document.querySelectorAll('[data-testid=lane][data-status=running]')].map((lane) => lane.getAttribute('data-lane'));
      return running.length >= 2 ? running : null;
    }, null, { timeout: 30_000 });
    const lanes = (await runningAtOnce.jsonValue()) as string[];
    assert.ok(lanes.every((lane) => lane.startsWith('research/searcher#')), `parallel lanes: ${lanes.join(', ')}`);
    // The fan-out decision is shown in the orchestrator's lane before its members finish.
    assert.match(await page.getByTestId('orchestrator').innerText(), /searcher#1[\s\S]*searcher#2[\s\S]*fan-out/);

    await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('progress-percent').innerText(), '100%');
    assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '100');

    const runId = (await page.getByTestId('run-bar').getAttribute('data-run-id'))!;
    const run = (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as RunRecord;
    const events = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
    const routed = events.filter((event): event is Extract<RunEvent, { type: 'team.routed' }> => event.type === 'team.routed');
    const routingCards = page.getByTestId('orchestrator').getByTestId('routing');
    assert.equal(await routingCards.count(), routed.length);
    for (const [index, decision] of routed.entries()) assert.match(await routingCards.nth(index).innerText(), new RegExp(decision.reason.replace(/[()]/g, '\\$&')));

    const memberPaths = [...new Set(events.filter((event) => event.agent.path.length === 2).map((event) => event.agent.path.join('/')))];
    assert.deepEqual(await page.getByTestId('lane').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-lane'))), memberPaths);
    assert.deepEqual(await page.getByTestId('lane').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-status'))), memberPaths.map(() => 'completed'));
    assert.equal(await page.getByTestId('event-count').getAttribute('data-last-seq'), String(run.lastSeq));
    const answer = await page.getByTestId('team-answer').innerText();
    assert.match(answer, /Team result for AI trends 2024/);
    assert.equal(run.status, 'completed');
  });

  it('serves the same app at /client, opening on the business_insights team', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/client`);
    await page.getByLabel('Team', { exact: true }).locator('option').first().waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Team', { exact: true }).inputValue(), 'business_insights');
    assert.equal(await page.locator('.nav-link[aria-current=page]').innerText(), 'Team');
    assert.match(await page.getByLabel('Task for the team').inputValue(), /business report/);
  });
});
