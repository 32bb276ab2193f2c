import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startMain } from './support/start-main.ts';


test('starts on the embedded default with HOST and PORT from the environment, and stops on SIGTERM', async () => {
  // A data directory that does not exist yet, as on a fresh clone: the server makes it.
  const dataDir = join(mkdtempSync(join(tmpdir(), 'agentstream-main-')), 'data');
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
