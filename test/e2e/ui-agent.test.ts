import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunRecord } from '../../client/api-types.ts';
import { launchBrowser, startUiServer, type UiBrowser, browserSkip } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';

describe('web UI: agent view', { skip: browserSkip }, () => {
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

  const getRun = async (runId: string) => (await (await fetch(`${server.url}/v1/runs/${runId}`)).json()) as RunRecord;

  it('streams the answer in several paints, shows the tool card and completes; the model is labelled simulated', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/agent`);
    await page.getByTestId('demo-notice').waitFor();
    assert.match(await page.getByTestId('demo-notice').innerText(), /Simulated model/);
    assert.equal(await page.getByLabel('Model', { exact: true }).locator('option:checked').innerText(), 'demo (simulated)');
    assert.equal(await page.getByLabel('Agent', { exact: true }).inputValue(), 'assistant');

    // Samples the answer's rendered length on every frame, so growth between paints is observed, not assumed.
    await page.evaluate(() => {
      const lengths: number[] = [];
      (window as unknown as { answerLengths: number[] }).answerLengths = lengths;
      const sample = () => {
        const messages = document.querySelectorAll('[data-testid=active-turn] [data-testid=message]');
        const length = messages.length ? (messages[messages.length - 1] as HTMLElement).innerText.length : 0;
        if (length !== (lengths.at(-1) ?? 0)) lengths.push(length);
        requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    await page.getByLabel('Message').fill('What is 12 * (3 + 4)?');
    await page.getByRole('button', { name: 'Send' }).click();

    const activeTurn = page.getByTestId('active-turn');
    // Reasoning is shown open while it streams in.
    await activeTurn.locator('[data-testid=reasoning][data-streaming=true][open]').first().waitFor();
    const tool = activeTurn.locator('[data-testid=tool-card][data-tool=calculator]');
    await tool.waitFor();
    await activeTurn.locator('[data-testid=tool-card][data-status=completed]').waitFor();
    assert.match(await tool.innerText(), /"result": 84/);
    assert.match(await tool.innerText(), /"expression": "12 \* \(3 \+ 4\)"/);
    await activeTurn.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });

    const runId = (await activeTurn.getByTestId('run-bar').getAttribute('data-run-id'))!;
    const run = await getRun(runId);
    assert.equal(run.status, 'completed');
    const message = activeTurn.getByTestId('message').last();
    assert.match(await message.innerText(), /The calculator gives 84/);
    const lengths = await page.evaluate(() => (window as unknown as { answerLengths: number[] }).answerLengths);
    const growing = lengths.filter((length, index) => index === 0 || length > lengths[index - 1]);
    assert.ok(growing.length >= 4, `the answer grew in ${growing.length} paints: ${lengths.join(',')}`);
    assert.equal(lengths.at(-1), (await message.innerText()).length);
    assert.equal(await activeTurn.getByTestId('event-count').getAttribute('data-last-seq'), String(run.lastSeq));

    // Once the agent has moved on, reasoning is folded away until asked for, by click or keyboard.
    const reasoning = activeTurn.getByTestId('reasoning').first();
    assert.equal(await reasoning.evaluate((element) => (element as HTMLDetailsElement).open), false);
    await reasoning.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await reasoning.evaluate((element) => (element as HTMLDetailsElement).open), true);
    assert.match(await reasoning.innerText(), /calculator/);
  });

  it('keeps the session across messages', async () => {
    const { page } = browser;
    const sessionId = await page.getByTestId('session-id').innerText();
    assert.match(sessionId, /^ses_/);
    await page.getByLabel('Message').fill('And what is 2 + 2?');
    await page.keyboard.press('Enter');
    await page.getByTestId('turn').first().waitFor();
    await page.locator('[data-testid=active-turn] [data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('session-id').innerText(), sessionId);
    const runIds = await page.locator('[data-testid=run-bar]').evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-run-id')));
    assert.equal(runIds.length, 2);
    for (const runId of runIds) assert.equal((await getRun(runId!)).sessionId, sessionId);
    const session = (await (await fetch(`${server.url}/v1/sessions/${sessionId}`)).json()) as { messages: { role: string }[] };
    assert.deepEqual(session.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant']);
  });

  it('cancels a run for real from the Cancel button', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel('Message').fill('Search the knowledge base for vector databases and explain them');
    await page.getByRole('button', { name: 'Send' }).click();
    const activeTurn = page.getByTestId('active-turn');
    await activeTurn.locator('[data-testid=run-bar][data-status=running]').waitFor();
    await activeTurn.getByTestId('reasoning').first().waitFor();
    const runId = (await activeTurn.getByTestId('run-bar').getAttribute('data-run-id'))!;
    await activeTurn.getByTestId('cancel').click();
    await activeTurn.getByTestId('run-cancelled').waitFor();
    assert.equal(await activeTurn.getByTestId('run-status').getAttribute('data-status'), 'cancelled');
    assert.equal((await getRun(runId)).status, 'cancelled');
    assert.equal(await activeTurn.getByTestId('cancel').count(), 0, 'no Cancel button once the run has ended');
  });
});
