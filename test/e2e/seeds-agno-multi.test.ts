import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { browserSkip, launchBrowser } from './support/browser.ts';
import { collectFrames, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Seed 000 (Agno multi-agent), driven the way its document's clients drive it: its curl commands, and its
// browser EventSource snippet, verbatim, in a real browser (Debian's Chromium, as the UI tests use).

const run = promisify(execFile);
const DOCUMENT_KEYS = ['event_type', 'timestamp', 'agent_id', 'content', 'tool_name', 'tool_input', 'tool_output', 'metadata'];

type AgnoEvent = { event_type: string; timestamp: string; agent_id: string; content: string | null; tool_name: string | null; tool_input: unknown; tool_output: unknown; metadata: Record<string, unknown> | null };

/** Every `data: ` line of an SSE text, as JSON, checking each has the document's event structure. */
function agnoEvents(text: string): AgnoEvent[] {
  const events = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as AgnoEvent);
  for (const event of events) assert.deepEqual(Object.keys(event), DOCUMENT_KEYS);
  assert.ok(!/^event:/m.test(text), 'no event: field, so EventSource.onmessage sees every frame');
  return events;
}

/** The document's "Frontend Integration (JavaScript/React)" snippet, verbatim. */
const DOCUMENT_SNIPPET = `
// Connect to single agent stream
const eventSource = new EventSource('/api/v1/agent/stream?message=your_query');

eventSource.onmessage = (event) => {
  const data = JSON.parse(event.data);
  
  switch(data.event_type) {
    case 'agent_started':
      console.log('Agent started:', data.content);
      break;
    case 'tool_started':
      console.log('Tool started:', data.tool_name);
      break;
    case 'agent_response':
      console.log('Agent response:', data.content);
      break;
    case 'agent_completed':
      console.log('Agent completed');
      eventSource.close();
      break;
  }
};

eventSource.onerror = (error) => {
  console.error('Stream error:', error);
  eventSource.close();
};
`;

/**
 * A client that never closes: when the stream ends its EventSource reconnects (after the browser's
 * default delay) with Last-Event-ID, and gives up for good only when the server answers 204 (CLOSED).
 */
const FORGETFUL_CLIENT = `
const eventSource = new EventSource('/api/v1/agent/stream?message=your_query');
eventSource.onmessage = (event) => console.log(JSON.parse(event.data).event_type);
eventSource.onerror = () => console.log('error, readyState ' + eventSource.readyState);
`;

/**
 * Runs a script in a real Chromium page on the server's own origin (so the snippet's relative URL works
 * as written) and collects its console until a line says it is done.
 */
async function runInBrowser(baseUrl: string, script: string, isLast: (line: string) => boolean): Promise<string[]> {
  const browser = await launchBrowser();
  try {
    const lines: string[] = [];
    // The page's own logs only (not the browser's, such as the 404 of /favicon.ico).
    browser.page.on('console', (message) => {
      if (message.type() === 'log' || message.text().startsWith('Stream error:')) lines.push(message.text());
    });
    await browser.page.goto(`${baseUrl}/api/v1/health`);
    const finished = browser.page.waitForEvent('console', { predicate: (message) => isLast(message.text()), timeout: 30_000 });
    await browser.page.addScriptTag({ content: script });
    await finished;
    return lines;
  } finally {
    await browser.close();
  }
}

