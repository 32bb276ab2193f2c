import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { readSse } from '../client/read-sse.ts';
import type { RunEvent } from '../src/events/run-event.ts';
import { assertResumedToCompletion, assertWellFormedRun } from '../test/e2e/support/assert-run.ts';
import { startMain, type MainProcess } from '../test/e2e/support/main-process.ts';

// `node scripts/kill-trials.ts [--trials 100] [--seed 7]`: the queue shape for real (one API instance, two
// workers, PostgreSQL and Redis on loopback), and per trial: start a run (an agent with a tool, or a team), read
// its stream to a random point, SIGKILL the worker executing it, start a fresh worker, read the rest. Every run
// must complete on the other worker: gapless seq, one terminal event, `run.resumed`, no tool call twice, the
// streamed answer equal to the output. Prints one line per trial and a summary; exits 1 on any failure.

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } } });
const TRIALS = Number(args.trials);
let seed = Number(args.seed);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const DATABASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `kill_trials_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: DATABASE });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const env = {
  DATABASE_URL: `${DATABASE}${DATABASE.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', AGENTSTREAM_REDIS_CHANNEL_PREFIX: `kill-${schema}`,
  DEMO_TOKEN_DELAY_MS: '10', AGENTSTREAM_WORKER_LOCK_MS: '2000', AGENTSTREAM_RUN_HEARTBEAT_MS: '250', AGENTSTREAM_RUN_STALE_AFTER_MS: '2000',
};
const startWorker = () => startMain({ ...env, AGENTSTREAM_ROLE: 'worker' });
const executing = async (worker: MainProcess) => ((await (await fetch(`${worker.url}/ready`)).json()) as { executing?: number }).executing ?? 0;

const RUNS = [
  { agent: 'assistant', input: 'What is 12 * (3 + 4)? Then tell me a long story about it' },
  { team: 'research', input: 'AI trends in 2024' },
  { team: 'business_insights', input: 'How are sales this quarter?' },
  { agent: 'chat', input: 'Tell me a long story about queues' },
];

const api = await startMain({ ...env, AGENTSTREAM_ROLE: 'api' });
let workers = await Promise.all([startWorker(), startWorker()]);
const tally = { trials: 0, resumed: 0, endedBeforeKill: 0, failed: 0 };
const started = performance.now();
try {
  for (let trial = 1; trial <= TRIALS; trial += 1) {
    tally.trials += 1;
    // The last trial's worker may still be finishing its bookkeeping: start from idle workers, so the busy one is this run's.
    while ((await Promise.all(workers.map(executing))).some((count) => count > 0));
    const body = RUNS[trial % RUNS.length];
    const killAfter = 2 + Math.floor(random() * 60);
    const response = await fetch(`${api.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const events: RunEvent[] = [];
    let reached!: () => void;
    const point = new Promise<void>((resolve) => (reached = resolve));
    const done = readSse(response, (frame) => {
      events.push(JSON.parse(frame.data) as RunEvent);
      if (events.length >= killAfter) reached();
    });
    await Promise.race([point, done]);
    const busy = await Promise.all(workers.map(executing));
    const victim = workers.findIndex((_, index) => busy[index] > 0);
    let line = `trial ${trial}: ${'agent' in body ? body.agent : body.team}, kill after ${killAfter} events`;
    if (victim >= 0) {
      workers[victim].child.kill('SIGKILL');
      await workers[victim].exited;
      workers[victim] = await startWorker();
    }
    await done;
    try {
      if (events.some((event) => event.type === 'run.resumed')) {
        assertResumedToCompletion(events, line);
        tally.resumed += 1;
        line += `: resumed, ${events.length} events, completed`;
      } else {
        assertWellFormedRun(events);
        if (events.at(-1)!.type !== 'run.completed') throw new Error(`ended ${events.at(-1)!.type}`);
        tally.endedBeforeKill += 1;
        line += victim < 0 ? ': had already ended' : ': completed before the kill took effect';
      }
    } catch (error) {
      tally.failed += 1;
      line += `: FAILED ${String(error).slice(0, 300)}`;
    }
    process.stdout.write(`${line}\n`);
  }
} finally {
  await Promise.all([api, ...workers].map(async (proc) => {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }));
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
process.stdout.write(`\n${JSON.stringify({ ...tally, seconds: Math.round((performance.now() - started) / 1000) })}\n`);
process.exit(tally.failed > 0 ? 1 : 0);
