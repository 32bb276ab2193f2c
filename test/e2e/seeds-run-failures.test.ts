import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// A run that fails after its stream opened, in every seed dialect: the server's time limit (60 ms) is far
// shorter than the paced demo model needs, so every run ends with run.failed (code `timeout`). Each dialect
// must end its stream the way its clients expect, and its JSON routes must say so without a 500.

const dataLines = (text: string) => text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as Record<string, any>);

describe('seed dialects: a run that fails mid-stream', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ runTimeoutMs: 60, demoTokenDelayMs: 20 });
  });
  after(() => server.close());

  it('Agno: an error frame, then agent_completed with status failed (the client still gets its close signal)', async () => {
    const events = dataLines(await (await postJson(`${server.url}/api/v1/agent/stream`, { message: 'What is 12 * (3 + 4)?', user_id: 'late' })).text());
    assert.deepEqual(events.slice(-2).map((event) => event.event_type), ['error', 'agent_completed']);
    assert.equal(events.at(-2)?.metadata.code, 'timeout');
    assert.equal(events.at(-1)?.metadata.status, 'failed');
    const team = dataLines(await (await postJson(`${server.url}/api/v1/team/stream`, { message: 'Create a landing page' })).text());
    assert.deepEqual(team.slice(-2).map((event) => event.event_type), ['error', 'team_completed']);
  });

  it('Dedalus: error, then complete; execute says success false', async () => {
    const events = dataLines(await (await postJson(`${server.url}/api/agent/stream`, { input: 'Research AI' })).text());
    assert.deepEqual(events.slice(-2).map((event) => event.event), ['error', 'complete']);
    assert.equal(events.at(-2)?.data.code, 'timeout');
    const response = await postJson(`${server.url}/api/agent/execute`, { input: 'Research AI' });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { success: boolean; error_code: string };
    assert.deepEqual([body.success, body.error_code], [false, 'timeout']);
  });

  it('AutoGen: the stream ends with an error event', async () => {
    const events = dataLines(await (await postJson(`${server.url}/ask-stream`, { question: 'Generate a business report' })).text()).map((envelope) => envelope.event);
    assert.equal(events.at(-1)?.event_type, 'error');
    assert.equal(events.at(-1)?.data.code, 'timeout');
    assert.ok(!events.some((event) => event.event_type === 'completed'));
  });

  it('OpenAI Agents: an error frame ends the stream; /run says success false; /research answers 504', async () => {
    const frames = dataLines(await (await postJson(`${server.url}/assistant/stream`, { input: 'Explain quantum computing' })).text());
    assert.equal(frames.at(-1)?.type, 'error');
    assert.match(frames.at(-1)?.message, /time limit/);
    const runResponse = (await (await postJson(`${server.url}/chat/run`, { input: 'Hello' })).json()) as { success: boolean; final_output: null; error: string };
    assert.deepEqual([runResponse.success, runResponse.final_output], [false, null]);
    const research = await postJson(`${server.url}/research`, { input: 'AI trends 2024' });
    assert.equal(research.status, 504);
    assert.equal(((await research.json()) as { error: { code: string } }).error.code, 'timeout');
  });

  it('Agno chat: the last chunk is still done: true, with the error; the JSON form answers 504', async () => {
    const chunks = dataLines(await (await postJson(`${server.url}/api/v1/chat`, { message: 'Tell me about solar power', stream: true })).text());
    assert.equal(chunks.at(-1)?.done, true);
    assert.equal(chunks.at(-1)?.error.code, 'timeout');
    const json = await postJson(`${server.url}/api/v1/chat`, { message: 'Tell me about solar power' });
    assert.equal(json.status, 504);
  });
});
