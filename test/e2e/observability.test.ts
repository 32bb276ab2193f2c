import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger, secretsOf } from '../../src/logging/logger.ts';
import { createFailingProvider } from './support/failing-provider.ts';
import { startMain } from './support/start-main.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type LogLine = Record<string, unknown> & { level: string; message: string };

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('request logs from a real server process', () => {
  const key = 'as-key-7f3a9c2e51d04b8e';
  let main: ReturnType<typeof startMain>;
  let url: string;
  before(async () => {
    main = startMain({ LOG_LEVEL: 'debug', AGENTSTREAM_API_KEY: key, AGENTSTREAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'agentstream-logs-')) });
    url = (await main.listening).url!;
    assert.ok(url, main.stderr());
  });
  after(() => main.child.kill('SIGKILL'));

  /** The JSON lines the process wrote, once the line for request `reqId` is among them. */
  async function linesAfter(reqId: string): Promise<LogLine[]> {
    const parse = () => main.stderr().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
    while (!parse().some((line) => line.message === 'request' && line.reqId === reqId)) {
      await new Promise((resolve) => main.child.stderr.once('data', resolve));
    }
    return parse();
  }

  it('keeps and echoes an incoming x-request-id, logs one line per request with the run id, and redacts the key', async () => {
    const response = await post(`${url}/v1/runs?api_key=${key}`, { agent: 'assistant', input: 'What is 6 * 7?', stream: false }, { authorization: `Bearer ${key}`, 'x-request-id': 'req-observe-1' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'req-observe-1');
    const { runId } = (await response.json()) as { runId: string };
    const lines = await linesAfter('req-observe-1');
    const requestLines = lines.filter((line) => line.reqId === 'req-observe-1' && line.message === 'request');
    assert.equal(requestLines.length, 1, 'one line per request');
    assert.equal(requestLines[0].runId, runId);
    assert.equal(requestLines[0].statusCode, 200);
    assert.equal(requestLines[0].url, '/v1/runs?api_key=[redacted]');
    // Every line that is about the run (the stream_events debug lines, the request line) carries its id as a field.
    const aboutRun = lines.filter((line) => JSON.stringify(line).includes(runId));
    assert.ok(aboutRun.filter((line) => line.logger === 'stream_events').length >= 5, 'each event on the stream_events logger');
    for (const line of aboutRun) assert.equal(line.runId, runId, JSON.stringify(line));
    assert.ok(!main.stderr().includes(key), 'the API key never reaches the log');
  });

  it('generates a request id when none (or a garbage one) is sent, and echoes it on errors and streams too', async () => {
    const missing = await fetch(`${url}/v1/runs/run_nope`, { headers: { 'x-api-key': key } });
    assert.equal(missing.status, 404);
    const generated = missing.headers.get('x-request-id') ?? '';
    assert.match(generated, /^[0-9a-f-]{36}$/);
    const garbage = await fetch(`${url}/health`, { headers: { 'x-request-id': 'a b\tc'.repeat(3) } });
    assert.match(garbage.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const stream = await post(`${url}/v1/runs`, { agent: 'chat', input: 'hello' }, { 'x-api-key': key, 'x-request-id': 'req-stream-2' });
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(stream.headers.get('x-request-id'), 'req-stream-2');
    await stream.text();
    const line = (await linesAfter('req-stream-2')).find((entry) => entry.reqId === 'req-stream-2' && entry.message === 'request');
    assert.match(String(line?.runId), /^run_/);
    assert.equal((await linesAfter(generated)).filter((entry) => entry.reqId === generated && entry.message === 'request')[0].statusCode, 404);
  });
});

