/**
 * Saves screenshots of every view (light and dark, desktop and phone) under docs/screenshots/, against
 * the real server with the demo model. Usage: node scripts/take-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, startUiServer } from '../test/e2e/support/browser.ts';
import { postJson } from '../test/e2e/support/sse.ts';

const outDir = resolve(fileURLToPath(new URL('../docs/screenshots', import.meta.url)));
mkdirSync(outDir, { recursive: true });

const server = await startUiServer({ demoTokenDelayMs: 12 });
const runIds: Record<string, string> = {};
for (const [key, body] of Object.entries({
  assistant: { agent: 'assistant', input: 'What is 12 * (3 + 4)?' },
  research: { team: 'research', input: 'AI trends 2024' },
  business: { team: 'business_insights', input: 'Generate a monthly business report for our sales performance' },
  web: { team: 'web_team', input: 'Create a landing page for a coffee subscription' },
  chat: { agent: 'chat', input: 'Tell me about streaming APIs' },
})) {
  const response = await postJson(`${server.url}/v1/runs`, { ...body, background: true });
  runIds[key] = ((await response.json()) as { runId: string }).runId;
}
const cancelled = (await (await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What was our revenue by region?', background: true })).json()) as { runId: string };
await postJson(`${server.url}/v1/runs/${cancelled.runId}/cancel`, {});
await waitForRunsToEnd(Object.values(runIds));

async function waitForRunsToEnd(ids: string[]): Promise<void> {
  for (const id of ids) {
    // The events stream ends with the run's terminal event.
    await fetch(`${server.url}/v1/runs/${id}/events`).then((response) => response.arrayBuffer());
  }
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage });
  console.log('saved', `docs/screenshots/${name}.png`);
}

for (const scheme of ['light', 'dark'] as const) {
  const browser = await launchBrowser({ colorScheme: scheme, viewport: { width: 1366, height: 900 } });
  const { page } = browser;

  await page.goto(`${server.url}/agent`);
  await page.getByLabel('Message').fill('What is 12 * (3 + 4)?');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('[data-testid=tool-card][data-status=completed]').waitFor();
  await page.locator('[data-testid=reasoning] summary').first().click();
  await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
  await shoot(page, `agent-${scheme}`);

  await page.goto(`${server.url}/team?team=research`);
  await page.getByRole('button', { name: 'Run team' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lane][data-status=running]').length >= 3, null, { timeout: 30_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=lane][data-status=running] [data-testid=message]')].length >= 2, null, { timeout: 30_000 });
  await shoot(page, `team-live-${scheme}`);
  await page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 60_000 });
  await shoot(page, `team-done-${scheme}`, true);

  await page.goto(`${server.url}/runs`);
  await page.locator('[data-testid=run-row]').first().waitFor();
  await shoot(page, `runs-${scheme}`);

  await page.goto(`${server.url}/runs/${runIds.web}`);
  await page.getByRole('radio', { name: '1×' }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=replay-controls]')?.getAttribute('data-position')) > 120, null, { timeout: 30_000 });
  await page.getByRole('button', { name: /Pause/ }).click();
  await shoot(page, `replay-${scheme}`);

  await page.goto(`${server.url}/analytics/${runIds.research}`);
  await page.locator('[data-testid=timeline-chart] .recharts-bar-rectangle').first().waitFor();
  await shoot(page, `analytics-run-${scheme}`, true);

  await page.goto(`${server.url}/analytics`);
  await page.locator('.recharts-bar-rectangle').first().waitFor();
  await page.getByTestId('cross-run').waitFor();
  await shoot(page, `analytics-overview-${scheme}`, true);
  await browser.close();
}

const phone = await launchBrowser({ colorScheme: 'light', viewport: { width: 390, height: 844 } });
await phone.page.goto(`${server.url}/agent`);
await phone.page.getByLabel('Message').fill('What is 12 * (3 + 4)?');
await phone.page.getByRole('button', { name: 'Send' }).click();
await phone.page.locator('[data-testid=run-bar][data-status=completed]').waitFor({ timeout: 30_000 });
await shoot(phone.page, 'agent-phone');
await phone.page.goto(`${server.url}/client`);
await phone.page.getByRole('button', { name: 'Run team' }).click();
await phone.page.waitForFunction(() => document.querySelectorAll('[data-testid=lane]').length >= 2, null, { timeout: 30_000 });
await phone.page.getByTestId('lanes').evaluate((element) => element.scrollIntoView({ block: 'start' }));
await shoot(phone.page, 'team-phone');
await phone.page.goto(`${server.url}/analytics/${runIds.assistant}`);
await phone.page.locator('[data-testid=event-type-chart] .recharts-bar-rectangle').first().waitFor();
await shoot(phone.page, 'analytics-phone', true);
await phone.close();
await server.close();
