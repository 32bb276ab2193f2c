import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../src/events/run-event.ts';
import { readSse } from '../../client/read-sse.ts';
import { endsProperly, parseSse } from './support/check-answer.ts';
import { countFrames } from './support/drop-stream.ts';
import { assertResumedToCompletion } from './support/assert-run.ts';
import { startMain, type MainProcess } from './support/main-process.ts';
import { startMain as spawnMain } from './support/start-main.ts';
import { postJson } from './support/sse.ts';
import { STREAMING_ROUTES } from './support/streaming-routes.ts';

// SIGKILL the real server mid-run (no shutdown handler runs), start it again on the same data folder: every run
// it left behind is resumed from its last completed step and completes on the same stream, every reader gets the
// rest when it resumes, and what was stored before the crash (finished runs, sessions) is still there byte for byte.

/** A stream read until `enough` events, kept open (the kill ends it). Resolves with what it saw so far. */
async function readSome(response: Response, enough: number): Promise<{ seen: RunEvent[]; closed: Promise<void> }> {
  const seen: RunEvent[] = [];
  let reached!: () => void;
  const enoughSeen = new Promise<void>((resolve) => (reached = resolve));
  const closed = readSse(response, (frame) => {
    seen.push(JSON.parse(frame.data) as RunEvent);
    if (seen.length >= enough) reached();
  }).catch(() => {}); // the kill breaks the connection: that is the point
  await Promise.race([enoughSeen, closed]);
  assert.ok(seen.length >= enough, `saw ${seen.length} events before the stream ended`);
  return { seen, closed };
}

const eventsText = async (url: string, runId: string, lastEventId?: string) =>
  (await fetch(`${url}/v1/runs/${runId}/events`, { headers: lastEventId ? { 'last-event-id': lastEventId } : {} })).text();