describe('log redaction', () => {
  it('removes provider keys and secrets by value and by field, wherever they appear', () => {
    const lines: string[] = [];
    const env = { OPENAI_API_KEY: 'sk-proj-abcdef123456', AGENTSTREAM_API_KEYS: 'tenantA:keyA-0123456789', HOME: '/root' };
    const log = createLogger({ level: 'info', write: (line) => lines.push(line), secrets: secretsOf(env) });
    log('error', 'upstream said: invalid key sk-proj-abcdef123456', { headers: { authorization: 'Bearer x', 'x-api-key': 'y' }, apiKey: 'z', detail: 'keyA-0123456789' });
    const text = lines.join('');
    for (const secret of ['sk-proj-abcdef123456', 'keyA-0123456789', 'Bearer x']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    const entry = JSON.parse(text) as { headers: Record<string, string>; apiKey: string; message: string };
    assert.deepEqual([entry.headers.authorization, entry.headers['x-api-key'], entry.apiKey], ['[redacted]', '[redacted]', '[redacted]']);
    assert.equal(entry.message, 'upstream said: invalid key [redacted]');
  });
});

/** Sums one Prometheus series (all label sets matching `labels`) from the text exposition. */
function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const pairs = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([label, value]) => pairs[label] === value)) total += Number(match[3]);
  }
  return total;
}

describe('/metrics', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({}, { providers: [createFailingProvider()] });
  });
  after(() => server.close());

  it('counts exactly what the test did: runs started, completed and failed, tokens by model, error codes, tool calls', async () => {
    const usages: { inputTokens: number; outputTokens: number }[] = [];
    for (const input of ['What is 12 * (3 + 4)?', 'What time is it in Tokyo?']) {
      const run = (await (await post(`${server.url}/v1/runs`, { agent: 'assistant', input, stream: false })).json()) as { status: string; usage: { inputTokens: number; outputTokens: number } };
      assert.equal(run.status, 'completed');
      usages.push(run.usage);
    }
    const failed = (await (await post(`${server.url}/v1/runs`, { agent: 'chat', input: 'hello', model: 'broken:midway', stream: false })).json()) as { status: string; error: { code: string } };
    assert.equal(failed.status, 'failed');
    assert.equal((await post(`${server.url}/v1/runs`, { agent: 'nobody', input: 'hi' })).status, 404);

    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.equal(metricValue(text, 'agentstream_runs_total', { status: 'started' }), 3);
    assert.equal(metricValue(text, 'agentstream_runs_total', { status: 'started', target: 'assistant' }), 2);
    assert.equal(metricValue(text, 'agentstream_runs_total', { status: 'completed' }), 2);
    assert.equal(metricValue(text, 'agentstream_runs_total', { status: 'failed', target: 'chat' }), 1);
    assert.equal(metricValue(text, 'agentstream_active_runs'), 0);
    assert.equal(metricValue(text, 'agentstream_tokens_total', { model: 'demo', kind: 'input' }), usages.reduce((sum, usage) => sum + usage.inputTokens, 0));
    assert.equal(metricValue(text, 'agentstream_tokens_total', { model: 'demo', kind: 'output' }), usages.reduce((sum, usage) => sum + usage.outputTokens, 0));
    assert.equal(metricValue(text, 'agentstream_errors_total', { code: failed.error.code, source: 'run' }), 1);
    assert.equal(metricValue(text, 'agentstream_errors_total', { code: 'agent_not_found', source: 'http' }), 1);
    assert.equal(metricValue(text, 'agentstream_events_total', { type: 'run.started' }), 3);
    assert.equal(metricValue(text, 'agentstream_run_duration_seconds_count'), 3);
    assert.equal(metricValue(text, 'agentstream_tool_duration_seconds_count', { tool: 'calculator' }), 1);
    assert.equal(metricValue(text, 'agentstream_run_first_output_seconds_count'), 3);
    for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'agentstream_open_streams', 'agentstream_queue_depth', 'agentstream_workers', 'agentstream_rate_limited_requests_total']) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    server.server.metrics.rateLimited('requests');
    assert.equal(metricValue(await (await fetch(`${server.url}/metrics`)).text(), 'agentstream_rate_limited_requests_total', { limit: 'requests' }), 1);
  });

  it('needs the key when keys are configured', async () => {
    const guarded = await startTestServer({ apiKey: 'metrics-key-123456' });
    try {
      assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer metrics-key-123456' } })).status, 200);
    } finally {
      await guarded.close();
    }
  });
});

