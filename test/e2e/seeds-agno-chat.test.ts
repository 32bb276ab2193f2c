import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { collectFrames, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Seed 004 (Agno chat). Its document tells clients to "use a library that supports Server-Sent Events,
// parse each event as JSON, accumulate chunks, check the done flag": here our client's SSE parser
// (eventsource-parser), and curl.

const run = promisify(execFile);
type Chunk = { content: string; done: boolean; model: string; error?: { code: string; message: string } };

async function chunksOf(response: Response): Promise<Chunk[]> {
  return (await collectFrames(response)).map((frame) => JSON.parse(frame.data) as Chunk);
}

describe('seed 004: Agno chat API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('"stream": true sends {content, done: false, model} chunks, then one {content: "", done: true}', async () => {
    const response = await postJson(`${server.url}/api/v1/chat`, { message: 'Tell me about solar power', stream: true });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const chunks = await chunksOf(response);
    assert.ok(chunks.length > 2);
    for (const chunk of chunks) assert.deepEqual(Object.keys(chunk), ['content', 'done', 'model']);
    assert.deepEqual(chunks.at(-1), { content: '', done: true, model: 'demo' });
    assert.ok(chunks.slice(0, -1).every((chunk) => !chunk.done && chunk.model === 'demo' && chunk.content.length > 0));
    // Accumulated, the chunks are the same answer the non-streaming call gives (the demo model is deterministic).
    const streamed = chunks.map((chunk) => chunk.content).join('');
    const json = (await (await postJson(`${server.url}/api/v1/chat`, { message: 'Tell me about solar power' })).json()) as { content: string; done: boolean; model: string; usage: { total_tokens: number } };
    assert.equal(json.content, streamed);
    assert.equal(json.done, true);
    assert.equal(json.model, 'demo');
    assert.ok(json.usage.total_tokens > 0);
  });

  it('works from curl, as the document\'s tests call it', async () => {
    const { stdout } = await run('curl', ['-N', '-X', 'POST', `${server.url}/api/v1/chat`, '-H', 'Content-Type: application/json', '-d', '{"message": "Hello", "stream": true, "model": "demo"}', '--silent']);
    const chunks = stdout.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as Chunk);
    assert.equal(chunks.filter((chunk) => chunk.done).length, 1);
    assert.equal(chunks.at(-1)?.done, true);
  });

  it('user_id (or session_id) continues one conversation', async () => {
    for (const message of ['Hi, I am Ann', 'What did I say?']) await (await postJson(`${server.url}/api/v1/chat`, { message, user_id: 'ann' })).json();
    const session = (await (await fetch(`${server.url}/v1/sessions/agno-chat:ann`)).json()) as { messages: unknown[] };
    assert.equal(session.messages.length, 4);
  });

  it('a model that is not configured (the document\'s "gpt-4") is a JSON 404 before any stream; bad bodies are 4xx', async () => {
    for (const stream of [true, false]) {
      const response = await postJson(`${server.url}/api/v1/chat`, { message: 'Hello', model: 'gpt-4', stream });
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'model_not_found');
    }
    for (const [body, status] of [[{}, 422], [{ message: 'x', stream: 'yes' }, 422], [{ message: '' }, 422]] as const) {
      assert.equal((await postJson(`${server.url}/api/v1/chat`, body)).status, status);
    }
    const malformed = await fetch(`${server.url}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(malformed.status, 400);
  });
});