test('SIGKILL mid-run, restart on the same data: every run resumes and completes, every reader resumes to the end, data intact', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-crash-'));
  const env = { AGENTSTREAM_DATA_DIR: dataDir, DEMO_TOKEN_DELAY_MS: '20' };
  let first: MainProcess | undefined = await startMain(env);
  let second: MainProcess | undefined;
  try {
    // Before the crash: finished runs (one continuing a session) whose stored streams must survive it.
    const done = await postJson(`${first.url}/v1/runs`, { agent: 'assistant', input: 'What is 12 * (3 + 4)?', stream: false, sessionId: 'ses_crash' });
    const finished = [(await done.json()) as { runId: string }];
    finished.push((await (await postJson(`${first.url}/v1/runs`, { team: 'web_team', input: 'Compare SSE and WebSockets', stream: false })).json()) as { runId: string });
    const before = await Promise.all(finished.map(({ runId }) => eventsText(first!.url, runId)));
    const sessionBefore = await (await fetch(`${first.url}/v1/sessions/ses_crash`)).text();

    // In flight at the kill: two native streams, a resumable Agno stream, two background runs (one team).
    const nativeStreams = await Promise.all([
      postJson(`${first.url}/v1/runs`, { agent: 'chat', input: 'Tell me a long story about crashes' }),
      postJson(`${first.url}/v1/runs`, { team: 'research', input: 'AI trends in 2024' }),
    ].map(async (response) => readSome(await response, 3)));
    const agno = await fetch(`${first.url}/api/v1/agent/stream?message=${encodeURIComponent('Tell me a long story')}&user_id=crash`);
    const agnoFrames: { id: string; data: string }[] = [];
    let agnoUnderWay!: () => void;
    const agnoStarted = new Promise<void>((resolve) => (agnoUnderWay = resolve));
    const agnoClosed = readSse(agno, (frame) => {
      agnoFrames.push({ id: frame.id!, data: frame.data });
      if (agnoFrames.length >= 2) agnoUnderWay();
    }).catch(() => {});
    const background = await Promise.all([
      postJson(`${first.url}/v1/runs`, { agent: 'chat', input: 'A long background story', background: true }),
      postJson(`${first.url}/v1/runs`, { team: 'business_insights', input: 'How are sales this quarter?', background: true }),
    ].map(async (response) => ((await (await response).json()) as { runId: string }).runId));
    // Make sure the background runs are under way too: follow each until it has stored a few events.
    const watchers = await Promise.all(background.map(async (runId) => readSome(await fetch(`${first!.url}/v1/runs/${runId}/events`), 3)));
    await Promise.race([agnoStarted, agnoClosed]);
    assert.ok(agnoFrames.length >= 2, 'the Agno stream was under way at the kill');

    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all([...nativeStreams, ...watchers].map((reader) => reader.closed));
    await agnoClosed;
    first = undefined;

    second = await startMain(env);
    const url = second.url;
    // Every reader resumes where it stopped and gets the rest, ending with the terminal event.
    for (const [index, reader] of [...nativeStreams, ...watchers].entries()) {
      const { seen } = reader;
      const rest = parseSse(await eventsText(url, seen[0].runId, String(seen.at(-1)!.seq))).map((frame) => JSON.parse(frame.data) as RunEvent);
      assertResumedToCompletion([...seen, ...rest], `reader ${index}`);
      const record = (await (await fetch(`${url}/v1/runs/${seen[0].runId}`)).json()) as { status: string; attempt: number };
      assert.deepEqual([record.status, record.attempt], ['completed', 2]);
    }
    // The Agno client reconnects the way EventSource does, with the last id it saw: it gets its closing frame.
    const agnoRest = await (await fetch(`${url}/api/v1/agent/stream?message=ignored`, { headers: { 'last-event-id': agnoFrames.at(-1)!.id } })).text();
    const agnoEnd = parseSse(agnoRest);
    assert.ok(endsProperly('agno-multi', agnoEnd), `the Agno stream resumes to its end: ${agnoRest.slice(-300)}`);
    assert.equal((JSON.parse(agnoEnd.at(-1)!.data) as { metadata: { status: string } }).metadata.status, 'completed');

    // What was finished before the crash replays byte for byte; the session kept its messages.
    const after = await Promise.all(finished.map(({ runId }) => eventsText(url, runId)));
    assert.deepEqual(after, before);
    assert.equal(await (await fetch(`${url}/v1/sessions/ses_crash`)).text(), sessionBefore);
    // And the restarted server works.
    const fresh = (await (await postJson(`${url}/v1/runs`, { agent: 'chat', input: 'Still there?', stream: false })).json()) as { status: string };
    assert.equal(fresh.status, 'completed');
  } finally {
    first?.child.kill('SIGKILL');
    if (second) {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Reads a whole response as text, and says when `frames` SSE frames have arrived. */
function readWhole(response: Response, frames: number): { started: Promise<void>; text: Promise<string> } {
  let reached!: () => void;
  const started = new Promise<void>((resolve) => (reached = resolve));
  const text = (async () => {
    let received = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      received += decoder.decode(chunk, { stream: true });
      if (countFrames(received) >= frames) reached();
    }
    reached();
    return received;
  })();
  return { started, text };
}

test('SIGTERM mid-run: runs finish within the grace period, every open stream in every dialect gets its terminal frame, exit 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-term-'));
  // Paced slowly enough that no run can finish between its second frame and the signal.
  const main = await startMain({ AGENTSTREAM_DATA_DIR: dataDir, DEMO_TOKEN_DELAY_MS: '20', AGENTSTREAM_SHUTDOWN_GRACE_MS: '120000' });
  try {
    const streams = await Promise.all(STREAMING_ROUTES.map(async (route) => {
      const request = route.request(`Tell me a long story (${route.name}, shutdown)`);
      const response = await fetch(`${main.url}${request.path}`, {
        method: request.method, headers: request.body === undefined ? {} : { 'content-type': 'application/json' }, body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      return { route, ...readWhole(response, 2) };
    }));
    await Promise.all(streams.map((stream) => stream.started));
    main.child.kill('SIGTERM');
    // Draining: /ready says so at once (a load balancer stops sending), and a new start is refused with Retry-After.
    let ready: Response;
    do ready = await fetch(`${main.url}/ready`); while (ready.status === 200);
    assert.equal(ready.status, 503);
    const refused = await postJson(`${main.url}/v1/runs`, { agent: 'chat', input: 'one more?' });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'shutting_down');
    assert.equal(await main.exited, 0, main.stderr());
    for (const { route, text } of streams) {
      const body = await text;
      assert.ok(endsProperly(route.dialect, parseSse(body)), `${route.name}: the stream ends with its terminal frame: ${body.slice(-300)}`);
      assert.doesNotMatch(body, /interrupted/, `${route.name}: and the run was not interrupted`);
    }
  } finally {
    main.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM with no grace: runs are handed back, streams end cleanly; the next start resumes them to completion', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-handoff-'));
  const env = { AGENTSTREAM_DATA_DIR: dataDir, DEMO_TOKEN_DELAY_MS: '20', AGENTSTREAM_SHUTDOWN_GRACE_MS: '0' };
  let first: MainProcess | undefined = await startMain(env);
  let second: MainProcess | undefined;
  try {
    const readers = await Promise.all([
      postJson(`${first.url}/v1/runs`, { agent: 'chat', input: 'Tell me a long story about deploys' }),
      postJson(`${first.url}/v1/runs`, { team: 'research', input: 'AI trends in 2024' }),
      postJson(`${first.url}/v1/runs`, { agent: 'assistant', input: 'What is 12 * (3 + 4)? Then tell me a long story' }),
    ].map(async (response) => readSome(await response, 3)));
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, first.stderr());
    // The streams ended as finished responses (no reset), without a terminal event: the run goes on elsewhere.
    await Promise.all(readers.map((reader) => reader.closed));
    for (const { seen } of readers) assert.ok(!seen.some((event) => event.type.startsWith('run.') && event.type !== 'run.started'), 'no terminal event before the hand-off');
    first = undefined;

    second = await startMain(env);
    for (const [index, { seen }] of readers.entries()) {
      const rest = parseSse(await eventsText(second.url, seen[0].runId, String(seen.at(-1)!.seq))).map((frame) => JSON.parse(frame.data) as RunEvent);
      assertResumedToCompletion([...seen, ...rest], `handed-back run ${index}`);
    }
  } finally {
    first?.child.kill('SIGKILL');
    if (second) {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a second server on the same data directory refuses to start, naming the first, and leaves its runs alone', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-twice-'));
  const env = { AGENTSTREAM_DATA_DIR: dataDir, DEMO_TOKEN_DELAY_MS: '10' };
  const first = await startMain(env);
  try {
    const reader = await readSome(await postJson(`${first.url}/v1/runs`, { agent: 'chat', input: 'Tell me a long story about locks' }), 3);
    const second = spawnMain({ HOST: '127.0.0.1', ...env });
    const { code } = await second.listening;
    assert.equal(code, 1);
    assert.match(second.stderr(), new RegExp(`another agentstream \\(pid ${first.child.pid}\\) is using`));
    assert.doesNotMatch(second.stderr(), /\n\s+at /, 'a one-line message, no stack trace');
    const rest = parseSse(await eventsText(first.url, reader.seen[0].runId, String(reader.seen.at(-1)!.seq))).map((frame) => JSON.parse(frame.data) as RunEvent);
    const events = [...reader.seen, ...rest];
    assert.equal(events.at(-1)!.type, 'run.completed', 'the first server\'s run is untouched');
    assert.ok(!events.some((event) => event.type === 'run.resumed'));
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
