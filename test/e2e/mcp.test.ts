import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLoopbackProvider, type LoopbackProvider } from './support/loopback-provider.ts';
import { chatHasToolResults, chatStream } from './support/openai-chat-wire.ts';
import { assertWellFormed, eventsOf, startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';
import { MCP_TEST_SERVER, spawnMcpHttpServer, type McpHttpProcess } from './support/spawn-mcp-http-server.ts';
import { postJson } from './support/sse.ts';

type ToolCallPlan = { name: string; args: Record<string, unknown> }[];
type McpServerView = { name: string; transport: string; status: string; error?: string; retryAt?: string; tools: { name: string; mcpName: string; description: string }[] };

// Real MCP servers built with the official SDK (test/e2e/support/mcp-test-server.ts): one over stdio,
// spawned with this Node binary, one over Streamable HTTP in its own process. The model is a loopback
// OpenAI server whose script decides which tools it calls.
describe('MCP servers as agent tools', () => {
  let upstream: LoopbackProvider;
  let http: McpHttpProcess;
  let server: ProviderTestServer;
  let plan: ToolCallPlan = [];

  before(async () => {
    upstream = await startLoopbackProvider((request) => chatHasToolResults(request.body)
      ? { kind: 'sse', frames: chatStream({ text: ['Done with the tools.'] }) }
      : { kind: 'sse', frames: chatStream({ toolCalls: plan.map((call, index) => ({ id: `call_${index}`, name: call.name, argumentParts: [JSON.stringify(call.args)] })) }) });
    http = await spawnMcpHttpServer();
    server = await startProviderServer({
      env: { OPENAI_API_KEY: 'sk-loopback-mcp-0123456789', OPENAI_BASE_URL: upstream.url },
      config: {
        defaultModel: 'openai-chat:gpt-4.1-mini',
        mcpServers: [
          { name: 'calc', command: process.execPath, args: [MCP_TEST_SERVER], timeoutMs: 1000 },
          { name: 'web', url: http.url },
          { name: 'broken', command: process.execPath, args: ['-e', 'process.exit(1)'] },
          { name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], connectTimeoutMs: 1500 },
        ],
        agents: [
          { id: 'mcp_agent', instructions: 'Use the calc tools.', mcpServers: ['calc'] },
          { id: 'picky', instructions: 'Use what you have.', tools: ['calculator', 'web__echo'] },
          { id: 'stuck', instructions: 'Waits on a server that never answers.', mcpServers: ['mute', 'broken'] },
        ],
      },
    });
  });
  after(async () => {
    await server.close();
    await http.stop();
    await upstream.close();
  });

  const runWith = async (calls: ToolCallPlan, body: Record<string, unknown>) => {
    plan = calls;
    const before = upstream.requests.length;
    const events = await server.run(body);
    assertWellFormed(events);
    return { events, modelRequests: upstream.requests.slice(before) };
  };
  const servers = async () => ((await (await fetch(`${server.url}/v1/mcp-servers`)).json()) as { mcpServers: McpServerView[] }).mcpServers;
  const statusOf = async (name: string) => (await servers()).find((entry) => entry.name === name)!;

  it('start-up does not wait for MCP servers: one that never answers is still connecting', async () => {
    assert.equal((await statusOf('mute')).status, 'connecting');
  });

  it('stdio: the server\'s tools become agent tools with its JSON schema; parallel calls stream like built-ins', async () => {
    const { events, modelRequests } = await runWith(
      [{ name: 'calc__add', args: { a: 2, b: 3 } }, { name: 'calc__echo', args: { text: 'hello over stdio' } }],
      { agent: 'mcp_agent', input: 'Add 2 and 3, and echo a greeting.' },
    );
    assert.equal(events.at(-1)?.type, 'run.completed');
    const offered = (modelRequests[0].body as { tools: { function: { name: string; parameters: Record<string, unknown> } }[] }).tools;
    const add = offered.find((tool) => tool.function.name === 'calc__add');
    assert.deepEqual(add?.function.parameters, { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    assert.deepEqual(offered.map((tool) => tool.function.name).sort(), ['calc__add', 'calc__crash', 'calc__echo', 'calc__fail', 'calc__pid', 'calc__slow']);
    const started = eventsOf(events, 'tool.started');
    assert.deepEqual(started.map((event) => event.toolName), ['calc__add', 'calc__echo']);
    assert.ok(started.every((event) => events.indexOf(event) < events.findIndex((other) => other.type === 'tool.completed')), 'both started before either completed');
    const results = Object.fromEntries(eventsOf(events, 'tool.completed').map((event) => [event.toolName, event.result]));
    assert.deepEqual(results, { calc__add: { sum: 5 }, calc__echo: 'hello over stdio' });
    const toolMessages = (modelRequests[1].body as { messages: { role: string; content: string }[] }).messages.filter((message) => message.role === 'tool');
    assert.match(toolMessages[0].content, /"sum":5/);
  });

  it('GET /v1/mcp-servers lists every server with its transport, status and tools', async () => {
    const list = await servers();
    assert.deepEqual(list.map((entry) => [entry.name, entry.transport]), [['calc', 'stdio'], ['web', 'http'], ['broken', 'stdio'], ['mute', 'stdio']]);
    const calc = list.find((entry) => entry.name === 'calc')!;
    assert.equal(calc.status, 'connected');
    assert.ok(calc.tools.some((tool) => tool.name === 'calc__add' && tool.mcpName === 'add' && tool.description === 'Adds two numbers.'));
    const agents = (await (await fetch(`${server.url}/v1/agents/mcp_agent`)).json()) as { mcpServers: string[] };
    assert.deepEqual(agents.mcpServers, ['calc']);
  });

  it('Streamable HTTP: an agent listing `web__echo` by name gets exactly that tool', async () => {
    const { events, modelRequests } = await runWith([{ name: 'web__echo', args: { text: 'hello over http' } }], { agent: 'picky', input: 'Echo something.' });
    const offered = (modelRequests[0].body as { tools: { function: { name: string } }[] }).tools.map((tool) => tool.function.name);
    assert.deepEqual(offered, ['calculator', 'web__echo']);
    assert.equal(eventsOf(events, 'tool.completed')[0]?.result, 'hello over http');
    assert.equal((await statusOf('web')).status, 'connected');
  });

  it('a request may add allowed MCP servers; unknown names are a 422 naming them', async () => {
    const { events, modelRequests } = await runWith([{ name: 'web__add', args: { a: 40, b: 2 } }], { agent: 'chat', input: 'Add.', mcpServers: ['web'] });
    assert.ok((modelRequests[0].body as { tools: { function: { name: string } }[] }).tools.some((tool) => tool.function.name === 'web__add'));
    assert.deepEqual(eventsOf(events, 'tool.completed')[0]?.result, { sum: 42 });

    const refused = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'x', mcpServers: ['web', 'nope', 'other'] });
    assert.equal(refused.status, 422);
    const body = (await refused.json()) as { error: { code: string; message: string; details: { unknown: string[] } } };
    assert.equal(body.error.code, 'validation_failed');
    assert.match(body.error.message, /'nope', 'other'/);
    assert.deepEqual(body.error.details.unknown, ['nope', 'other']);
  });

  it('a tool that errors or times out fails cleanly (tool.failed) and the run goes on', async () => {
    const { events } = await runWith(
      [{ name: 'calc__slow', args: { ms: 20_000 } }, { name: 'calc__fail', args: {} }, { name: 'calc__add', args: { a: 1, b: 1 } }],
      { agent: 'mcp_agent', input: 'Try everything.' },
    );
    assert.equal(events.at(-1)?.type, 'run.completed');
    const failed = Object.fromEntries(eventsOf(events, 'tool.failed').map((event) => [event.toolName, event.error]));
    assert.equal(failed.calc__slow?.code, 'tool_failed');
    assert.match(failed.calc__slow?.message ?? '', /MCP server 'calc' did not answer 'slow' within 1000 ms/);
    assert.match(failed.calc__fail?.message ?? '', /reported an error: the fail tool failed on purpose/);
    assert.deepEqual(eventsOf(events, 'tool.completed')[0]?.result, { sum: 2 });
    assert.equal((await statusOf('calc')).status, 'connected', 'a slow tool does not drop the connection');
  });

  it('a stdio server that dies: the call fails, the run goes on, and the next use reconnects to a new process', async () => {
    const first = await runWith([{ name: 'calc__pid', args: {} }], { agent: 'mcp_agent', input: 'pid?' });
    const firstPid = eventsOf(first.events, 'tool.completed')[0]?.result;

    const crash = await runWith([{ name: 'calc__crash', args: {} }], { agent: 'mcp_agent', input: 'Crash it.' });
    assert.equal(crash.events.at(-1)?.type, 'run.completed');
    const failure = eventsOf(crash.events, 'tool.failed')[0];
    assert.equal(failure?.toolName, 'calc__crash');
    assert.match(failure.error.message, /MCP server 'calc' failed during 'crash'/);
    const down = await statusOf('calc');
    assert.equal(down.status, 'failed');
    assert.match(down.error ?? '', /connection closed/);
    assert.ok(down.tools.length > 0, 'the last known tools are kept');

    const again = await runWith([{ name: 'calc__pid', args: {} }], { agent: 'mcp_agent', input: 'pid again?' });
    const secondPid = eventsOf(again.events, 'tool.completed')[0]?.result;
    assert.ok(typeof firstPid === 'string' && typeof secondPid === 'string');
    assert.notEqual(secondPid, firstPid, 'a new server process answered');
    assert.equal((await statusOf('calc')).status, 'connected');
  });

  it('an HTTP server that goes away fails the call cleanly; once it is back, the next use reconnects', async () => {
    const port = http.port;
    await http.stop();
    const gone = await runWith([{ name: 'web__echo', args: { text: 'anyone?' } }], { agent: 'picky', input: 'Echo.' });
    assert.equal(gone.events.at(-1)?.type, 'run.completed');
    assert.match(eventsOf(gone.events, 'tool.failed')[0]?.error.message ?? '', /MCP server 'web' (failed during 'echo'|is unavailable)/);
    assert.equal((await statusOf('web')).status, 'failed');

    http = await spawnMcpHttpServer(port);
    const back = await runWith([{ name: 'web__echo', args: { text: 'back again' } }], { agent: 'picky', input: 'Echo.' });
    assert.equal(eventsOf(back.events, 'tool.completed')[0]?.result, 'back again');
    assert.equal((await statusOf('web')).status, 'connected');
  });

  it('servers that fail to start are `failed` with the reason; their agents still run, without those tools', async () => {
    const { events, modelRequests } = await runWith([], { agent: 'stuck', input: 'Anything?' });
    assert.equal(events.at(-1)?.type, 'run.completed');
    assert.equal((modelRequests[0].body as { tools?: unknown[] }).tools, undefined, 'no tools to offer');
    const broken = await statusOf('broken');
    assert.equal(broken.status, 'failed');
    assert.match(broken.error ?? '', /could not connect/);
    assert.ok(broken.retryAt && Date.parse(broken.retryAt) > Date.now() - 1000, 'a reconnect is scheduled');
    const mute = await statusOf('mute');
    assert.equal(mute.status, 'failed');
    assert.match(mute.error ?? '', /no answer within 1500 ms|timed out/i);
  });
});

