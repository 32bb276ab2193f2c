import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AgentstreamClient, AgentstreamError } from '../../client/agentstream-client.ts';
import { isTerminal, type RunEvent } from '../events/run-event.ts';
import { LiveRenderer, type Output } from './live-renderer.ts';

/** Exit codes: what a script calling `agentstream` can rely on. */
export const EXIT = { completed: 0, failed: 1, usage: 2, cancelled: 130 } as const;

const USAGE = `Usage: agentstream <command> [options]

Commands:
  serve [--role all|api|worker]        start the server (reads agentstream.config.ts|.mjs|.js and agentstream.config.json)
  run <agent|team> "message"           run and render it live (--json: one JSON event per line; --session <id>)
  runs ls [--status s] [--limit n]     recent runs
  runs show <runId>                    one run's record
  replay <runId>                       render a stored run again (--json as for run)
  approve <runId> <toolCallId>         approve a pending tool call (human in the loop)
  reject <runId> <toolCallId>          reject it (--reason text)
  answer <runId> <toolCallId> "text"   answer a pending question (ask_user)

Options:
  --url <url>         server (default: AGENTSTREAM_URL, else http://127.0.0.1:8000)
  --api-key <key>     API key (default: AGENTSTREAM_API_KEY)
  -h, --help          this text

Exit codes: 0 completed, 1 failed, 130 cancelled, 2 usage.`;

const OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  session: { type: 'string' },
  role: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  reason: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export type CliIo = {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** Called with a handler for Ctrl-C; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
};

class UsageError extends Error {}

/** Runs one CLI invocation and resolves with its exit code (it never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`agentstream: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(`${USAGE}\n`);
    return values.help ? EXIT.completed : EXIT.usage;
  }
  const baseUrl = values.url ?? io.env.AGENTSTREAM_URL ?? 'http://127.0.0.1:8000';
  const apiKey = values['api-key'] ?? io.env.AGENTSTREAM_API_KEY;
  const client = new AgentstreamClient({ baseUrl, ...(apiKey ? { apiKey } : {}) });
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(values.role, io);
      case 'run':
        return await runCommand(client, rest, values, io);
      case 'replay':
        return await replayCommand(client, rest, values, io);
      case 'runs':
        return await runsCommand(client, rest, values, io);
      case 'approve':
      case 'reject':
        return await decideCommand(client, command, rest, values, io);
      case 'answer':
        return await answerCommand(client, rest, io);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`agentstream: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (error instanceof AgentstreamError) {
      io.stderr.write(`agentstream: ${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ''})\n`);
      return EXIT.failed;
    }
    if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      io.stderr.write(`agentstream: cannot reach ${baseUrl} (${(error.cause as Error | undefined)?.message ?? error.message}). Is the server running? (agentstream serve)\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

type Values = { json?: boolean; session?: string; status?: string; limit?: string; reason?: string };

async function serveCommand(role: string | undefined, io: CliIo): Promise<number> {
  if (role !== undefined && !['all', 'api', 'worker'].includes(role)) throw new UsageError(`--role must be all, api or worker, got '${role}'`);
  // The role travels as AGENTSTREAM_ROLE, as the environment names it for `npm start`.
  if (role) io.env.AGENTSTREAM_ROLE = role;
  const { serve } = await import('../serve.ts');
  await serve({ env: io.env });
  return await new Promise<number>(() => {}); // the server runs until a signal stops the process
}

async function runCommand(client: AgentstreamClient, args: string[], values: Values, io: CliIo): Promise<number> {
  const [name, ...words] = args;
  const message = words.join(' ');
  if (!name || !message) throw new UsageError('run needs an agent or team and a message: agentstream run assistant "What is 2+2?"');
  const { agents, teams } = await client.getCatalog();
  const target = agents.some((agent) => agent.id === name) ? { agent: name } : teams.some((team) => team.id === name) ? { team: name } : undefined;
  if (!target) {
    io.stderr.write(`agentstream: no agent or team '${name}' (agents: ${agents.map((agent) => agent.id).join(', ')}; teams: ${teams.map((team) => team.id).join(', ')})\n`);
    return EXIT.usage;
  }
  const { runId } = await client.startInBackground({ ...target, input: message, ...(values.session ? { sessionId: values.session } : {}) });
  return followAndRender(client, runId, values, io, true);
}

async function replayCommand(client: AgentstreamClient, args: string[], values: Values, io: CliIo): Promise<number> {
  const [runId] = args;
  if (!runId || args.length > 1) throw new UsageError('replay needs one run id');
  return followAndRender(client, runId, values, io, false);
}

/**
 * Follows a run to its end, rendered live or as JSON lines. With `canCancel`, the first Ctrl-C cancels the
 * run and waits for `run.cancelled`; a second one stops waiting, leaves the run to the server and prints its id.
 */
