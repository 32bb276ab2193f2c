import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/events/run-event.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { waitForListening } from './support/start-main.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A production install as the README gives it: a clean clone of what is committed, `npm ci --omit=dev`
 * (no vite, no TypeScript, no pinned-Node package), then `npm start` on Node 24. The UI must come from the
 * committed build and every module the server loads must be a runtime dependency.
 */
describe('production install: a clean clone, npm ci --omit=dev, npm start on Node 24', { timeout: 600_000 }, () => {
  let clone: string;
  let child: ReturnType<typeof spawn> | undefined;
  before(async () => {
    clone = join(mkdtempSync(join(tmpdir(), 'agentstream-prod-')), 'agentstream');
    await run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--silent'], { cwd: clone });
  });
  after(async () => {
    // npm start's own children (node src/main.ts) share its process group: stop them all, then wait.
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dirname(clone), { recursive: true, force: true });
  });

  it('installs no dev tooling, serves the UI at / and streams a run', async () => {
    for (const dev of ['vite', 'typescript', 'node', '@vitejs/plugin-react', 'playwright-core']) assert.ok(!existsSync(join(clone, 'node_modules', dev)), `${dev} is not installed`);
    const { DATABASE_URL: _d, REDIS_URL: _r, AGENTSTREAM_CONFIG: _c, ...env } = process.env;
    // Node 24 first on PATH: `npm start` runs `node`, which then strips the types of src/*.ts itself.
    child = spawn('npm', ['start', '--silent'], {
      cwd: clone, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      env: { ...env, PATH: `${dirname(process.execPath)}:${env.PATH ?? ''}`, PORT: '0', LOG_LEVEL: 'info', DEMO_TOKEN_DELAY_MS: '0' },
    });
    const url = await waitForListening(child, 'npm start');
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /<div id="root">/);
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the built UI references its bundle');
    assert.equal((await fetch(`${url}${script}`)).status, 200);

    const events: RunEvent[] = await collectRunEvents(await postJson(`${url}/v1/runs`, { agent: 'assistant', input: 'What is 2+3?', stream: true }));
    assert.equal(events.at(-1)?.type, 'run.completed');
    assert.ok(events.some((event) => event.type === 'tool.completed'));
  });
});