describe('MCP configuration errors stop start-up with the file and line', () => {
  const attempt = async (config: unknown) => {
    try {
      const server = await startProviderServer({ config });
      await server.close();
      return undefined;
    } catch (error) {
      return error as Error;
    }
  };

  it('an agent naming an unknown MCP server, or a tool of one', async () => {
    const servers = [{ name: 'calc', command: process.execPath, args: [MCP_TEST_SERVER] }];
    const unknownServer = await attempt({ mcpServers: servers, agents: [{ id: 'a', mcpServers: ['calc', 'nowhere'] }] });
    assert.equal(unknownServer?.name, 'ConfigError');
    assert.match(unknownServer!.message, /agentstream\.config\.json:\d+: agent 'a' names unknown MCP server 'nowhere' \(configured: calc\)/);
    const unknownTool = await attempt({ mcpServers: servers, agents: [{ id: 'a', tools: ['nowhere__echo'] }] });
    assert.match(unknownTool?.message ?? '', /agent 'a' names unknown tool 'nowhere__echo'/);
  });

  it('malformed server entries and duplicate names', async () => {
    const both = await attempt({ mcpServers: [{ name: 'x', command: 'node', url: 'http://127.0.0.1:1/mcp' }] });
    assert.equal(both?.name, 'ConfigError');
    const duplicate = await attempt({ mcpServers: [{ name: 'x', command: 'node' }, { name: 'x', url: 'http://127.0.0.1:1/mcp' }] });
    assert.match(duplicate?.message ?? '', /mcpServers\.1\.name: MCP server 'x' is declared twice/);
    const separator = await attempt({ mcpServers: [{ name: 'a__b', command: 'node' }] });
    assert.match(separator?.message ?? '', /may not contain "__"/);
  });
});
