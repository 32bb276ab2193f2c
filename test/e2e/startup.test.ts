import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Runs `src/main.ts` as a user would (Node 24, env only) and resolves on its first log line or its exit. */
function startMain(env: Record<string, string>) {
  // The embedded default is what these tests expect, whatever the developer's shell points at.
  const { DATABASE_URL: _database, REDIS_URL: _redis, AGENTSTREAM_CONFIG: _config, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const listening = new Promise<{ url?: string; code?: number | null }>((resolve) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+?)"/.exec(stderr);
      if (match) resolve({ url: match[1] });
    });
    child.on('exit', (code) => resolve({ code }));
  });
  return { child, listening, stderr: () => stderr };
}

test('starts on the embedded default with HOST and PORT from the environment, and stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-main-'));
  const main = startMain({ HOST: '127.0.0.1', PORT: '0', AGENTSTREAM_DATA_DIR: dataDir, DEMO_TOKEN_DELAY_MS: '0' });
  const { url } = await main.listening;
  assert.ok(url, main.stderr());
  const ready = (await (await fetch(`${url}/ready`)).json()) as { store: string; bus: string };
  assert.deepEqual([ready.store, ready.bus], ['sqlite', 'in-process']);
  const run = (await (await fetch(`${url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'assistant', input: 'what time is it in Tokyo?', stream: false }) })).json()) as { status: string; output: string };
  assert.equal(run.status, 'completed');
  const exited = new Promise((resolve) => main.child.on('exit', resolve));
  main.child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('refuses to start on a config naming an unknown tool, and names the line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentstream-badconfig-'));
  const file = join(dir, 'agentstream.config.json');
  writeFileSync(file, '{\n  "agents": [\n    { "id": "poet", "tools": ["teleport"] }\n  ]\n}\n');
  const main = startMain({ PORT: '0', AGENTSTREAM_DATA_DIR: dir, AGENTSTREAM_CONFIG: file });
  const { code } = await main.listening;
  assert.equal(code, 78);
  assert.match(main.stderr(), /agentstream\.config\.json:3: agent 'poet' names unknown tool 'teleport'/);
});