describe('seed 000: Agno multi-agent streaming API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('the document\'s single-agent curl streams agent_started … agent_completed with agent_id = the user', async () => {
    const { stdout } = await run('curl', ['-X', 'POST', `${server.url}/api/v1/agent/stream`, '-H', 'Content-Type: application/json', '-d', '{"message": "Test message", "user_id": "test"}', '--no-buffer', '--silent']);
    const events = agnoEvents(stdout);
    assert.equal(events[0].event_type, 'agent_started');
    assert.equal(events[0].content, 'Test message');
    assert.equal(events.at(-1)?.event_type, 'agent_completed');
    assert.equal(events.at(-1)?.metadata?.status, 'completed');
    assert.ok(events.every((event) => event.agent_id === 'test'));
    assert.ok(events.every((event) => !Number.isNaN(Date.parse(event.timestamp))));
    const answer = events.filter((event) => event.event_type === 'agent_response').map((event) => event.content).join('');
    assert.equal(answer, events.at(-1)?.content);
  });

  it('tool calls show as tool_started and tool_completed with input and output', async () => {
    const events = agnoEvents(await (await postJson(`${server.url}/api/v1/agent/stream`, { message: 'What is 12 * (3 + 4)?', user_id: 'demo_user', project_id: 'demo_project', stream_intermediate_steps: true })).text());
    const kinds = events.map((event) => event.event_type);
    assert.ok(kinds.includes('agent_thinking'));
    const started = events.find((event) => event.event_type === 'tool_started');
    const completed = events.find((event) => event.event_type === 'tool_completed');
    assert.equal(started?.tool_name, 'calculator');
    assert.deepEqual(completed?.tool_input, started?.tool_input);
    assert.equal((completed?.tool_output as { result: number }).result, 84);
    assert.ok(kinds.indexOf('tool_started') < kinds.indexOf('tool_completed'));
    assert.ok(kinds.indexOf('tool_completed') < kinds.indexOf('agent_response'));
  });

  it('stream_intermediate_steps: false leaves out thinking and tool frames', async () => {
    const events = agnoEvents(await (await postJson(`${server.url}/api/v1/agent/stream`, { message: 'What is 6 * 7?', user_id: 'quiet', stream_intermediate_steps: false })).text());
    assert.deepEqual([...new Set(events.map((event) => event.event_type))], ['agent_started', 'agent_response', 'agent_completed']);
  });

  it('the document\'s team curl: team_started, routing to every member, member work, team_response, team_completed', async () => {
    const { stdout } = await run('curl', ['-X', 'POST', `${server.url}/api/v1/team/stream`, '-H', 'Content-Type: application/json', '-d', '{"message": "Create a landing page", "team_config": {}}', '--no-buffer', '--silent']);
    const events = agnoEvents(stdout);
    const kinds = events.map((event) => event.event_type);
    assert.equal(kinds[0], 'team_started');
    assert.equal(events[0].metadata?.team_id, 'web_team');
    assert.equal(kinds.at(-1), 'team_completed');
    assert.ok(kinds.includes('orchestrator_thinking'));
    const routed = events.filter((event) => event.event_type === 'orchestrator_routing').flatMap((event) => event.metadata?.members as string[]);
    assert.deepEqual(routed.sort(), ['copywriter', 'designer', 'frontend_developer']);
    const startedMembers = events.filter((event) => event.event_type === 'agent_started').map((event) => event.agent_id);
    assert.deepEqual(startedMembers.sort(), ['copywriter', 'designer', 'frontend_developer']);
    assert.ok(kinds.indexOf('orchestrator_routing') < kinds.indexOf('agent_started'), 'routing comes before the members start');
    assert.deepEqual(new Set(events.filter((event) => event.event_type === 'agent_response').map((event) => event.agent_id)), new Set(['copywriter', 'designer', 'frontend_developer']));
    assert.ok(!kinds.includes('agent_completed'), 'members never send agent_completed (the document\'s client closes on it)');
    const teamText = events.filter((event) => event.event_type === 'team_response').map((event) => event.content).join('');
    assert.equal(teamText, events.at(-1)?.content);
  });

  it('team_config.team picks another team; an unknown team is a JSON 404 before any stream', async () => {
    const events = agnoEvents(await (await postJson(`${server.url}/api/v1/team/stream`, { message: 'AI trends 2024', team_config: { team: 'research' } })).text());
    assert.equal(events[0].metadata?.team_id, 'research');
    assert.ok(events.some((event) => event.event_type === 'agent_started' && event.agent_id === 'searcher#2'));
    const unknown = await postJson(`${server.url}/api/v1/team/stream`, { message: 'x', team_config: { team: 'no_such_team' } });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'team_not_found');
  });

  it('the document\'s browser snippet, verbatim in Chromium, sees the run through to agent_completed', { skip: browserSkip }, async () => {
    const done = (line: string) => line === 'Agent completed' || line.startsWith('Stream error:');
    const logs = await runInBrowser(server.url, DOCUMENT_SNIPPET, done);
    assert.equal(logs[0], 'Agent started: your_query');
    assert.ok(logs.filter((line) => line.startsWith('Agent response: ')).length > 1);
    assert.equal(logs.at(-1), 'Agent completed');
    // The same snippet on a question that needs a tool.
    const withTool = await runInBrowser(server.url, DOCUMENT_SNIPPET.replace('message=your_query', `message=${encodeURIComponent('What is 12 * (3 + 4)?')}`), done);
    assert.equal(withTool[0], 'Agent started: What is 12 * (3 + 4)?');
    assert.ok(withTool.includes('Tool started: calculator'));
    assert.ok(withTool.indexOf('Tool started: calculator') < withTool.findIndex((line) => line.startsWith('Agent response: ')));
    assert.equal(withTool.at(-1), 'Agent completed');
  });

  it('a client that forgets to close reconnects with Last-Event-ID and is told 204: the run is not started again', { skip: browserSkip }, async () => {
    const before = (await (await fetch(`${server.url}/v1/runs?agent=assistant&limit=200`)).json()) as { runs: unknown[] };
    const logs = await runInBrowser(server.url, FORGETFUL_CLIENT, (line) => line === 'error, readyState 2');
    assert.equal(logs.filter((line) => line === 'agent_completed').length, 1);
    // The stream's end (reconnecting: readyState 0), then the 204 to the reconnect (closed: readyState 2).
    assert.deepEqual(logs.slice(-3), ['agent_completed', 'error, readyState 0', 'error, readyState 2']);
    const afterwards = (await (await fetch(`${server.url}/v1/runs?agent=assistant&limit=200`)).json()) as { runs: unknown[] };
    assert.equal(afterwards.runs.length, before.runs.length + 1, 'one run, not one per reconnect');
  });

  it('Last-Event-ID resumes the same run after any frame; a malformed one is a 400', async () => {
    const frames = await collectFrames(await postJson(`${server.url}/api/v1/agent/stream`, { message: 'Tell me about solar power', user_id: 'resumer' }));
    const ids = frames.map((frame) => frame.id!);
    const middle = ids[Math.floor(ids.length / 2)];
    const rest = await collectFrames(await fetch(`${server.url}/api/v1/agent/stream?message=ignored`, { headers: { 'last-event-id': middle } }));
    assert.deepEqual(rest.map((frame) => frame.data), frames.slice(ids.indexOf(middle) + 1).map((frame) => frame.data));
    const done = await fetch(`${server.url}/api/v1/agent/stream?message=ignored`, { headers: { 'last-event-id': ids.at(-1)! } });
    assert.equal(done.status, 204);
    const bad = await postJson(`${server.url}/api/v1/agent/stream`, { message: 'x' }, { 'last-event-id': 'garbage' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_last_event_id');
  });

  it('the same user+project continues one session; status lists it; cleanup forgets it, the history stays', async () => {
    const body = { message: 'Hello there', user_id: 'alice', project_id: 'site' };
    const first = agnoEvents(await (await postJson(`${server.url}/api/v1/agent/stream`, body)).text());
    const second = agnoEvents(await (await postJson(`${server.url}/api/v1/agent/stream`, { ...body, message: 'And again' })).text());
    assert.equal(first[0].metadata?.session_id, 'agno:alice:site');
    assert.equal(second[0].metadata?.session_id, 'agno:alice:site');
    const session = (await (await fetch(`${server.url}/v1/sessions/agno:alice:site`)).json()) as { messages: { role: string; content: string }[] };
    assert.deepEqual(session.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant']);

    const status = (await (await fetch(`${server.url}/api/v1/agents/status`)).json()) as { active_agents: number; agents: Record<string, { runs: number; running: number; session_id: string }> };
    assert.deepEqual({ runs: status.agents['alice:site'].runs, running: status.agents['alice:site'].running, session: status.agents['alice:site'].session_id }, { runs: 2, running: 0, session: 'agno:alice:site' });
    const cleanup = await fetch(`${server.url}/api/v1/agents/cleanup`, { method: 'DELETE' });
    const cleaned = (await cleanup.json()) as { cleaned_up: number; remaining: number };
    assert.ok(cleaned.cleaned_up >= 1);
    assert.equal(cleaned.remaining, 0);
    const empty = (await (await fetch(`${server.url}/api/v1/agents/status`)).json()) as { active_agents: number };
    assert.equal(empty.active_agents, 0);
    agnoEvents(await (await postJson(`${server.url}/api/v1/agent/stream`, { ...body, message: 'Third time' })).text());
    const continued = (await (await fetch(`${server.url}/v1/sessions/agno:alice:site`)).json()) as { messages: unknown[] };
    assert.equal(continued.messages.length, 6);
  });

  it('health answers', async () => {
    const health = (await (await fetch(`${server.url}/api/v1/health`)).json()) as { status: string };
    assert.equal(health.status, 'healthy');
  });

  it('bad input is a JSON 4xx, never a stream: missing message, wrong types, malformed JSON', async () => {
    for (const [response, status, code] of [
      [await postJson(`${server.url}/api/v1/agent/stream`, { user_id: 'x' }), 422, 'validation_failed'],
      [await postJson(`${server.url}/api/v1/agent/stream`, { message: 'x', stream_intermediate_steps: 'yes' }), 422, 'validation_failed'],
      [await postJson(`${server.url}/api/v1/team/stream`, { message: 'x', team_config: 'web_team' }), 422, 'validation_failed'],
      [await fetch(`${server.url}/api/v1/agent/stream`), 422, 'validation_failed'],
      [await fetch(`${server.url}/api/v1/team/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message": ' }), 400, 'malformed_json'],
    ] as const) {
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
    }
  });
});
