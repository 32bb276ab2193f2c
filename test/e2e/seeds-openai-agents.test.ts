import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Seed 003 (OpenAI Agents SDK streaming API), driven by its document's curl commands and, for what the
// document leaves to the client, a line reader of `data: ` frames as its project's browser client uses.

const run = promisify(execFile);
type Frame = { type: string; [field: string]: unknown };

/** Every `data: ` line as JSON (the seed's frames have no `event:` field). */
function framesOf(text: string): Frame[] {
  assert.ok(!/^event:/m.test(text));
  return text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as Frame);
}
const curlJson = (url: string, body: string) => ['-X', 'POST', url, '-H', 'Content-Type: application/json', '-d', body, '--silent'];

describe('seed 003: OpenAI Agents streaming API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('the document\'s curl to /chat/run answers an AgentResponse', async () => {
    const { stdout } = await run('curl', curlJson(`${server.url}/chat/run`, '{"input": "Hello, how can you help me?"}'));
    const body = JSON.parse(stdout) as { final_output: string; success: boolean; error: null; usage: { requests: number; total_tokens: number }; response_id: string; session_id: string };
    assert.equal(body.success, true);
    assert.equal(body.error, null);
    assert.ok(body.final_output.length > 0);
    assert.ok(body.usage.requests >= 1 && body.usage.total_tokens > 0);
    assert.match(body.response_id, /^run_/);
  });

  it('the document\'s curl to /assistant/stream: agent_updated, raw text deltas, stream_complete with usage', async () => {
    const { stdout } = await run('curl', [...curlJson(`${server.url}/assistant/stream`, '{"input": "Explain quantum computing"}'), '--no-buffer']);
    const frames = framesOf(stdout);
    assert.equal(frames[0].type, 'agent_updated');
    assert.equal(frames[0].agent_name, 'Assistant');
    assert.equal(frames[0].tools_count, 4);
    const complete = frames.at(-1)!;
    assert.equal(complete.type, 'stream_complete');
    const text = frames.filter((frame) => frame.event_type === 'response.output_text.delta').map((frame) => frame.delta).join('');
    assert.equal(text, complete.final_output);
    const usage = complete.usage as { requests: number; input_tokens: number; output_tokens: number; total_tokens: number };
    assert.ok(usage.requests >= 1);
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
    assert.equal(complete.current_turn, usage.requests);
  });

  it('tool use streams as run_item tool_called then tool_output, before the message item', async () => {
    const frames = framesOf(await (await postJson(`${server.url}/assistant/stream`, { input: 'What is 12 * (3 + 4)?' })).text());
    const items = frames.filter((frame) => frame.type === 'run_item');
    assert.deepEqual(items.map((frame) => `${frame.name}/${frame.item_type}`), ['tool_called/tool_call_item', 'tool_output/tool_call_output_item', 'message_output_created/message_output_item']);
    assert.equal(items[0].tool_name, 'calculator');
    assert.deepEqual(JSON.parse(items[0].tool_arguments as string), { expression: '12 * (3 + 4)' });
    assert.equal(items[1].call_id, items[0].call_id);
    assert.equal((items[1].output as { result: number }).result, 84);
    assert.ok(frames.some((frame) => frame.event_type === 'response.reasoning_summary_text.delta'));
  });

  it('the document\'s curl to /assistant/info', async () => {
    const { stdout } = await run('curl', ['--silent', `${server.url}/assistant/info`]);
    const info = JSON.parse(stdout) as { agent_name: string; tools_count: number; handoffs_count: number; endpoints: Record<string, string> };
    assert.equal(info.agent_name, 'Assistant');
    assert.equal(info.tools_count, 4);
    assert.deepEqual(info.endpoints, { run: '/assistant/run', stream: '/assistant/stream', info: '/assistant/info' });
    const chat = (await (await fetch(`${server.url}/chat/info`)).json()) as { tools_count: number };
    assert.equal(chat.tools_count, 0);
  });

  it('POST /research answers the research bot\'s ReportData as JSON by default ({input} or ?query=)', async () => {
    for (const response of [await postJson(`${server.url}/research`, { input: 'AI trends 2024' }), await fetch(`${server.url}/research?query=AI%20trends%202024`, { method: 'POST' })]) {
      assert.equal(response.status, 200);
      const report = (await response.json()) as { short_summary: string; markdown_report: string; follow_up_questions: string[] };
      assert.deepEqual(Object.keys(report), ['short_summary', 'markdown_report', 'follow_up_questions']);
      assert.ok(report.markdown_report.length > report.short_summary.length);
      assert.ok(Array.isArray(report.follow_up_questions));
    }
  });

  it('POST /research streams when asked (Accept or "stream": true): handoffs to planner, searchers, writer', async () => {
    for (const response of [
      await postJson(`${server.url}/research`, { input: 'AI trends 2024' }, { accept: 'text/event-stream' }),
      await postJson(`${server.url}/research`, { input: 'AI trends 2024', stream: true }),
    ]) {
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const frames = framesOf(await response.text());
      assert.equal(frames[0].type, 'agent_updated');
      assert.equal(frames[0].agent_name, 'Research Bot');
      const handoffs = frames.filter((frame) => frame.name === 'handoff_occured').map((frame) => frame.target_agent_id);
      assert.deepEqual(handoffs, ['research_planner', 'searcher#1', 'searcher#2', 'searcher#3', 'research_writer']);
      const updated = frames.filter((frame) => frame.type === 'agent_updated').map((frame) => frame.agent_name);
      assert.deepEqual(updated, ['Research Bot', 'PlannerAgent', 'SearchAgent', 'SearchAgent', 'SearchAgent', 'WriterAgent']);
      // Each handoff comes before the agent it hands to starts.
      const firstSearcher = frames.findIndex((frame) => frame.type === 'agent_updated' && frame.agent_name === 'SearchAgent');
      assert.ok(frames.findIndex((frame) => frame.target_agent_id === 'searcher#1') < firstSearcher);
      assert.equal(frames.at(-1)?.type, 'stream_complete');
    }
  });

  it('session_id continues a conversation across /run calls', async () => {
    for (const input of ['My name is Sarah', 'What is my name?']) await (await postJson(`${server.url}/chat/run`, { input, session_id: 'user_sarah_123' })).json();
    const session = (await (await fetch(`${server.url}/v1/sessions/user_sarah_123`)).json()) as { messages: { role: string; content: string }[] };
    assert.deepEqual(session.messages.map((message) => message.content).filter((_, index) => index % 2 === 0), ['My name is Sarah', 'What is my name?']);
  });

  it('bad input: the stream says error; /run and JSON /research answer a JSON 422', async () => {
    for (const init of [{ body: JSON.stringify({}) }, { body: JSON.stringify({ input: 7 }) }, { body: '{"input": ' }]) {
      const response = await fetch(`${server.url}/assistant/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...init });
      assert.equal(response.status, 200);
      const frames = framesOf(await response.text());
      assert.equal(frames.length, 1);
      assert.equal(frames[0].type, 'error');
      assert.match(String(frames[0].code), /^(validation_failed|malformed_json)$/);
    }
    const badRun = await postJson(`${server.url}/chat/run`, { message: 'wrong field' });
    assert.equal(badRun.status, 422);
    assert.equal(((await badRun.json()) as { error: { code: string } }).error.code, 'validation_failed');
    const badResearch = await postJson(`${server.url}/research`, {});
    assert.equal(badResearch.status, 422);
    const badResearchStream = await postJson(`${server.url}/research`, { stream: true });
    assert.equal(framesOf(await badResearchStream.text())[0].type, 'error');
  });
});
