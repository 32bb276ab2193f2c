import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RAW_FORMATS } from '../../client/api-types.ts';
import { REPLAY_FORMATS } from '../../src/http/routes/replay-format-names.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/** `GET /v1/runs/{runId}/events?format=`: any stored run in any wire format, byte for byte what that format's own route streamed. */
describe('replaying a run in another wire format', () => {
  let server: TestServer;
  // Heartbeat comments would arrive at different moments in two streams of one run: none during these.
  before(async () => {
    server = await startTestServer({ heartbeatMs: 600_000 });
  });
  after(() => server.close());

  const replay = (runId: string, format: string, headers: Record<string, string> = {}) => fetch(`${server.url}/v1/runs/${runId}/events?format=${format}`, { headers });

  /** Streams a run through a protocol route, then replays it: both bodies as text. */
  async function streamThenReplay(path: string, body: unknown, format: string): Promise<{ streamed: string; replayed: string; runId: string }> {
    const response = await postJson(`${server.url}${path}`, body);
    assert.equal(response.status, 200);
    const runId = response.headers.get('x-run-id');
    assert.ok(runId, 'the stream names its run');
    const streamed = await response.text();
    const replayed = await replay(runId, format);
    assert.equal(replayed.status, 200);
    assert.match(replayed.headers.get('content-type') ?? '', /^text\/event-stream/);
    return { streamed, replayed: await replayed.text(), runId };
  }

  it('native: the same frames as POST /v1/runs streamed, and as the default format', async () => {
    const { streamed, replayed, runId } = await streamThenReplay('/v1/runs', { agent: 'assistant', input: 'What is 6 * 7?' }, 'native');
    assert.equal(replayed, streamed);
    assert.equal(await (await fetch(`${server.url}/v1/runs/${runId}/events`)).text(), streamed);
    assert.match(streamed, /^id: 1\nevent: run\.started\ndata: \{/);
  });

  it('AG-UI: the same frames as POST /agui/{agent} streamed (thread and run ids read back from the run)', async () => {
    const input = { threadId: 'thread-replay', runId: 'agui-run-1', messages: [{ id: 'u1', role: 'user', content: 'What is 12 * (3 + 4)?' }], tools: [], context: [], state: {}, forwardedProps: {} };
    const { streamed, replayed } = await streamThenReplay('/agui/assistant', input, 'ag-ui');
    assert.equal(replayed, streamed);
    assert.match(streamed, /^data: \{"type":"RUN_STARTED","threadId":"thread-replay","runId":"agui-run-1"/);
  });

  it('OpenAI chat: the same chunks and [DONE] as POST /openai/v1/chat/completions streamed with usage', async () => {
    const body = { model: 'assistant', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'What is 2 + 2?' }] };
    const { streamed, replayed } = await streamThenReplay('/openai/v1/chat/completions', body, 'openai-chat');
    assert.equal(replayed, streamed);
    assert.match(streamed, /data: \[DONE\]\n\n$/);
  });

  it('Agno chat (seed 004): the same StreamingChunks as POST /api/v1/chat streamed', async () => {
    const { streamed, replayed } = await streamThenReplay('/api/v1/chat', { message: 'Hello there', stream: true }, 'agno-chat');
    assert.equal(replayed, streamed);
    assert.match(streamed, /"done":true/);
  });

  it('renders one run in every format the client package lists', async () => {
    assert.deepEqual([...RAW_FORMATS], [...REPLAY_FORMATS], 'the client and the server list the same formats');
    const started = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 3 + 4?', stream: false });
    const { runId } = (await started.json()) as { runId: string };
    for (const format of REPLAY_FORMATS) {
      const response = await replay(runId, format);
      assert.equal(response.status, 200, format);
      const text = await response.text();
      assert.match(text, /^(?:id|event|data): /m, `${format} has SSE frames`);
      assert.ok(text.endsWith('\n\n'), `${format} ends with a whole frame`);
    }
  });

  it('refuses an unknown format (422) and a resume point with any format but native (400 replay_not_resumable)', async () => {
    const started = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 1 + 1?', stream: false });
    const { runId } = (await started.json()) as { runId: string };
    const unknown = await replay(runId, 'morse');
    assert.equal(unknown.status, 422);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'validation_failed');
    for (const response of [await fetch(`${server.url}/v1/runs/${runId}/events?format=ag-ui&after=2`), await replay(runId, 'openai-chat', { 'last-event-id': '2' })]) {
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'replay_not_resumable');
      assert.match(body.error.message, /replays the whole run/);
    }
    // Native still resumes.
    const resumed = await fetch(`${server.url}/v1/runs/${runId}/events?format=native&after=2`);
    assert.match(await resumed.text(), /^id: 3\n/);
  });
});
