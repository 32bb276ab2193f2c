import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
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

/** Starts main.ts expecting it to refuse: its exit code and its stderr, which must be one line with no stack trace. */
async function refusal(env: Record<string, string>, options: { cwd?: string } = {}): Promise<{ code: number | null | undefined; line: string }> {
  const main = startMain(env, options);
  const { code, url } = await main.listening;
  if (url) main.child.kill('SIGKILL');
  assert.equal(url, undefined, `started anyway: ${main.stderr()}`);
  const lines = main.stderr().split('\n').filter((line) => line.trim() !== '' && !line.includes('ExperimentalWarning') && !line.includes('--trace-warnings'));
  assert.equal(lines.length, 1, `one line, got:\n${main.stderr()}`);
  assert.doesNotMatch(lines[0], /\bat .+:\d+:\d+/, 'no stack trace');
  return { code, line: lines[0] };
}

test('start-up failures are one clear line and a non-zero exit: port in use', async () => {
  const blocker = createNetServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const { code, line } = await refusal({ PORT: String(port), AGENTSTREAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'agentstream-inuse-')) });
    assert.equal(code, 1);
    assert.equal(line, `agentstream: cannot start: cannot listen on 127.0.0.1:${port}: the port is already in use (set PORT to another port, or stop the other process).`);
  } finally {
    blocker.close();
  }
});

test('start-up failures: a bad PORT, a bad LOG_LEVEL and a bad URL name their variable', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-badenv-'));
  const port = await refusal({ PORT: 'eighty', AGENTSTREAM_DATA_DIR: dataDir });
  assert.equal(port.code, 78);
  assert.equal(port.line, `agentstream: configuration error: PORT must be an integer from 0 to 65535, got 'eighty'.`);
  assert.match((await refusal({ PORT: '70000', AGENTSTREAM_DATA_DIR: dataDir })).line, /PORT must be an integer from 0 to 65535, got '70000'/);
  assert.match((await refusal({ LOG_LEVEL: 'loud', AGENTSTREAM_DATA_DIR: dataDir })).line, /^agentstream: configuration error: LOG_LEVEL must be one of trace, debug, info/);
  assert.match((await refusal({ REDIS_URL: 'http://127.0.0.1:6379', AGENTSTREAM_DATA_DIR: dataDir })).line, /REDIS_URL must start with redis:\/\/ or rediss:\/\//);
});

test('start-up failures: a data directory that cannot be created or written', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'agentstream-datadir-'));
  const file = join(folder, 'not-a-directory');
  writeFileSync(file, 'x');
  const isFile = await refusal({ AGENTSTREAM_DATA_DIR: file });
  assert.equal(isFile.code, 1);
  assert.equal(isFile.line, `agentstream: AGENTSTREAM_DATA_DIR '${file}' is not a directory.`);
  const under = await refusal({ AGENTSTREAM_DATA_DIR: join(file, 'data') });
  assert.equal(under.line, `agentstream: AGENTSTREAM_DATA_DIR '${join(file, 'data')}' cannot be created: a file is in the way.`);
});

test('start-up failures: unreachable PostgreSQL and Redis', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-unreachable-'));
  const postgres = await refusal({ DATABASE_URL: 'postgres://postgres:hunter2secret@127.0.0.1:1/test', AGENTSTREAM_DATA_DIR: dataDir });
  assert.equal(postgres.code, 1);
  assert.match(postgres.line, /^agentstream: cannot start: PostgreSQL at postgres:\/\/postgres:\*+@127\.0\.0\.1:1\/test is not usable: .*ECONNREFUSED/);
  assert.doesNotMatch(postgres.line, /hunter2secret/);
  const redis = await refusal({ REDIS_URL: 'redis://127.0.0.1:1', AGENTSTREAM_DATA_DIR: dataDir });
  assert.equal(redis.code, 1);
  assert.match(redis.line, /^agentstream: cannot start: Redis at redis:\/\/127\.0\.0\.1:1 did not answer: .*ECONNREFUSED/);
});

test('.env in the working directory is read at start, the real environment wins, and unknown AGENTSTREAM_* variables warn', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'agentstream-dotenv-'));
  writeFileSync(join(folder, '.env'), `AGENTSTREAM_DATA_DIR=${join(folder, 'from-dotenv')}\nAGENTSTREAM_MAX_CONCURRENT_RUNS=7\nAGENTSTREAM_PORTT=9000\n`);
  const main = startMain({ AGENTSTREAM_MAX_CONCURRENT_RUNS: '3', DEMO_TOKEN_DELAY_MS: '50' }, { cwd: folder });
  const { url } = await main.listening;
  try {
    assert.ok(url, main.stderr());
    assert.ok(existsSync(join(folder, 'from-dotenv', 'agentstream.db')), 'the data directory came from .env');
    const warning = main.stderr().split('\n').map((line) => line.trim()).filter(Boolean).map((line) => JSON.parse(line) as { level: string; message: string; variable?: string }).find((entry) => entry.variable);
    assert.deepEqual([warning?.level, warning?.variable], ['warn', 'AGENTSTREAM_PORTT']);
    // The real environment's 3 beats the file's 7: a fourth concurrent background run is refused.
    const start = () => fetch(`${url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'assistant', input: 'write a long essay about the sea', background: true, timeoutMs: 60_000 }) });
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await start()).status);
    assert.deepEqual(statuses, [202, 202, 202, 429]);
  } finally {
    main.child.kill('SIGKILL');
  }
});

test('start-up failures: a webhook allowlist without a secret, or with a malformed one, is one line that never shows the secret', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-webhook-startup-'));
  const missing = await refusal({ PORT: '0', AGENTSTREAM_DATA_DIR: dataDir, AGENTSTREAM_WEBHOOK_ALLOWLIST: 'https://hooks.example.com' });
  assert.equal(missing.code, 1);
  assert.match(missing.line, /^agentstream: AGENTSTREAM_WEBHOOK_ALLOWLIST is set but AGENTSTREAM_WEBHOOK_SECRET is not/);
  const malformed = await refusal({ PORT: '0', AGENTSTREAM_DATA_DIR: dataDir, AGENTSTREAM_WEBHOOK_ALLOWLIST: 'https://hooks.example.com', AGENTSTREAM_WEBHOOK_SECRET: 'whsec_%%hunter2%%' });
  assert.equal(malformed.code, 1);
  assert.match(malformed.line, /AGENTSTREAM_WEBHOOK_SECRET is not a Standard Webhooks secret/);
  assert.doesNotMatch(malformed.line, /hunter2/);
});