describe('traces', () => {
  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, a real process exports its run spans over OTLP http/protobuf', async () => {
    const received: { path: string; type: string; body: Buffer }[] = [];
    let arrived: () => void = () => {};
    const collector = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', type: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        arrived();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const main = startMain({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: 'agentstream-test', AGENTSTREAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'agentstream-otlp-')) });
    try {
      const { url } = await main.listening;
      assert.ok(url, main.stderr());
      const run = (await (await post(`${url}/v1/runs`, { agent: 'assistant', input: 'What is 6 * 7?', stream: false })).json()) as { runId: string };
      const exported = () => Buffer.concat(received.map((entry) => entry.body)).toString('latin1');
      while (!exported().includes('invoke_workflow assistant')) await new Promise<void>((resolve) => (arrived = resolve));
      assert.equal(received[0].path, '/v1/traces');
      assert.equal(received[0].type, 'application/x-protobuf');
      for (const text of ['agentstream-test', run.runId, 'invoke_agent', 'chat demo', 'execute_tool calculator', 'gen_ai.usage.input_tokens']) assert.ok(exported().includes(text), text);
    } finally {
      main.child.kill('SIGKILL');
      collector.close();
    }
  });

  it('a team run is one trace: run -> team -> members -> model calls -> tool calls, with gen_ai attributes', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const server = await startTestServer({}, { tracerProvider: provider });
    try {
      const run = (await (await post(`${server.url}/v1/runs`, { team: 'research', input: 'AI trends 2024', stream: false })).json()) as { runId: string; status: string; usage: { inputTokens: number } };
      assert.equal(run.status, 'completed');
      const spans = exporter.getFinishedSpans();
      const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
      const parent = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
      const root = spans.find((span) => span.name === 'invoke_workflow research')!;
      assert.ok(root, spans.map((span) => span.name).join(', '));
      assert.equal(parent(root), undefined);
      assert.equal(root.attributes['agentstream.run.id'], run.runId);
      assert.equal(root.attributes['gen_ai.usage.input_tokens'], run.usage.inputTokens);
      assert.ok(spans.every((span) => span.spanContext().traceId === root.spanContext().traceId), 'one trace');

      const team = spans.find((span) => span.attributes['agentstream.agent.path'] === 'research')!;
      assert.ok(team, spans.map((span) => `${span.name} ${span.attributes['agentstream.agent.path']}`).join(', '));
      assert.equal(parent(team), root);
      const members = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent' && span !== team);
      assert.deepEqual(members.map((span) => span.attributes['agentstream.agent.path']).sort(), ['research/research_planner', 'research/research_writer', 'research/searcher#1', 'research/searcher#2', 'research/searcher#3']);
      assert.deepEqual(members.map((span) => span.attributes['gen_ai.agent.name']).sort(), ['PlannerAgent', 'SearchAgent', 'SearchAgent', 'SearchAgent', 'WriterAgent']);
      for (const member of members) assert.equal(parent(member), team, `${member.name} under the team`);

      const chats = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
      assert.ok(chats.length >= members.length);
      for (const chat of chats) {
        assert.equal(parent(chat)?.attributes['gen_ai.operation.name'], 'invoke_agent');
        assert.equal(chat.attributes['gen_ai.request.model'], 'demo');
        if (parent(chat) === team) continue; // the team's own synthesis reports no usage event of its own
        assert.equal(typeof chat.attributes['gen_ai.usage.input_tokens'], 'number');
        assert.equal(typeof chat.attributes['gen_ai.usage.output_tokens'], 'number');
      }
      const tools = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'execute_tool');
      assert.deepEqual(tools.map((span) => span.attributes['gen_ai.tool.name']).sort(), ['knowledge_search', 'knowledge_search', 'knowledge_search', 'submit_plan']);
      for (const tool of tools) {
        const chat = parent(tool)!;
        assert.equal(chat.attributes['gen_ai.operation.name'], 'chat', `${tool.name} under a model call`);
        assert.match(String(parent(chat)?.attributes['agentstream.agent.path']), tool.attributes['gen_ai.tool.name'] === 'submit_plan' ? /^research\/research_planner$/ : /^research\/searcher#\d$/);
      }
    } finally {
      await server.close();
      await provider.shutdown();
    }
  });
});
