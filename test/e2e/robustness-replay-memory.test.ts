import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSseWriterCount } from '../../src/http/sse-writer.ts';
import { createParser } from 'eventsource-parser';
import { HANG_GUARD_MS } from './support/check-answer.ts';
import { createFirehoseProvider } from './support/firehose-provider.ts';
import { startMain, type MainProcess } from './support/main-process.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// A paused reader of a large finished run must cost the server a constant, not the run's size: the replay pages
// the store at the reader's pace. Measured in a server process of its own (its RSS is the server's alone).

const FIREHOSE_MAIN = fileURLToPath(new URL('./support/firehose-main.ts', import.meta.url));
const DELTAS = 10_000;
const DELTA_CHARS = 1000;
const READERS = 8;
/**
 * The bound: the server's RSS while 12 readers of a 20,000-event (~22 MB stored) run sit paused grows by less than
 * this over its RSS before they connected. Reading the whole history per reader costs ~25 MB each (~300 MB).
 */
const RSS_GROWTH_BOUND_MB = 64;

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** A reader of the native events stream that reads up to its first frame, then stops reading until `resume`. */
type PausedReader = { firstFrame: Promise<void>; resume(): Promise<{ ids: number[]; lastEvent: string | undefined; complete: boolean }> };

function openPausedReader(baseUrl: string, runId: string, headers: Record<string, string> = {}): PausedReader {
  const url = new URL(baseUrl);
  const ids: number[] = [];
  let lastEvent: string | undefined;
  let signalFirst: () => void = () => {};
  const firstFrame = new Promise<void>((resolve) => (signalFirst = resolve));
  const parser = createParser({
    onEvent: (frame) => {
      ids.push(Number(frame.id));
      lastEvent = frame.event;
    },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = httpRequest({ host: url.hostname, port: url.port, path: `/v1/runs/${runId}/events`, agent: false, headers }, resolve);
    outgoing.on('error', reject);
    outgoing.end();
  });
  let ended: Promise<boolean> | undefined;
  void response.then((incoming) => {
    assert.equal(incoming.statusCode, 200);
    // True when the whole response arrived, false when the connection was cut.
    ended = new Promise<boolean>((resolve) => {
      incoming.on('error', () => {});
      incoming.on('close', () => resolve(incoming.complete));
    });
    incoming.setEncoding('utf8');
    const onData = (text: string) => {
      parser.feed(text);
      if (ids.length > 0) {
        // Stop reading: what is already here stays parsed, the rest waits in the sockets (and on the server).
        // The socket too: pausing the message alone lets the client keep reading from the socket into memory.
        incoming.pause();
        incoming.socket.pause();
        incoming.off('data', onData);
        incoming.on('data', (more: string) => parser.feed(more));
        signalFirst();
      }
    };
    incoming.on('data', onData);
  });
  return {
    firstFrame,
    async resume() {
      const incoming = await response;
      incoming.socket.resume();
      incoming.resume();
      const complete = await ended!;
      return { ids, lastEvent, complete };
    },
  };
}

/** Every id 1..lastSeq exactly once, in order. */
function assertEveryEventOnce(ids: number[], lastSeq: number, context: string): void {
  assert.equal(ids.length, lastSeq, `${context}: ${ids.length} frames for ${lastSeq} events`);
  ids.forEach((id, index) => assert.equal(id, index + 1, `${context}: frame ${index} has id ${id}`));
}

