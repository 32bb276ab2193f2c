import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../../scripts/ensure-web-build.ts';
import type { ServerConfig } from '../../../src/config/server-config.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** The built UI that the server serves (absolute path). */
export const WEB_DIST = resolve(fileURLToPath(new URL('../../../web/dist', import.meta.url)));

/** Debian's Chromium; playwright-core drives it, nothing is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

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

/** Builds the UI if its sources changed, then starts the real server serving it, with paced demo tokens. */
export async function startUiServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  await ensureWebBuild({ quiet: true });
  return startTestServer({ ...overrides, webDir: WEB_DIST, demoTokenDelayMs: overrides.demoTokenDelayMs ?? 10 });
}
