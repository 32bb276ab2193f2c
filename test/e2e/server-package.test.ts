import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildPackage } from '../../scripts/build-package.ts';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { waitForListening } from './support/start-main.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The machine's npm, as a user would run it. */
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false' } });

// A user's own server, from the installed package only: its own tool and agent, created and listening from code.
const SERVER_SCRIPT = `import { createServer, defineAgent, defineTool } from 'agentstream';
const shout = defineTool({
  name: 'shout', description: 'Upper-cases a text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: async ({ text }) => text.toUpperCase(),
});
const server = await createServer({ tools: [shout], agents: [defineAgent({ id: 'shouter', instructions: 'Shout.', tools: ['shout'] })], port: 0, databaseFile: ':memory:', logLevel: 'silent' });
const url = await server.listen();
try {
  const response = await fetch(url + '/v1/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'shouter', input: 'Please use shout: hello package' }) });
  const stream = await response.text();
  const events = stream.split('\\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)));
  const page = await fetch(url + '/');
  console.log(JSON.stringify({ types: events.map((event) => event.type), tool: events.find((event) => event.type === 'tool.completed'), ui: page.status, html: (await page.text()).includes('<div id="root">') }));
} finally {
  await server.close();
}
`;

// `agentstream serve` in the project, reading the project's config module, which imports the package too.
const CONFIG_MODULE = `import { defineAgent, defineTool } from 'agentstream';
export default {
  tools: [defineTool({ name: 'count_letters', description: 'Counts letters', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }, execute: async ({ text }) => text.length })],
  agents: [defineAgent({ id: 'counter', instructions: 'Count.', tools: ['count_letters'] })],
};
`;

// A TypeScript consumer: the package's .d.ts type its API (a wrong use must fail to compile).
const TYPED_CONSUMER = `import { createServer, defineAgent, defineTool, type RunEvent } from 'agentstream';
export const tool = defineTool({ name: 'echo', description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } } }, execute: async () => 1 });
export const agent = defineAgent({ id: 'a', instructions: 'x', tools: ['echo'] });
export const start = async (): Promise<string> => (await createServer({ tools: [tool], agents: [agent], port: 0 })).listen();
export const seqOf = (event: RunEvent): number => event.seq;
// @ts-expect-error seq is a number: with untyped (any) events this line would compile and tsc would fail
export const wrong = (event: RunEvent): string => event.seq;
`;

describe('the server package: built, packed and installed into a fresh project', { timeout: 600_000 }, () => {
  let work: string;
  let project: string;
  let installed: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'agentstream-server-pack-'));
    project = join(work, 'project');
    mkdirSync(project);
    await ensureWebBuild({ quiet: true });
    const packageDir = buildPackage({ outDir: join(work, 'package'), quiet: true });
    await npm(['pack', packageDir, '--pack-destination', work, '--silent'], work);
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-project', private: true, type: 'module' }));
    // --omit=dev as in production; the dependencies come from the npm cache the repo's install filled.
    await npm(['install', join(work, tarball), '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--silent'], project);
    installed = join(project, 'node_modules/agentstream');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships compiled JavaScript, declarations, the tools\' data, the built UI and the CLI; entry points are .js; publishable', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown> & { exports: Record<string, { types: string; default: string }>; bin: Record<string, string>; dependencies: Record<string, string>; engines: Record<string, string> };
    assert.equal(manifest.private, undefined, 'the published manifest is not private');
    assert.deepEqual(manifest.exports['.'], { types: './src/index.d.ts', default: './src/index.js' });
    assert.equal(manifest.main, './src/index.js');
    assert.equal(manifest.types, './src/index.d.ts');
    assert.equal(manifest.bin.agentstream, 'bin/agentstream.mjs');
    assert.equal(manifest.devDependencies, undefined);
    assert.equal(manifest.scripts, undefined, 'no install or build scripts run at the user\'s');
    const repo = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.deepEqual(manifest.dependencies, repo.dependencies);
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
    const shipped = files(installed).map((file) => file.slice(installed.length + 1));
    for (const file of ['src/index.js', 'src/index.d.ts', 'src/cli/main.js', 'client/agentstream-client.js', 'src/tools/data/sales.csv', 'web/dist/index.html', 'bin/agentstream.mjs', 'LICENSE', 'README.md']) {
      assert.ok(shipped.includes(file), `ships ${file}`);
    }
    assert.deepEqual(shipped.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), [], 'no TypeScript sources');
    assert.ok(!shipped.some((file) => file.includes('.test.') || file.includes('__fixtures__')), 'no tests');
    const index = readFileSync(join(installed, 'src/index.js'), 'utf8');
    assert.match(index, /from '\.\/tools\/define-tool\.js'/, 'relative specifiers rewritten to .js');
  });

  it('imports { defineTool, defineAgent, createServer } in a .mjs file and serves a run that calls its own tool, and the UI', async () => {
    writeFileSync(join(project, 'server.mjs'), SERVER_SCRIPT);
    const { stdout } = await run(process.execPath, ['server.mjs'], { cwd: project, env: { ...cleanEnv(), DEMO_TOKEN_DELAY_MS: '0' } });
    const result = JSON.parse(stdout) as { types: string[]; tool: { toolName: string; result: string }; ui: number; html: boolean };
    assert.equal(result.types[0], 'run.started');
    assert.equal(result.types.at(-1), 'run.completed');
    assert.equal(result.tool.toolName, 'shout');
    assert.equal(result.tool.result, 'HELLO PACKAGE');
    assert.equal(result.ui, 200, 'the package serves its own built UI');
    assert.ok(result.html);
  });

  it('`agentstream serve` (the installed bin) loads the project\'s agentstream.config.mjs and answers a run', async () => {
    writeFileSync(join(project, 'agentstream.config.mjs'), CONFIG_MODULE);
    const child = spawn(process.execPath, [join(project, 'node_modules/.bin/agentstream'), 'serve'], {
      cwd: project, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...cleanEnv(), PORT: '0', LOG_LEVEL: 'info', DEMO_TOKEN_DELAY_MS: '0', AGENTSTREAM_DATA_DIR: join(work, 'data') },
    });
    try {
      const url = await waitForListening(child, 'agentstream serve');
      const response = await fetch(`${url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'counter', input: 'Please use count_letters: abcdef', stream: false }) });
      const result = (await response.json()) as { status: string; output: string };
      assert.equal(result.status, 'completed');
      assert.match(result.output, /count_letters tool returned:? 6/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('type-checks a strict TypeScript consumer against the shipped declarations', async () => {
    writeFileSync(join(project, 'consumer.ts'), TYPED_CONSUMER);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      // skipLibCheck: the dependencies' own declarations (and their @types) are theirs to check, ours are used below.
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', lib: ['es2023'], skipLibCheck: true, types: [], typeRoots: [join(ROOT, 'node_modules/@types')] },
      files: ['consumer.ts'],
    }));
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project }).catch((error: { stdout: string }) => {
      assert.fail(`tsc failed:\n${error.stdout}`);
    });
  });
});

/** The environment without this machine's store, bus and config settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, REDIS_URL: _r, AGENTSTREAM_CONFIG: _c, AGENTSTREAM_WEB_DIR: _w, ...env } = process.env;
  return env;
}