describe('paused readers of a large run (the server in its own process)', () => {
  let main: MainProcess;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentstream-replay-'));
    main = await startMain({
      AGENTSTREAM_DATA_DIR: dataDir, LOG_LEVEL: 'warn', FIREHOSE_DELTAS: String(DELTAS), FIREHOSE_DELTA_CHARS: String(DELTA_CHARS),
    }, { script: FIREHOSE_MAIN });
  });

  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`${READERS} paused readers of a ${DELTAS}-event run: RSS grows < ${RSS_GROWTH_BOUND_MB} MB, then each reader gets every event once`, async () => {
    // A JSON answer (`stream: false`) comes once the run has ended: it is then finished and stored.
    const answer = await postJson(`${main.url}/v1/runs`, { agent: 'chat', input: 'A very long answer', model: 'firehose:big', stream: false });
    const started = await answer.json() as { runId: string };
    const run = await (await fetch(`${main.url}/v1/runs/${started.runId}`)).json() as { status: string; lastSeq: number };
    assert.equal(run.status, 'completed');
    assert.ok(run.lastSeq > DELTAS, `the run has ${run.lastSeq} events`);

    const pid = main.child.pid!;
    const before = rssMb(pid);
    const readers = Array.from({ length: READERS }, () => openPausedReader(main.url, started.runId));
    await Promise.all(readers.map((reader) => reader.firstFrame));
    // Every reader has its replay under way and has stopped reading. Sample the server's RSS for a second:
    // a replay that reads the whole history has it in memory from the first frame on.
    let peak = 0;
    for (let sample = 0; sample < 10; sample += 1) {
      peak = Math.max(peak, rssMb(pid).rss);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const growth = peak - before.rss;
    process.stdout.write(`# replay memory: RSS ${before.rss.toFixed(1)} MB before, ${peak.toFixed(1)} MB peak with ${READERS} paused readers (+${growth.toFixed(1)} MB; bound ${RSS_GROWTH_BOUND_MB} MB)\n`);
    assert.ok(growth < RSS_GROWTH_BOUND_MB, `RSS grew by ${growth.toFixed(1)} MB with ${READERS} paused readers (bound ${RSS_GROWTH_BOUND_MB} MB)`);

    const results = await Promise.all(readers.map((reader) => reader.resume()));
    results.forEach((result, index) => {
      assert.ok(result.complete, `reader ${index} got the whole response`);
      assertEveryEventOnce(result.ids, run.lastSeq, `reader ${index}`);
      assert.equal(result.lastEvent, 'run.completed', `reader ${index} ends with the terminal event`);
    });
  });
});

describe('a reader that takes nothing', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ stalledReaderMs: 1000 }, { providers: [createFirehoseProvider({ deltas: 12_000, deltaChars: 4096 })] });
  });

  after(async () => {
    await server.close();
  });

  it('is disconnected after AGENTSTREAM_STALLED_READER_MS and resumes with Last-Event-ID, every event once', async () => {
    const started = await (await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Long', model: 'firehose:big', background: true })).json() as { runId: string };
    const ended = await server.server.runs.waitForEnd(started.runId);
    const reader = openPausedReader(server.url, started.runId);
    await reader.firstFrame;
    // The server gives up on it instead of holding it forever: its stream closes while the reader still reads nothing.
    const guard = AbortSignal.timeout(HANG_GUARD_MS);
    while (openSseWriterCount() > 0 && !guard.aborted) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(openSseWriterCount(), 0, 'the server dropped the stalled stream');
    // The reader then gets what was in the sockets, and the connection ends without the terminal frame.
    const cut = await Promise.race([reader.resume(), new Promise<undefined>((resolve) => AbortSignal.timeout(HANG_GUARD_MS).addEventListener('abort', () => resolve(undefined)))]);
    assert.ok(cut, 'the paused reader was never disconnected');
    assert.equal(cut.complete, false, 'the connection was cut before the end (48 MB: more than loopback socket buffers grow to, 32 + 4 MB here)');
    // Resume with Last-Event-ID, as a client does, until the terminal event (on a starved machine a resumed read can
    // itself stall past the limit and be cut: it then resumes again).
    const ids = [...cut.ids];
    let lastEvent: string | undefined;
    for (let attempt = 0; attempt < 20 && lastEvent !== 'run.completed'; attempt += 1) {
      const resumed = await fetch(`${server.url}/v1/runs/${started.runId}/events`, { headers: { 'last-event-id': String(ids.at(-1)) }, signal: AbortSignal.timeout(HANG_GUARD_MS) });
      const parser = createParser({ onEvent: (frame) => {
        ids.push(Number(frame.id));
        lastEvent = frame.event;
      } });
      const decoder = new TextDecoder();
      try {
        for await (const chunk of resumed.body!) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // cut again: resume from the last whole frame
      }
    }
    assertEveryEventOnce(ids, ended.lastSeq, 'cut then resumed');
  });
});
