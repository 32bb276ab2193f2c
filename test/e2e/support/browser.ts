import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../../scripts/ensure-web-build.ts';
import type { ServerConfig } from '../../../src/config/server-config.ts';
import type { ServerParts } from '../../../src/create-server.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** The built UI that the server serves (absolute path). */
export const WEB_DIST = resolve(fileURLToPath(new URL('../../../web/dist', import.meta.url)));

/** Debian's Chromium; playwright-core drives it, nothing is downloaded. */
export const CHROMIUM_PATH = process.env.AGENTSTREAM_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or undefined when they can: outside CI a machine without
 * /usr/bin/chromium skips them with this reason (as the PostgreSQL and Redis tests do); under CI=true they
 * run anyway and fail, since `.ci/run` installs Chromium.
 */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests`;
  if (process.env.CI === 'true') {
    process.stderr.write(`${reason}. CI=true: the browser tests run anyway and fail.\n`);
    return undefined;
  }
  process.stderr.write(`skipping browser tests: ${reason}\n`);
  return reason;
}

/** Passed as `{ skip }` to every test that drives Chromium. */
export const browserSkip = chromiumSkipReason();

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/** A browser with one page; `close` also fails the test if the page threw. */
export type UiBrowser = { context: BrowserContext; page: Page; close(): Promise<void> };

/** Chromium with a fresh user-data dir and one page; `colorScheme` and viewport as asked. */
export async function launchBrowser(options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<UiBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'agentstream-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1366, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context, page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      if (errors.length) throw new Error(`The page threw: ${errors.join('; ')}`);
    },
  };
}

/** Builds the UI if its sources changed, then starts the real server serving it, with paced demo tokens (and `parts`, e.g. extra teams). */
export async function startUiServer(overrides: Partial<ServerConfig> = {}, parts: ServerParts = {}): Promise<TestServer> {
  await ensureWebBuild({ quiet: true });
  return startTestServer({ ...overrides, webDir: WEB_DIST, demoTokenDelayMs: overrides.demoTokenDelayMs ?? 10 }, parts);
}
