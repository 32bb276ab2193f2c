import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startUiServer, type UiBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';

const KEY = 'key-of-tenant-a-0123456789';

describe('web UI: a server with keys', () => {
  let server: TestServer;
  let browser: UiBrowser;
  before(async () => {
    server = await startUiServer({ apiKeys: `tenant_a:${KEY}` });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for the key on a 401, keeps it for the session, sends it on requests and the stream, and forgets it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/agent`);
    const prompt = page.getByRole('dialog', { name: 'API key needed' });
    await prompt.waitFor();
    assert.match(await prompt.innerText(), /This server needs an API key/);

    await page.getByTestId('api-key-input').fill('a-wrong-key');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByRole('dialog', { name: 'API key needed' }).getByText('The server did not accept the key you gave.').waitFor();

    await page.getByTestId('api-key-input').fill(KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByTestId('demo-notice').waitFor();
    assert.equal(await page.getByRole('dialog', { name: 'API key needed' }).count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('agentstream.apiKey')), KEY);

    // A streamed run goes through with the key: it is tenant_a's.
    await page.getByLabel('Message').fill('What is 12 * (3 + 4)?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=message]')?.textContent?.includes('84'));
    const listed = await (await fetch(`${server.url}/v1/runs`, { headers: { authorization: `Bearer ${KEY}` } })).json() as { runs: { input: string }[] };
    assert.deepEqual(listed.runs.map((run) => run.input), ['What is 12 * (3 + 4)?']);

    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByRole('dialog', { name: 'API key needed' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('agentstream.apiKey')), null);
  });
});
