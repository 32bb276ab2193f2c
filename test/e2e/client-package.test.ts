import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { browserSkip, launchBrowser } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = join(ROOT, 'client');
/** The machine's npm, as a user would run it. */
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false' } });

const NODE_SCRIPT = `import { AgentstreamClient, StreamLostError, RunEventSchema } from 'agentstream-client';
const client = new AgentstreamClient({ baseUrl: process.argv[2] });
const types = [];
for await (const event of client.runs.stream({ agent: 'assistant', input: 'What is 6*7?' })) types.push(event.type);
const page = await client.runs.list({ limit: 1 });
const agents = await client.agents.list();
console.log(JSON.stringify({ types, listed: page.runs.length, agents: agents.map((agent) => agent.id), hasError: typeof StreamLostError, hasSchema: typeof RunEventSchema.parse }));
`;

// A TypeScript consumer: the package's .d.ts must give the events their types (narrowing on `type`).
const TYPED_CONSUMER = `import { AgentstreamClient, type RunEvent } from 'agentstream-client';
import { useAgentRun } from 'agentstream-client/react';
const client = new AgentstreamClient({ baseUrl: 'http://127.0.0.1:8000', apiKey: 'k' });
export async function answer(): Promise<string> {
  for await (const event of client.runs.stream({ team: 'research', input: 'x' })) {
    if (event.type === 'run.completed') return event.output;
    const seq: number = event.seq;
    void seq;
  }
  return '';
}
export const hook: typeof useAgentRun = useAgentRun;
// If the events were untyped (any), this expected error would be missing and tsc would fail.
// @ts-expect-error \`output\` exists only on run.completed
export const notNarrowed = (event: RunEvent): string => event.output;
export const check = (event: RunEvent) => (event.type === 'tool.completed' ? event.toolName : undefined);
`;

const BROWSER_ENTRY = `import { AgentstreamClient } from 'agentstream-client';
const client = new AgentstreamClient({ baseUrl: '' });
const deltas = [];
let last;
for await (const event of client.runs.stream({ agent: 'assistant', input: 'What is 6*7?' })) {
  if (event.type === 'message.delta') deltas.push(event.delta);
  last = event.type;
}
window.__result = { last, text: deltas.join('') };
`;

describe('the client package, packed and installed into a fresh project', { timeout: 600_000 }, () => {
  let work: string;
  let project: string;
  let server: TestServer;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'agentstream-client-pack-'));
    project = join(work, 'project');
    mkdirSync(project);
    server = await startTestServer();
    // `npm pack` runs the package's prepack: the tsc build into client/dist.
    await npm(['pack', '--pack-destination', work, '--silent'], CLIENT);
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-project', private: true, type: 'module' }));
    await npm(['install', join(work, tarball), '--no-audit', '--no-fund', '--prefer-offline', '--silent'], project);
  });
  after(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('ships JavaScript and types only, with the shared event schema inside', () => {
    const installed = join(project, 'node_modules/agentstream-client');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['eventsource-parser', 'zod']);
    assert.ok(manifest.peerDependencies.react);
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
    const shipped = files(installed).map((file) => file.slice(installed.length + 1));
    assert.ok(shipped.includes('dist/src/events/run-event-schema.js'));
    assert.ok(shipped.includes('dist/client/react/index.d.ts'));
    assert.deepEqual(shipped.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), [], 'no TypeScript sources');
    assert.ok(!shipped.some((file) => file.includes('.test.')), 'no tests');
  });

  it('streams a run from Node', async () => {
    writeFileSync(join(project, 'stream.mjs'), NODE_SCRIPT);
    const { stdout } = await run(process.execPath, ['stream.mjs', server.url], { cwd: project });
    const result = JSON.parse(stdout) as { types: string[]; listed: number; agents: string[]; hasError: string; hasSchema: string };
    assert.equal(result.types[0], 'run.started');
    assert.equal(result.types.at(-1), 'run.completed');
    assert.ok(result.types.includes('tool.completed'));
    assert.equal(result.listed, 1);
    assert.ok(result.agents.includes('assistant'));
    assert.equal(result.hasError, 'function');
    assert.equal(result.hasSchema, 'function');
  });

  it('type-checks in a strict TypeScript consumer', async () => {
    writeFileSync(join(project, 'consumer.ts'), TYPED_CONSUMER);
    // react's types come from the repo (a peer dependency the consumer would install).
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', lib: ['es2023', 'dom'], skipLibCheck: false, types: [], typeRoots: [join(ROOT, 'node_modules/@types')], paths: { react: [join(ROOT, 'node_modules/@types/react/index.d.ts')] } },
      files: ['consumer.ts'],
    }));
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project }).catch((error: { stdout: string }) => {
      assert.fail(`tsc failed:\n${error.stdout}`);
    });
  });

  it('bundles for the browser (vite build) and streams a run in Chromium', { skip: browserSkip }, async () => {
    writeFileSync(join(project, 'entry.js'), BROWSER_ENTRY);
    const { build } = await import('vite');
    await build({
      root: project, logLevel: 'warn', configFile: false,
      build: { outDir: join(project, 'dist'), lib: { entry: join(project, 'entry.js'), formats: ['es'], fileName: 'bundle' }, minify: false },
    });
    const bundle = readFileSync(join(project, 'dist/bundle.js'), 'utf8');
    assert.doesNotMatch(bundle, /from ['"](?:node:|eventsource-parser|zod)/, 'dependencies are bundled, nothing Node-only');
    const browser = await launchBrowser();
    try {
      await browser.page.goto(`${server.url}/health`);
      await browser.page.addScriptTag({ content: bundle, type: 'module' });
      const result = await browser.page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, { timeout: 30_000 });
      const value = (await result.jsonValue()) as { last: string; text: string };
      assert.equal(value.last, 'run.completed');
      assert.match(value.text, /42/);
    } finally {
      await browser.close();
    }
  });
});
