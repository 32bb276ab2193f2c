import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

// `npm run bench:queue [-- --runs 400 --concurrency 50]`: the queue shape against the embedded shape, as real
// processes of src/main.ts on loopback (the demo model with no token delay, the same request for every run):
//   - time from POST to the first SSE event, one run at a time (p50, p95)
//   - runs per second and CPU per delivered event, `concurrency` clients over `runs` runs
//   - with one worker and with two workers
// CPU is every server process's user+system time over the window (from /proc), divided by the events the clients
// received. Needs PostgreSQL and Redis (the test defaults, or DATABASE_URL / REDIS_URL). Writes a table to stdout.

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '400' }, concurrency: { type: 'string', default: '50' }, latency: { type: 'string', default: '200' } } });
const RUNS = Number(args.runs);
const CONCURRENCY = Number(args.concurrency);
const LATENCY_RUNS = Number(args.latency);
const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
const DATABASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLOCK_TICKS = 100; // USER_HZ on Linux

type Proc = { child: ChildProcess; url: string };

function start(env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_TOKEN_DELAY_MS: '0', AGENTSTREAM_MAX_CONCURRENT_RUNS: '100000', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+?)"/.exec(output);
      if (match) resolve({ child, url: match[1] });
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`main exited ${code}: ${output.slice(-500)}`)));
  });
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  await exited;
}

function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks / CLOCK_TICKS;
}

/** One native streaming run; resolves with ms to the first event and the number of events. */
async function oneRun(url: string): Promise<{ firstMs: number; events: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'Tell me about queues' }) });
  let firstMs = -1;
  let events = 0;
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    if (firstMs < 0) firstMs = performance.now() - started;
    pending += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = pending.indexOf('\n\n')) >= 0) {
      if (pending.slice(0, boundary).includes('data:')) events += 1;
      pending = pending.slice(boundary + 2);
    }
  }
  return { firstMs, events };
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

async function measure(name: string, api: Proc, all: Proc[]): Promise<Record<string, string | number>> {
  for (let index = 0; index < 20; index += 1) await oneRun(api.url); // warm-up
  const firsts: number[] = [];
  for (let index = 0; index < LATENCY_RUNS; index += 1) firsts.push((await oneRun(api.url)).firstMs);
  const pids = all.map((proc) => proc.child.pid!);
  const cpuBefore = cpuSeconds(pids);
  const began = performance.now();
  let next = 0;
  let events = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < RUNS) {
      next += 1;
      events += (await oneRun(api.url)).events;
    }
  }));
  const seconds = (performance.now() - began) / 1000;
  const cpu = cpuSeconds(pids) - cpuBefore;
  return { shape: name, 'first event p50 ms': firsts.length ? +quantile(firsts, 0.5).toFixed(2) : 0, 'first event p95 ms': +quantile(firsts, 0.95).toFixed(2), 'runs/s': +(RUNS / seconds).toFixed(1), 'CPU µs/event': +((cpu * 1e6) / events).toFixed(1), events };
}

const rows: Record<string, string | number>[] = [];
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
log(`queue-shape bench: ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}, ${RUNS} runs x ${CONCURRENCY} clients, ${LATENCY_RUNS} sequential for latency`);

const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-bench-queue-'));
try {
  const embedded = await start({ AGENTSTREAM_DATA_DIR: dataDir });
  rows.push(await measure('embedded (SQLite, one process)', embedded, [embedded]));
  await stop(embedded);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

for (const workerCount of [1, 2]) {
  const schema = `bench_queue_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  const env = {
    DATABASE_URL: `${DATABASE}${DATABASE.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    REDIS_URL: REDIS, AGENTSTREAM_REDIS_CHANNEL_PREFIX: `bench-${schema}`,
  };
  const api = await start({ ...env, AGENTSTREAM_ROLE: 'api' });
  const workers = await Promise.all(Array.from({ length: workerCount }, () => start({ ...env, AGENTSTREAM_ROLE: 'worker', AGENTSTREAM_WORKER_CONCURRENCY: '100' })));
  try {
    rows.push(await measure(`queue: 1 api + ${workerCount} worker${workerCount > 1 ? 's' : ''} (PostgreSQL, Redis)`, api, [api, ...workers]));
  } finally {
    await Promise.all([api, ...workers].map(stop));
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
}

const columns = Object.keys(rows[0]);
process.stdout.write(`\n| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`);
for (const row of rows) process.stdout.write(`| ${columns.map((column) => row[column]).join(' | ')} |\n`);
