import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { RunRecord } from '../../client/api-types.ts';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import { postJson } from './support/sse.ts';
import type { TestServer } from './support/test-server.ts';

// Stage one runs chat and supervised side by side; supervised pauses for approval of its calculator call.
const CHECKED_TEAM = {
  id: 'checked', mode: 'pipeline' as const, members: ['chat', 'supervised'],
  stages: [{ name: 'work', members: ['chat', 'supervised'] }, { name: 'final', members: ['chat'] }],
};

describe('web UI: human in the loop', { skip: browserSkip }, () => {
  let server: TestServer;
  let browser: UiBrowser;
  before(async () => {
    server = await startUiServer({ demoTokenDelayMs: 5 }, { app: { teams: [CHECKED_TEAM] } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const getRun = async (runId: string) => (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as RunRecord;

  async function askSupervised(page: Page, text: string): Promise<Locator> {
    await page.getByLabel('Message').fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    return page.getByTestId('active-turn');
  }

  it('agent view: shows the approval inline, and Approve continues the same stream to the answer', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/agent?agent=supervised`);
    await page.getByLabel('Agent', { exact: true }).locator('option[value=supervised]').waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Agent', { exact: true }).inputValue(), 'supervised');
    const turn = await askSupervised(page, 'What is 12 * 7?');
    const card = turn.getByRole('region', { name: 'Approval needed: calculator' });
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /calculator/);
    assert.match(text, /needs your approval/);
    assert.match(text, /"expression": "12 \* 7"/);
    assert.match(text, /Expires .* if nobody answers/);
    assert.equal(await turn.getByTestId('run-status').innerText(), 'waiting for you');
    assert.equal(await turn.locator('[data-testid=tool-card][data-status]').count(), 0, 'the tool has not run');
    assert.ok(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled(), 'the next message waits for the answer');
    const runId = (await turn.getByTestId('run-bar').getAttribute('data-run-id'))!;
    const seqAtPause = Number(await turn.getByTestId('event-count').getAttribute('data-last-seq'));
    assert.equal((await getRun(runId)).status, 'awaiting_input');

    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.equal(await card.count(), 0, 'the card goes once the input is taken');
    assert.match(await turn.locator('[data-testid=tool-card][data-tool=calculator]').innerText(), /"result": 84/);
    assert.match(await turn.getByTestId('message').last().innerText(), /The calculator gives 84/);
    const run = await getRun(runId);
    assert.equal(run.status, 'completed');
    // The page's one stream carried the pause and what followed: it counted every event of the run.
    assert.ok(run.lastSeq > seqAtPause);
    assert.equal(await turn.getByTestId('event-count').getAttribute('data-last-seq'), String(run.lastSeq));
    assert.equal(await turn.getByTestId('event-count').getAttribute('data-missing'), '0');
  });

  it('agent view: Edit refuses text that is not JSON, then runs the call with the edited arguments', async () => {
    const { page } = browser;
    const turn = await askSupervised(page, 'What is 12 * 7?');
    const card = turn.getByRole('region', { name: 'Approval needed: calculator' });
    await card.getByRole('button', { name: 'Edit' }).click();
    const argsBox = card.getByLabel('Arguments (JSON)');
    assert.deepEqual(JSON.parse(await argsBox.inputValue()), { expression: '12 * 7' }, 'prefilled with the call\'s arguments');
    await argsBox.fill('{"expression": "2 + 3"');
    await card.getByRole('button', { name: 'Approve with these arguments' }).click();
    assert.match(await card.getByRole('alert').innerText(), /not valid JSON/);
    await argsBox.fill('{"expression": "2 + 3"}');
    await card.getByRole('button', { name: 'Approve with these arguments' }).click();
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    const tool = turn.locator('[data-testid=tool-card][data-tool=calculator]');
    assert.match(await tool.innerText(), /"expression": "2 \+ 3"/);
    assert.match(await tool.innerText(), /"result": 5\b/);
    assert.match(await turn.getByTestId('message').last().innerText(), /The calculator gives 5\b/);
  });

  it('agent view: Reject sends the reason, the tool never runs and the agent goes on', async () => {
    const { page } = browser;
    const turn = await askSupervised(page, 'What is 12 * 7?');
    const card = turn.getByRole('region', { name: 'Approval needed: calculator' });
    await card.getByRole('button', { name: 'Reject' }).click();
    await card.getByLabel(/Reason/).fill('do it by hand');
    await card.getByRole('button', { name: 'Reject call' }).click();
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    const tool = turn.locator('[data-testid=tool-card][data-tool=calculator]');
    assert.equal(await tool.getAttribute('data-status'), 'failed');
    assert.match(await tool.innerText(), /tool_rejected: .*do it by hand/);
  });

  it('agent view: a refused decision shows the server\'s error on the card, which stays usable', async () => {
    const { page } = browser;
    const turn = await askSupervised(page, 'What is 12 * 7?');
    const card = turn.getByRole('region', { name: 'Approval needed: calculator' });
    await card.waitFor();
    // A real lost race leaves no card to click (input.received removes it), so the server's refusal is played
    // once, with the exact body the server sends for it.
    // It is held until the card has been seen disabled while sending.
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/v1/runs/*/input', async (route) => {
      await held;
      await route.fulfill({
        status: 409, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'input_conflict', message: 'Someone else answered this run first.' } }),
      });
    }, { times: 1 });
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    for (const name of ['Approve', 'Edit', 'Reject']) assert.ok(await card.getByRole('button', { name, exact: true }).isDisabled(), `${name} is disabled while sending`);
    release();
    assert.match(await card.getByRole('alert').innerText(), /Someone else answered this run first\./);
    assert.ok(await card.getByRole('button', { name: 'Approve', exact: true }).isEnabled());
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.match(await turn.getByTestId('message').last().innerText(), /84/);
  });

  it('agent view: two calls of one step wait side by side; deciding one leaves the other waiting', async () => {
    const { page } = browser;
    const turn = await askSupervised(page, 'What is 2 + 2, and what time is it in UTC?');
    const calculator = turn.getByRole('region', { name: 'Approval needed: calculator' });
    const clock = turn.getByRole('region', { name: 'Approval needed: clock' });
    await calculator.waitFor();
    await clock.waitFor();
    await calculator.getByRole('button', { name: 'Approve', exact: true }).click();
    await calculator.waitFor({ state: 'detached' });
    assert.equal(await turn.getByTestId('run-status').innerText(), 'waiting for you', 'still waiting on the clock');
    assert.ok(await clock.getByRole('button', { name: 'Approve', exact: true }).isEnabled());
    await clock.getByRole('button', { name: 'Reject' }).click();
    await clock.getByRole('button', { name: 'Reject call' }).click();
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.equal(await turn.locator('[data-testid=tool-card][data-tool=calculator]').getAttribute('data-status'), 'completed');
    assert.equal(await turn.locator('[data-testid=tool-card][data-tool=clock]').getAttribute('data-status'), 'failed');
  });

  it('agent view: a question gets an answer box, and the answer reaches the agent', async () => {
    const { page } = browser;
    const turn = await askSupervised(page, 'Ask me: which colour?');
    const card = turn.getByRole('region', { name: /^Question from / });
    await card.waitFor();
    assert.match(await card.innerText(), /which colour\?/);
    assert.equal(await turn.getByTestId('run-status').innerText(), 'waiting for you');
    const send = card.getByRole('button', { name: 'Send answer' });
    assert.ok(await send.isDisabled(), 'nothing to send yet');
    await card.getByLabel('Your answer').fill('Teal, mostly.');
    assert.ok(await send.isEnabled());
    await card.getByLabel('Your answer').press('Enter'); // Enter sends, as in the composer
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.match(await turn.getByTestId('message').last().innerText(), /Teal/);
  });

  it('agent view: a turn sent without streaming that pauses is followed live and can be approved', async () => {
    const { page } = browser;
    await page.getByTestId('stream-toggle').uncheck();
    const turn = await askSupervised(page, 'What is 9 * 9?');
    const card = turn.getByRole('region', { name: 'Approval needed: calculator' });
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await turn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.match(await turn.getByTestId('message').last().innerText(), /81/);
    await page.getByTestId('stream-toggle').check();
  });

  it('team view: the approval shows in the supervised member\'s lane, and the team completes after Approve', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/team?team=checked`);
    await page.getByLabel('Team', { exact: true }).locator('option[value=checked]').waitFor({ state: 'attached' });
    await page.getByLabel('Team', { exact: true }).selectOption('checked');
    await page.getByLabel('Task for the team').fill('What is 12 * 7?');
    await page.getByRole('button', { name: 'Run team' }).click();
    const lane = page.locator('[data-testid=lane][data-lane="checked/supervised"]');
    const card = lane.getByRole('region', { name: 'Approval needed: calculator' });
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /"expression": "12 \* 7"/);
    assert.equal(await lane.getAttribute('data-status'), 'awaiting_input');
    assert.match(await lane.innerText(), /waiting for you/);
    assert.equal(await page.getByRole('region', { name: /^Approval needed/ }).count(), 1, 'only in the lane that asked');
    assert.equal(await page.getByTestId('run-status').innerText(), 'waiting for you');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 60_000 });
    // A lane folds tool output away; its status and the member's own message show the call ran.
    assert.equal(await lane.locator('[data-testid=tool-card][data-tool=calculator]').getAttribute('data-status'), 'completed');
    assert.match(await lane.getByTestId('message').last().innerText(), /84/);
    await page.getByTestId('team-answer').waitFor();
    assert.equal(await page.getByRole('region', { name: /^Approval needed/ }).count(), 0);
  });

  it('run page: a paused run opened later from the history shows the approval and goes on live after Approve', async () => {
    const { page } = browser;
    // Started elsewhere and left paused: stream:false answers at the pause.
    const paused = await (await postJson(`${server.url}/v1/runs`, { agent: 'supervised', input: 'What is 12 * 7?', stream: false })).json();
    assert.equal(paused.status, 'awaiting_input');
    await page.goto(`${server.url}/runs`);
    await page.getByLabel('Status').selectOption('awaiting_input');
    const row = page.locator(`[data-testid=run-row][data-run-id="${paused.runId}"]`);
    await row.waitFor();
    // The list reloads with the filter: wait for it to hold nothing but the paused run.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=run-row]').length === 1, null, { timeout: 10_000 });
    assert.match(await row.innerText(), /waiting for you/);
    await row.getByRole('link', { name: 'What is 12 * 7?' }).click();
    await page.waitForURL(`**/runs/${paused.runId}`);
    const live = page.getByTestId('live-run');
    const card = live.getByRole('region', { name: 'Approval needed: calculator' });
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /"expression": "12 \* 7"/);
    assert.equal(await live.getByTestId('run-status').innerText(), 'waiting for you');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await live.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.match(await live.getByTestId('message').last().innerText(), /The calculator gives 84/);
    assert.equal((await getRun(paused.runId)).status, 'completed');
  });
});
