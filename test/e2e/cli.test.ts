import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/events/run-event.ts';
import { collectRunEvents } from './support/sse.ts';
import { startLive } from './support/live-stream.ts';
import type { RunEventOf } from '../../src/events/run-event.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const BIN = fileURLToPath(new URL('../../bin/agentstream.mjs', import.meta.url));
const execFileAsync = promisify(execFile);
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** Runs the CLI with pipes (no terminal); resolves with its output and exit code. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/**
 * Runs the CLI inside a real pseudo-terminal (util-linux `script`), 100 columns wide. `onOutput` sees the
 * terminal's output as it comes and may type into it (`type('\x03')` is Ctrl-C).
 */
function cliInTerminal(args: string[], onOutput?: (output: string, type: (text: string) => void) => void) {
  const command = `stty cols 100 rows 40; exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm-256color' } });
  let output = '';
  const type = (text: string) => child.stdin.write(text);
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output, type);
  });
  return new Promise<{ output: string; code: number | null }>((resolve) => child.on('exit', (code) => resolve({ output, code })));
}

const ofType = (events: RunEvent[], type: RunEvent['type']) => events.filter((event) => event.type === type);

describe('the agentstream CLI', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demoTokenDelayMs: 2 });
  });
  after(() => server.close());

  it('approve, reject and answer decide a paused run\'s pending calls; the live view says what it waits for', async () => {
    const env = { AGENTSTREAM_URL: server.url };
    const approved = await startLive(server.url, { agent: 'supervised', input: 'What is 12 * 7?' });
    const pause = await approved.waitFor((event) => event.type === 'run.awaiting_input') as RunEventOf<'run.awaiting_input'>;
    const approve = await cli(['approve', pause.runId, pause.pending[0].toolCallId], env);
    assert.deepEqual([approve.code, approve.stdout.trim()], [0, `approved ${pause.pending[0].toolCallId} in run ${pause.runId}`]);
    assert.equal((await approved.ended).at(-1)!.type, 'run.completed');
    const again = await cli(['approve', pause.runId, pause.pending[0].toolCallId], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /run_not_awaiting_input/);

    const asked = await startLive(server.url, { agent: 'supervised', input: 'Ask me: which city?' });
    const question = await asked.waitFor((event) => event.type === 'run.awaiting_input') as RunEventOf<'run.awaiting_input'>;
    assert.equal((await cli(['answer', question.runId, question.pending[0].toolCallId, 'Porto'], env)).code, 0);
    const answered = await asked.ended;
    assert.deepEqual((answered.find((event) => event.type === 'tool.completed') as RunEventOf<'tool.completed'>).result, { answer: 'Porto' });

    // The live view of a run that pauses shows the call and the command that decides it.
    const { output, code } = await cliInTerminal(['run', 'supervised', 'What is 2 + 3?', '--url', server.url], (seen) => {
      const match = /agentstream approve\|reject (run_\S+) (\S+)\)/.exec(seen);
      if (match && !seen.includes('approving')) {
        void cli(['reject', match[1], match[2], '--reason', 'approving by hand'], env);
      }
    });
    assert.equal(code, 0, output);
    assert.match(output, /wants to call calculator/);
    assert.match(output, /rejected this call: approving by hand/);
  });

  it('run --json prints exactly the run\'s events, one JSON object per line, and exits 0', async () => {
    const { stdout, code } = await cli(['run', 'assistant', 'What is 12*7?', '--json', '--url', server.url]);
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    const printed = lines.map((line) => JSON.parse(line) as RunEvent);
    const stored = await collectRunEvents(await fetch(`${server.url}/v1/runs/${printed[0].runId}/events`, { headers: { accept: 'text/event-stream' } }));
    assert.deepEqual(printed, stored);
    assert.equal(printed.at(-1)?.type, 'run.completed');
  });

  it('AGENTSTREAM_URL is the default server; a server that is not there is exit 1 with a hint', async () => {
    const ok = await cli(['runs', 'ls'], { AGENTSTREAM_URL: server.url });
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /run_\S+\s+completed\s+agent:assistant/);
    const down = await cli(['runs', 'ls', '--url', 'http://127.0.0.1:1']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach http:\/\/127\.0\.0\.1:1 .*agentstream serve/);
  });

  it('runs show prints the record; replay renders a stored run again', async () => {
    const page = (await (await fetch(`${server.url}/v1/runs?limit=1`)).json()) as { runs: { id: string }[] };
    const runId = page.runs[0].id;
    const shown = await cli(['runs', 'show', runId, '--url', server.url]);
    assert.equal(shown.code, 0);
    assert.equal((JSON.parse(shown.stdout) as { id: string }).id, runId);
    const replayed = await cli(['replay', runId, '--url', server.url]);
    assert.equal(replayed.code, 0);
    assert.match(replayed.stdout, /✓ calculator\(\{"expression":"12\*7"\}\) → \{"expression":"12\*7","result":84\}/);
    assert.match(replayed.stdout, /completed · \d+ tokens/);
    assert.doesNotMatch(replayed.stdout, /\x1b\[/, 'no colours without a terminal');
  });

  it('bad usage is exit 2 with the usage text', async () => {
    for (const args of [[], ['run', 'assistant'], ['frobnicate'], ['run', '--nope', 'x', 'y'], ['runs', 'show']]) {
      const result = await cli([...args, '--url', server.url]);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage: agentstream <command>/);
    }
    const unknown = await cli(['run', 'nobody', 'hi', '--url', server.url]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no agent or team 'nobody' \(agents: .*assistant/);
  });

  it('in a terminal: dimmed reasoning, a spinner while the tool runs, then its result, then the streamed answer', async () => {
    const { output, code } = await cliInTerminal(['run', 'assistant', 'What is 12*7?', '--url', server.url]);
    assert.equal(code, 0, output);
    assert.match(output, /\x1b\[2mThe user asks: "What is 12\*7\?"/, 'reasoning is dimmed');
    assert.match(output, /\x1b\[36m[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\x1b\[0m calculator\(\{"expression":"12\*7"\}\)/, 'a spinner line while the tool runs');
    assert.match(output, /✓\x1b\[0m calculator\(\{"expression":"12\*7"\}\) → \{"expression":"12\*7","result":84\}/);
    assert.match(output, /84/);
    assert.match(output, /completed · \d+ tokens/);
  });

  it('in a terminal, a team gets one lane per member, fan-out copies told apart', async () => {
    const { output, code } = await cliInTerminal(['run', 'research', 'AI trends 2024', '--url', server.url]);
    assert.equal(code, 0, output);
    for (const lane of ['PlannerAgent', 'SearchAgent #1', 'SearchAgent #2', 'SearchAgent #3', 'WriterAgent']) {
      assert.match(output, new RegExp(`\\[${lane}\\]`), lane);
    }
  });

  it('Ctrl-C cancels the run and exits 130; the server has it as cancelled', async () => {
    const slow = await startTestServer({ demoTokenDelayMs: 40 });
    try {
      let typed = false;
      const { output, code } = await cliInTerminal(['run', 'chat', 'Tell me a long story about streams', '--url', slow.url], (text, type) => {
        // Once the run has begun streaming, press Ctrl-C.
        if (!typed && text.includes('The request is')) {
          typed = true;
          type('\x03');
        }
      });
      assert.ok(typed, output);
      assert.equal(code, 130, output);
      assert.match(output, /cancelling run (run_\S+)/);
      assert.match(output, /cancelled/);
      const runId = /cancelling run (run_[^…\s]+)/.exec(output)![1];
      const record = (await (await fetch(`${slow.url}/v1/runs/${runId}`)).json()) as { status: string };
      assert.equal(record.status, 'cancelled');
    } finally {
      await slow.close();
    }
  });

  it('Ctrl-C while following with replay leaves the run running and prints its id', async () => {
    const slow = await startTestServer({ demoTokenDelayMs: 40 });
    try {
      const started = (await (await fetch(`${slow.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'Tell me a long story', background: true }) })).json()) as { runId: string };
      let typed = false;
      const { output, code } = await cliInTerminal(['replay', started.runId, '--url', slow.url], (text, type) => {
        if (!typed && text.includes(`run ${started.runId}`)) {
          typed = true;
          type('\x03');
        }
      });
      assert.equal(code, 130, output);
      assert.match(output, new RegExp(`left run ${started.runId} to the server; follow it with: agentstream replay ${started.runId}`));
      const record = (await (await fetch(`${slow.url}/v1/runs/${started.runId}`)).json()) as { status: string };
      assert.equal(record.status, 'running');
      const events = await collectRunEvents(await fetch(`${slow.url}/v1/runs/${started.runId}/events`, { headers: { accept: 'text/event-stream' } }));
      assert.equal(ofType(events, 'run.completed').length, 1, 'the run went on to complete');
    } finally {
      await slow.close();
    }
  });
});
