import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMain } from '../test/e2e/support/main-process.ts';

// Replay memory (issue 11): a large finished run, many readers that stop reading after their first frame, and the
// server's RSS meanwhile; then every reader reads on and must get every event exactly once. The server runs as a
// process of its own (`test/e2e/support/firehose-main.ts`: src/main.ts plus the SIMULATED firehose model), so its RSS is
// the server's alone. `node bench/replay-memory.ts [events] [deltaChars] [readers]`; writes bench/replay-memory.md,
// which `npm run bench` appends to RESULTS.md.

const [events = 200_000, deltaChars = 300, readerCount = 32] = process.argv.slice(2).map(Number);
const FIREHOSE_MAIN = fileURLToPath(new URL('../test/e2e/support/firehose-main.ts', import.meta.url));

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

function openPausedReader(baseUrl: string, runId: string) {
  const url = new URL(baseUrl);
  let frames = 0;
  let lastId = 0;
  let inOrder = true;
  let pending = '';
  const count = (text: string) => {
    pending += text;
    const parts = pending.split('\n\n');
    pending = parts.pop()!;
    for (const part of parts) {
      const match = /^id: (\d+)$/m.exec(part);
      if (!match) continue;
      const id = Number(match[1]);
      if (id !== lastId + 1) inOrder = false;
      lastId = id;
      frames += 1;
    }
  };
  let response!: IncomingMessage;
  const firstFrame = new Promise<void>((resolve, reject) => {
    httpRequest({ host: url.hostname, port: url.port, path: `/v1/runs/${runId}/events`, agent: false }, (incoming) => {
      response = incoming;
      incoming.setEncoding('utf8');
      const onFirst = (text: string) => {
        count(text);
        incoming.pause();
        incoming.off('data', onFirst);
        incoming.on('data', count);
        resolve();
      };
      incoming.on('data', onFirst);
    }).on('error', reject).end();
  });
  return {
    firstFrame,
    resume: () => new Promise<{ frames: number; inOrder: boolean; complete: boolean }>((resolve) => {
      response.on('close', () => resolve({ frames, inOrder, complete: response.complete }));
      response.resume();
    }),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-bench-replay-'));
const main = await startMain({ AGENTSTREAM_DATA_DIR: dataDir, LOG_LEVEL: 'warn', FIREHOSE_DELTAS: String(events), FIREHOSE_DELTA_CHARS: String(deltaChars) }, { script: FIREHOSE_MAIN });
try {
  const generatedAt = performance.now();
  const started = await (await fetch(`${main.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'A very long answer', model: 'firehose:big', stream: false }) })).json() as { runId: string };
  const run = await (await fetch(`${main.url}/v1/runs/${started.runId}`)).json() as { lastSeq: number };
  const generatedSeconds = (performance.now() - generatedAt) / 1000;
  process.stderr.write(`made a run of ${run.lastSeq} events in ${generatedSeconds.toFixed(0)} s\n`);
  const pid = main.child.pid!;
  const before = rssMb(pid);
  const readers = Array.from({ length: readerCount }, () => openPausedReader(main.url, started.runId));
  await Promise.all(readers.map((reader) => reader.firstFrame));
  let peak = 0;
  for (let sample = 0; sample < 30; sample += 1) {
    peak = Math.max(peak, rssMb(pid).rss);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stderr.write(`${readerCount} readers paused; RSS ${before.rss.toFixed(0)} -> ${peak.toFixed(0)} MB; reading on\n`);
  const readAt = performance.now();
  const results = await Promise.all(readers.map((reader) => reader.resume()));
  const readSeconds = (performance.now() - readAt) / 1000;
  const whole = results.filter((result) => result.complete && result.inOrder && result.frames === run.lastSeq).length;
  const dbBytes = readFileSync(join(dataDir, 'agentstream.db')).length;
  const markdown = [
    '### Replay memory: paused readers of a large finished run',
    '',
    `\`node bench/replay-memory.ts ${events} ${deltaChars} ${readerCount}\`, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. A finished run of ${run.lastSeq.toLocaleString('en')} events (${(dbBytes / 1e6).toFixed(0)} MB SQLite file, made in ${generatedSeconds.toFixed(0)} s), ${readerCount} readers that stop reading after their first frame, the server's RSS sampled for 3 s; then every reader reads on.`,
    '',
    '| | measured |',
    '|---|---|',
    `| server RSS before the readers | ${before.rss.toFixed(0)} MB |`,
    `| server RSS peak with ${readerCount} paused readers | ${peak.toFixed(0)} MB (+${(peak - before.rss).toFixed(1)} MB, ${((peak - before.rss) / readerCount).toFixed(2)} MB per reader) |`,
    `| readers that then got every event exactly once, in order | ${whole} of ${readerCount} (in ${readSeconds.toFixed(1)} s) |`,
    '',
    'Before paging, each paused reader held the whole stored history (~145 MB of heap per reader for a 200,000-event run; 32 readers crashed the process).',
    '',
  ].join('\n');
  writeFileSync(join(import.meta.dirname, 'replay-memory.md'), markdown);
  process.stdout.write(`${markdown}\n`);
} finally {
  main.child.kill('SIGTERM');
  await main.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
