import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { browserSkip, launchBrowser } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Seed 002 (AutoGen business insights), driven the way its document's clients drive it: its JavaScript
// client (fetch, split each chunk into lines, parse `data: ` lines) and its curl command. Its Python client
// needs aiohttp, which is not installed here; it reads the same `data: ` lines.

const run = promisify(execFile);
type AutogenEvent = { event_type: string; timestamp: string; agent_name: string; message: string; data: Record<string, unknown> };
type LogEntry = { level: string; message: string; fields?: Record<string, unknown> };

/** The document's "JavaScript/Browser Client", verbatim but for the absolute URL; console.log is collected. */
async function streamQuestion(baseUrl: string, question: string): Promise<{ printed: string[]; events: AutogenEvent[] }> {
  const printed: string[] = [];
  const events: AutogenEvent[] = [];
  const console = { log: (line: string) => printed.push(line) };

  const response = await fetch(`${baseUrl}/ask-stream`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question })
  });

  const reader = response.body!.getReader();
  const decoder = new TextDecoder();

  while (true) {
    const { value, done } = await reader.read();
    if (done) break;

    const chunk = decoder.decode(value);
    const lines = chunk.split('\n');

    for (const line of lines) {
      if (line.startsWith('data: ')) {
        const event = JSON.parse(line.slice(6));
        console.log(`${event.event.agent_name}: ${event.event.message}`);
        events.push(event.event);
      }
    }
  }
  assert.equal(response.status, 200);
  return { printed, events };
}

const types = (events: AutogenEvent[]) => events.map((event) => event.event_type);

/** The document's "JavaScript/Browser Client", verbatim, then a call to it. */
const BROWSER_CLIENT = `
async function streamQuestion(question) {
    const response = await fetch('/ask-stream', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question })
    });
    
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    
    while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        
        const chunk = decoder.decode(value);
        const lines = chunk.split('\\n');
        
        for (const line of lines) {
            if (line.startsWith('data: ')) {
                const event = JSON.parse(line.slice(6));
                console.log(\`\${event.event.agent_name}: \${event.event.message}\`);
            }
        }
    }
}
streamQuestion('Generate a sales report').then(() => console.log('(stream ended)'), (error) => console.log('(failed) ' + error));
`;

