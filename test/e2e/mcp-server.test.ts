import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import type { RunEvent } from '../../src/events/run-event.ts';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type Run = { id: string; status: string; output: string };

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'agentstream-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
  return client;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text?: string }[]).map((part) => part.text ?? '').join('');
}

function runIdOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result._meta as Record<string, string>)['agentstream/runId']!;
}

describe('agents as an MCP server, with the official MCP SDK client', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [createProbeProvider(20).provider, createFailingProvider()] });
    client = await connect(server.url);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('lists every agent and team as a tool taking { message }', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const expected of ['assistant', 'chat', 'research', 'web_team', 'slow_chat']) assert.ok(names.includes(expected), `${expected} is a tool`);
    const assistant = tools.find((tool) => tool.name === 'assistant')!;
    assert.deepEqual(assistant.inputSchema.required, ['message']);
    assert.equal((assistant.inputSchema.properties as Record<string, { type: string }>).message!.type, 'string');
  });

  it('calls an agent that uses a tool: progress notifications as it works, the answer as the result', async () => {
    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'assistant', arguments: { message: 'What is 12 * (3 + 4)?' } }, undefined, { onprogress: (update) => progress.push(update) });
    assert.notEqual(result.isError, true);
    const text = textOf(result);
    assert.match(text, /84/);
    const run = (await (await fetch(`${server.url}/v1/runs/${runIdOf(result)}`)).json()) as Run;
    assert.equal(run.status, 'completed');
    assert.equal(text, run.output);
    assert.ok(progress.length >= 3, `several progress notifications (${progress.length})`);
    assert.deepEqual(progress.map((update) => update.progress), progress.map((_, index) => index + 1), 'progress increases');
    assert.ok(progress.some((update) => /calls calculator/.test(update.message ?? '')), 'the tool call is reported');
  });

  it('calls a team', async () => {
    const result = await client.callTool({ name: 'research', arguments: { message: 'AI trends 2024' } });
    const run = (await (await fetch(`${server.url}/v1/runs/${runIdOf(result)}`)).json()) as Run;
    assert.equal(run.status, 'completed');
    assert.equal(textOf(result), run.output);
  });

  it('a client that cancels the call cancels the run', async () => {
    const controller = new AbortController();
    let runId = '';
    const call = client.callTool({ name: 'slow_chat', arguments: { message: 'Tell me a long story' } }, undefined, {
      signal: controller.signal,
      onprogress: (update) => {
        runId ||= /\(run (run_[^)]+)\)/.exec(update.message ?? '')?.[1] ?? '';
        if (/is writing/.test(update.message ?? '')) controller.abort('changed my mind');
      },
    });
    await assert.rejects(call);
    assert.ok(runId, 'the first progress message names the run');
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${runId}/events`));
    const last = events.at(-1)!;
    assert.ok(last.type === 'run.cancelled', `the run ended ${last.type}`);
    assert.match(last.reason, /MCP client cancelled/);
    // The session is still good for the next call.
    assert.match(textOf(await client.callTool({ name: 'chat', arguments: { message: 'Hello' } })), /\S/);
  });

  it('refuses an unknown tool and a missing message as JSON-RPC invalid params', async () => {
    await assert.rejects(client.callTool({ name: 'nobody', arguments: { message: 'hi' } }), (error: unknown) => error instanceof McpError && error.code === -32602 && /Unknown tool/.test(error.message));
    await assert.rejects(client.callTool({ name: 'chat', arguments: {} }), (error: unknown) => error instanceof McpError && error.code === -32602 && /message/.test(error.message));
    const stray = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': 'mcp_gone' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    assert.equal(stray.status, 404);
  });
});

describe('the MCP server behind the API key', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ apiKey: 'secret-key' });
  });
  after(() => server.close());

  it('refuses a client without the key and serves one with it', async () => {
    await assert.rejects(connect(server.url), /401|Unauthorized|api key/i);
    const client = await connect(server.url, { authorization: 'Bearer secret-key' });
    try {
      assert.match(textOf(await client.callTool({ name: 'chat', arguments: { message: 'Hello' } })), /\S/);
    } finally {
      await client.close();
    }
  });
});
