import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { createServer, defineAgent, defineTeam, defineTool } from '../../src/index.ts';
import type { RunEvent, RunEventOf } from '../../src/events/run-event.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { waitForListening } from './support/start-main.ts';

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((event): event is RunEventOf<T> => event.type === type);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// What the tools saw, so a test can tell that a cancelled call was really told to stop.
const seen = { abortedCalls: 0, started: 0 };
let releaseStarted: (() => void) | undefined;

const reverseText = defineTool({
  name: 'reverse_text',
  description: 'Reverses a text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: async ({ text }) => [...String(text)].reverse().join(''),
});
const shout = defineTool({
  name: 'shout',
  description: 'Upper-cases a text of at least 10 characters',
  inputSchema: z.object({ text: z.string().min(10) }),
  execute: ({ text }) => text.toUpperCase(),
});
const waitForever = defineTool({
  name: 'wait_forever',
  description: 'Waits until told to stop',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: (_input, { signal }) => new Promise((_resolve, reject) => {
    seen.started += 1;
    releaseStarted?.();
    signal.addEventListener('abort', () => {
      seen.abortedCalls += 1;
      reject(signal.reason);
    }, { once: true });
  }),
});
const slow = defineTool({
  name: 'slow_lookup',
  description: 'Never answers; its timeout ends it',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  timeoutMs: 100,
  execute: () => new Promise(() => {}),
});

describe('agents and tools defined in code (createServer)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({}, {
      app: {
        tools: [reverseText],
        agents: [
          defineAgent({ id: 'reverser', instructions: 'Reverse what you are given.', tools: ['reverse_text'] }),
          defineAgent({ id: 'shouter', tools: [shout] }),
          defineAgent({ id: 'waiter', tools: [waitForever, slow] }),
        ],
        teams: [defineTeam({ id: 'duo', mode: 'collaborate', members: ['reverser', defineAgent({ id: 'helper', tools: [reverseText] })] })],
      },
    });
  });
  after(() => server.close());

  const run = async (body: Record<string, unknown>) => collectRunEvents(await postJson(`${server.url}/v1/runs`, { stream: true, ...body }));

  it('lists the code tool and agents next to the built-ins', async () => {
    const tools = (await (await fetch(`${server.url}/v1/tools`)).json()) as { tools: { name: string; source: string }[] };
    assert.deepEqual(tools.tools.find((tool) => tool.name === 'reverse_text'), { ...tools.tools.find((tool) => tool.name === 'reverse_text'), source: 'code' });
    assert.equal(tools.tools.find((tool) => tool.name === 'calculator')?.source, 'builtin');
    const agents = (await (await fetch(`${server.url}/v1/agents`)).json()) as { agents: { id: string; tools: string[] }[] };
    assert.deepEqual(agents.agents.find((agent) => agent.id === 'reverser')?.tools, ['reverse_text']);
    assert.ok(agents.agents.some((agent) => agent.id === 'assistant'));
  });

  it('the demo model calls the tool the message names, with the text after the colon', async () => {
    const events = await run({ agent: 'reverser', input: 'Please use reverse_text: stressed' });
    assertWellFormedRun(events);
    const [started] = ofType(events, 'tool.started');
    assert.deepEqual(started.args, { text: 'stressed' });
    assert.equal(ofType(events, 'tool.completed')[0].result, 'desserts');
    const completed = ofType(events, 'run.completed')[0];
    assert.match(completed.output, /desserts/);
    assert.ok(completed.usage.totalTokens > 0);
  });

  it('arguments that fail the zod schema are tool.failed and the run goes on to complete', async () => {
    const events = await run({ agent: 'shouter', input: 'shout: short' });
    const failed = ofType(events, 'tool.failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0].error.message, /Invalid input for shout: text: Too small/i);
    assert.equal(events.at(-1)?.type, 'run.completed');
  });

  it('a timeout ends a hanging call as tool.failed and the run completes', async () => {
    const events = await run({ agent: 'waiter', input: 'slow_lookup: anything' });
    assert.match(ofType(events, 'tool.failed')[0]?.error.message ?? '', /slow_lookup timed out after 100 ms/);
    assert.equal(events.at(-1)?.type, 'run.completed');
  });

  it('cancelling the run aborts the running tool through its signal', async () => {
    const started = new Promise<void>((resolve) => { releaseStarted = resolve; });
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'waiter', input: 'wait_forever: now', background: true });
    const { runId } = (await response.json()) as { runId: string };
    await started;
    const before = seen.abortedCalls;
    await postJson(`${server.url}/v1/runs/${runId}/cancel`, {});
    const events = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`, { headers: { accept: 'text/event-stream' } }));
    assert.equal(events.at(-1)?.type, 'run.cancelled');
    assert.equal(seen.abortedCalls, before + 1);
  });

  it('a team made in code runs its members, each with its code tool', async () => {
    const events = await run({ team: 'duo', input: 'reverse_text: abc' });
    assertWellFormedRun(events);
    const results = ofType(events, 'tool.completed').filter((event) => event.toolName === 'reverse_text');
    assert.deepEqual(new Set(results.map((event) => event.agent.id)), new Set(['reverser', 'helper']));
    assert.ok(results.every((event) => event.result === 'cba'));
  });
});

describe('defining things wrongly stops start-up with a clear message', () => {
  it('a JSON Schema that is not one, a tool shadowing a built-in, an agent naming an unknown tool', async () => {
    assert.throws(() => defineTool({ name: 'x', description: '', inputSchema: { type: 'nonsense' }, execute: () => null }), /not a valid JSON Schema/);
    const shadow = defineTool({ name: 'calculator', description: '', inputSchema: { type: 'object' }, execute: () => null });
    await assert.rejects(createServer({ tools: [shadow], databaseFile: ':memory:', port: 0, logLevel: 'silent', webDir: undefined }), /tool 'calculator' has the name of a built-in tool/);
    await assert.rejects(
      createServer({ agents: [defineAgent({ id: 'lost', tools: ['no_such_tool'] })], databaseFile: ':memory:', port: 0, logLevel: 'silent', webDir: undefined }),
      /createServer\(\): agent 'lost' names unknown tool 'no_such_tool'/,
    );
  });
});

describe('agentstream serve loads agentstream.config.ts from the working directory', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentstream-config-module-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the module\'s agent and tool, and the JSON config beside it still works', async () => {
    writeFileSync(join(dir, 'agentstream.config.ts'), `import { defineAgent, defineTool } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};