describe('seed 002: AutoGen business insights streaming API', () => {
  let server: TestServer;
  const logs: LogEntry[] = [];
  before(async () => {
    server = await startTestServer({}, { log: (level, message, fields) => logs.push({ level, message, fields }) });
  });
  after(() => server.close());

  it('the document\'s JS client: started, agents think and respond, tools run, progress reaches 100, then completed', async () => {
    const question = 'Generate a monthly business report for our sales performance';
    const { printed, events } = await streamQuestion(server.url, question);
    assert.equal(printed[0], `System: Processing question: ${question}`);
    assert.equal(events[0].event_type, 'started');
    assert.deepEqual([events[0].data.question, events[0].data.progress], [question, 0]);
    for (const event of events) {
      assert.deepEqual(Object.keys(event), ['event_type', 'timestamp', 'agent_name', 'message', 'data']);
      assert.equal(typeof event.data.progress, 'number');
    }
    const speakers = events.filter((event) => event.event_type === 'agent_response').map((event) => event.agent_name);
    assert.deepEqual(speakers, ['PlanningAgent', 'DataAnalyst', 'ReportWriter']);
    const thinking = events.filter((event) => event.event_type === 'agent_thinking').map((event) => event.agent_name);
    for (const speaker of speakers) assert.ok(thinking.includes(speaker), `${speaker} thinks before responding`);
    const tool = events.find((event) => event.event_type === 'tool_execution');
    assert.equal(tool?.agent_name, 'DataAnalyst');
    assert.equal(tool?.data.tool_name, 'sales_data');
    assert.equal(typeof tool?.data.parameters, 'object');

    const progress = events.map((event) => event.data.progress as number);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
    const completedAt = types(events).indexOf('completed');
    assert.equal(completedAt, events.length - 1, 'completed is last');
    assert.ok(events.slice(0, completedAt).some((event) => event.data.progress === 100), 'progress reaches 100 before completed');
    const completed = events[completedAt];
    const finalResponse = completed.data.final_response as string;
    assert.ok(finalResponse.length > 0);
    assert.equal(completed.data.response_length, finalResponse.length);
    assert.equal(completed.data.total_messages, 4, 'the question and three agent messages');
    assert.equal(completed.data.progress, 100);
  });

  it('the document\'s browser client, verbatim in Chromium on the server\'s origin', { skip: browserSkip }, async () => {
    const browser = await launchBrowser();
    try {
      const lines: string[] = [];
      browser.page.on('console', (message) => {
        if (message.type() === 'log') lines.push(message.text());
      });
      await browser.page.goto(`${server.url}/test-stream`);
      const ended = browser.page.waitForEvent('console', { predicate: (message) => message.text().startsWith('(stream ended)') || message.text().startsWith('(failed)'), timeout: 30_000 });
      await browser.page.addScriptTag({ content: BROWSER_CLIENT });
      await ended;
      assert.equal(lines.at(-1), '(stream ended)');
      assert.equal(lines[0], 'System: Processing question: Generate a sales report');
      assert.ok(lines.some((line) => line.startsWith('PlanningAgent: ')));
      assert.ok(lines.some((line) => line.startsWith('DataAnalyst: Executing tool sales_data')));
      assert.equal(lines.at(-2), 'System: Task completed');
    } finally {
      await browser.close();
    }
  });

  it('every streamed event is logged on the stream_events logger in the STREAM format', async () => {
    const before = logs.length;
    const { events } = await streamQuestion(server.url, 'Generate a business report');
    const streamed = logs.slice(before).filter((entry) => entry.fields?.logger === 'stream_events');
    assert.equal(streamed.length, events.length);
    streamed.forEach((entry, index) => {
      assert.match(entry.message, /^STREAM - (DEBUG|ERROR) - /);
      assert.equal(entry.fields?.event_type, events[index].event_type);
      assert.equal(entry.fields?.agent_name, events[index].agent_name);
    });
  });

  it('the document\'s curl command', async () => {
    const { stdout } = await run('curl', ['-N', '-X', 'POST', `${server.url}/ask-stream`, '-H', 'Content-Type: application/json', '-d', '{"question": "Generate a business report"}', '--silent']);
    const events = stdout.split('\n').filter((line) => line.startsWith('data: ')).map((line) => (JSON.parse(line.slice(6)) as { event: AutogenEvent }).event);
    assert.equal(types(events)[0], 'started');
    assert.equal(types(events).at(-1), 'completed');
    assert.ok(!/^event:/m.test(stdout), 'plain data: frames');
  });

  it('/test-stream: a short canned stream of the same envelope, through the four progress steps', async () => {
    const response = await fetch(`${server.url}/test-stream`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await response.text()).split('\n').filter((line) => line.startsWith('data: ')).map((line) => (JSON.parse(line.slice(6)) as { event: AutogenEvent }).event);
    assert.deepEqual([...new Set(types(events))], ['started', 'agent_thinking', 'agent_response', 'tool_execution', 'completed']);
    assert.deepEqual([...new Set(events.map((event) => event.data.progress))], [0, 25, 50, 75, 100]);
  });

  it('bad input is an error event (error and progress) on the stream, never a 500 or a hang', async () => {
    const cases: RequestInit[] = [
      { body: JSON.stringify({}) },
      { body: JSON.stringify({ question: '   ' }) },
      { body: JSON.stringify({ question: ['a list'] }) },
      { body: '{"question": ' },
    ];
    for (const init of cases) {
      const response = await fetch(`${server.url}/ask-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...init });
      assert.equal(response.status, 200);
      const events = (await response.text()).split('\n').filter((line) => line.startsWith('data: ')).map((line) => (JSON.parse(line.slice(6)) as { event: AutogenEvent }).event);
      assert.deepEqual(types(events), ['error']);
      assert.equal(typeof events[0].data.error, 'string');
      assert.equal(events[0].data.progress, 0);
    }
  });

  it('the web client route /client is not ours (it belongs to the web UI)', async () => {
    const response = await fetch(`${server.url}/client`);
    assert.equal(response.status, 404, 'no web build in tests, and no seed route on /client');
  });
});