async function followAndRender(client: AgentstreamClient, runId: string, values: Values, io: CliIo, canCancel: boolean): Promise<number> {
  const renderer = values.json ? undefined : new LiveRenderer(io.stdout);
  const local = new AbortController();
  let interrupts = 0;
  const removeHandler = io.onInterrupt(() => {
    interrupts += 1;
    if (interrupts === 1 && canCancel) {
      io.stderr.write(`\ncancelling run ${runId}… (Ctrl-C again to stop waiting and leave it to the server)\n`);
      client.cancel(runId).catch((error: Error) => io.stderr.write(`agentstream: cancel failed: ${error.message}\n`));
      return;
    }
    local.abort();
  });
  let terminal: RunEvent | undefined;
  try {
    terminal = await client.followRun(runId, {
      signal: local.signal,
      onEvent: (event) => {
        if (renderer) renderer.handle(event);
        else io.stdout.write(`${JSON.stringify(event)}\n`);
      },
    });
  } catch (error) {
    if (!local.signal.aborted) throw error;
  } finally {
    removeHandler();
    renderer?.close();
  }
  if (!terminal || !isTerminal(terminal)) {
    io.stderr.write(`left run ${runId} to the server; follow it with: agentstream replay ${runId}\n`);
    return EXIT.cancelled;
  }
  if (terminal.type === 'run.completed') return EXIT.completed;
  if (terminal.type === 'run.cancelled') return EXIT.cancelled;
  return EXIT.failed;
}

async function runsCommand(client: AgentstreamClient, args: string[], values: Values, io: CliIo): Promise<number> {
  const [sub, id] = args;
  if (sub === 'ls' || sub === 'list') {
    const limit = values.limit ? Number(values.limit) : 20;
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
    const page = await client.listRuns({ limit, ...(values.status ? { status: values.status as never } : {}) });
    if (values.json) {
      io.stdout.write(`${JSON.stringify(page)}\n`);
      return EXIT.completed;
    }
    for (const run of page.runs) {
      io.stdout.write(`${run.id}  ${run.status.padEnd(11)} ${`${run.target.kind}:${run.target.id}`.padEnd(28)} ${run.createdAt}  ${oneLine(run.input, 50)}\n`);
    }
    if (page.runs.length === 0) io.stdout.write('no runs\n');
    return EXIT.completed;
  }
  if (sub === 'show') {
    if (!id) throw new UsageError('runs show needs a run id');
    const run = await client.getRun(id);
    io.stdout.write(`${JSON.stringify(run, null, values.json ? 0 : 2)}\n`);
    return EXIT.completed;
  }
  throw new UsageError(`runs needs ls or show, got '${sub ?? ''}'`);
}

async function decideCommand(client: AgentstreamClient, command: 'approve' | 'reject', args: string[], values: Values, io: CliIo): Promise<number> {
  const [runId, toolCallId] = args;
  if (!runId || !toolCallId) throw new UsageError(`${command} needs a run id and a tool call id`);
  const decision = { toolCallId, decision: command, ...(values.reason ? { reason: values.reason } : {}) } as const;
  await client.runs.input(runId, { decisions: [decision] });
  io.stdout.write(`${command === 'approve' ? 'approved' : 'rejected'} ${toolCallId} in run ${runId}\n`);
  return EXIT.completed;
}

async function answerCommand(client: AgentstreamClient, args: string[], io: CliIo): Promise<number> {
  const [runId, toolCallId, text] = args;
  if (!runId || !toolCallId || text === undefined) throw new UsageError('answer needs a run id, a tool call id and the answer text');
  await client.runs.input(runId, { answers: [{ toolCallId, text }] });
  io.stdout.write(`answered ${toolCallId} in run ${runId}\n`);
  return EXIT.completed;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