type Args = { text: string };
export default {
  tools: [defineTool({ name: 'count_letters', description: 'Counts letters', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    execute: async ({ text }: Args) => text.replace(/[^a-z]/gi, '').length })],
  agents: [defineAgent({ id: 'counter', instructions: 'Count letters.', tools: ['count_letters'] })],
};
`);
    writeFileSync(join(dir, 'agentstream.config.json'), JSON.stringify({ agents: [{ id: 'json_agent', tools: ['calculator'] }] }));
    const { DATABASE_URL: _d, REDIS_URL: _r, AGENTSTREAM_CONFIG: _c, ...env } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'bin/agentstream.mjs'), 'serve'], {
      cwd: dir, env: { ...env, PORT: '0', LOG_LEVEL: 'info', DEMO_TOKEN_DELAY_MS: '0', AGENTSTREAM_DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await waitForListening(child, 'agentstream serve');
      const agents = (await (await fetch(`${url}/v1/agents`)).json()) as { agents: { id: string }[] };
      assert.ok(agents.agents.some((agent) => agent.id === 'counter'));
      assert.ok(agents.agents.some((agent) => agent.id === 'json_agent'));
      const events = await collectRunEvents(await postJson(`${url}/v1/runs`, { agent: 'counter', input: 'count_letters: a-b-c d', stream: true }));
      assert.equal(ofType(events, 'tool.completed')[0]?.result, 4);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
