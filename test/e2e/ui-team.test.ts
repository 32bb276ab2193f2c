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

  it('business_insights: finished lanes show their answer from its start, and the stop phrase is a badge, not a bare TERMINATE', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/team?team=business_insights`);
    await page.getByLabel('Team', { exact: true }).locator('option[value=business_insights]').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Run team' }).click();
    await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 90_000 });
    // Each finished lane: its last message's first line is inside the visible part of the lane's scroll box.
    const lanes = await page.locator('[data-testid=lane] .lane-scroll').evaluateAll((boxes) => boxes.map((box) => {
      const messages = box.querySelectorAll('[data-testid=message]');
      const answer = messages[messages.length - 1] as HTMLElement | undefined;
      if (!answer) return { ok: true, scrollable: false };
      const top = answer.getBoundingClientRect().top - box.getBoundingClientRect().top;
      return { ok: top >= 0 && top < box.clientHeight, scrollable: box.scrollHeight > box.clientHeight + 1, top };
    }));
    assert.ok(lanes.some((lane) => lane.scrollable), 'some lane has more than fits');
    assert.deepEqual(lanes.filter((lane) => !lane.ok), [], 'every finished lane shows the start of its answer');
    const texts = await page.locator('[data-testid=lane] [data-testid=message]').allInnerTexts();
    assert.ok(texts.every((text) => !/(?:^|\n)\s*TERMINATE\s*$/.test(text.replace(/ended the chat \(TERMINATE\)/, '').trimEnd())), 'no bare TERMINATE line');
    assert.ok(await page.getByTestId('stop-phrase').count() >= 1);
    assert.match(await page.getByTestId('stop-phrase').first().innerText(), /TERMINATE/);
  });

  it('web_team\'s three members fill the row with their status pills on the title line; the team picker\'s labels fit', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/team?team=web_team`);
    await page.getByLabel('Team', { exact: true }).locator('option[value=web_team]').waitFor({ state: 'attached' });
    // Every team's label fits the picker: its text is no wider than the select's content box.
    const clipped = await page.getByLabel('Team', { exact: true }).evaluate((select: HTMLSelectElement) => {
      const style = getComputedStyle(select);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // the arrow
      return [...select.options].filter((option) => context.measureText(option.text).width > room).map((option) => option.text);
    });
    assert.deepEqual(clipped, []);
    await page.getByRole('button', { name: 'Run team' }).click();
    await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 90_000 });
    const layout = await page.locator('.lanes').evaluate((grid) => {
      const lanes = [...grid.querySelectorAll('[data-testid=lane]')].map((lane) => lane.getBoundingClientRect());
      const pills = [...grid.querySelectorAll('[data-testid=lane] .lane-head')].map((head) => {
        const title = head.querySelector('.lane-title')!.getBoundingClientRect();
        const pill = head.querySelector('.pill')!.getBoundingClientRect();
        return Math.abs(pill.top + pill.height / 2 - (title.top + title.height / 2));
      });
      const row = lanes.filter((lane) => Math.abs(lane.top - lanes[0].top) < 1);
      return { count: lanes.length, inRow: row.length, used: row.at(-1)!.right - row[0].left, width: grid.getBoundingClientRect().width, pills };
    });
    assert.equal(layout.count, 3);
    assert.equal(layout.inRow, 3);
    assert.ok(layout.used >= layout.width - 2, `lanes use ${layout.used} of ${layout.width} px`);
    assert.ok(layout.pills.every((offset) => offset < 4), `pills on the title line: ${layout.pills.join(', ')}`);
  });
});
