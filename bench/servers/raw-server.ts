import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { announceReady, listenAddress, readServerStats, STATS_PATH } from './bench-stats.ts';

// The ceiling: plain node:http writing the very frames agentstream writes (`id`/`event`/`data`, the same
// event JSON, recorded from agentstream by the orchestrator), one `res.write` per event, no framework,
// no store, no bus. Only the run id, the timestamps and the pacing are made here.

type TemplateEvent = Record<string, unknown> & { type: string; seq: number };
type Templates = Record<string, TemplateEvent[]>;

const templates = JSON.parse(readFileSync(process.env.BENCH_TEMPLATES ?? '', 'utf8')) as Templates;
// A zero-latency producer would hog the loop: yield every so many events, as sse-ceiling.md advises.
const YIELD_EVERY = 256;

type StartBody = { team?: string; model?: string };

/** Which recorded run a request replays and how fast: `bench`, `team`, `short`, or `paced:<deltas>` with a delay. */
function pickRun(body: StartBody): { events: TemplateEvent[]; delayMs: number } | undefined {
  if (body.team) return templates.team ? { events: templates.team, delayMs: 0 } : undefined;
  if (body.model === 'demo:bench') return { events: templates.bench, delayMs: 0 };
  if (body.model === 'demo') return templates.short ? { events: templates.short, delayMs: 0 } : undefined;
  const match = /^benchpaced:(\d+)x(\d+)$/.exec(body.model ?? '');
  const events = match ? templates[`paced:${match[1]}`] : undefined;
  return match && events ? { events, delayMs: Number(match[2]) } : undefined;
}

function frameOf(template: TemplateEvent, runId: string): string {
  const event = { ...template, runId, seq: template.seq, ts: new Date().toISOString() };
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function streamRun(res: ServerResponse, run: { events: TemplateEvent[]; delayMs: number }): void {
  const runId = `run_${randomUUID()}`;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no', connection: 'keep-alive' });
  res.flushHeaders();
  let index = 0;
  let hasSentDelta = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  res.on('close', () => {
    closed = true;
    clearTimeout(timer);
  });
  const pump = () => {
    timer = undefined;
    let written = 0;
    while (!closed && index < run.events.length) {
      const event = run.events[index];
      const isDelta = event.type === 'message.delta';
      if (isDelta && hasSentDelta && run.delayMs > 0 && timer === undefined && written > 0) {
        timer = setTimeout(pump, run.delayMs);
        return;
      }
      res.write(frameOf(event, runId));
      if (isDelta) hasSentDelta = true;
      index += 1;
      written += 1;
      if (run.delayMs === 0 && written % YIELD_EVERY === 0 && index < run.events.length) {
        setImmediate(pump);
        return;
      }
    }
    if (!closed) res.end();
  };
  pump();
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.method === 'GET' && req.url?.startsWith(STATS_PATH)) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(readServerStats({ collect: req.url.includes('gc=1') })));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/v1/runs') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const run = pickRun(JSON.parse(body) as StartBody);
    if (!run) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no recorded run for this request"}');
      return;
    }
    streamRun(res, run);
  });
});
// The same keep-alive settings agentstream uses: streams outlive Node's 5 s default.
server.keepAliveTimeout = 65_000;
server.requestTimeout = 0;
const { host, port } = listenAddress();
server.listen(port, host, () => {
  const address = server.address();
  announceReady(`http://${host}:${typeof address === 'object' && address ? address.port : port}`);
});
process.on('SIGTERM', () => process.exit(0));
