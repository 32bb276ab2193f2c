/**
 * A real MCP server, written with the official SDK, for the e2e tests. Run it as a program:
 *   node mcp-test-server.ts            speaks MCP over stdio
 *   node mcp-test-server.ts --http 0   speaks Streamable HTTP on a loopback port; prints `listening <url>`
 * Tools: `add`, `echo`, `slow` (waits), `pid` (which process answered), `crash` (exits the process).
 * Spec: https://modelcontextprotocol.io/specification/2025-06-18/basic/transports
 */
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

function buildServer(): McpServer {
  const server = new McpServer({ name: 'agentstream-test', version: '1.0.0' });
  server.registerTool('add', {
    description: 'Adds two numbers.',
    inputSchema: { a: z.number(), b: z.number() },
  }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }));
  server.registerTool('echo', {
    description: 'Repeats the text it is given.',
    inputSchema: { text: z.string() },
  }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('slow', {
    description: 'Answers after the given number of milliseconds.',
    inputSchema: { ms: z.number().int().min(0) },
  }, async ({ ms }, extra) => {
    await delay(ms, undefined, { signal: extra.signal }).catch(() => {});
    return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
  });
  server.registerTool('pid', { description: 'The id of the process that answers.' }, async () => ({ content: [{ type: 'text', text: String(process.pid) }] }));
  server.registerTool('fail', { description: 'Always reports an error.' }, async () => ({ isError: true, content: [{ type: 'text', text: 'the fail tool failed on purpose' }] }));
  server.registerTool('crash', { description: 'Exits the server process at once.' }, async () => process.exit(3));
  return server;
}

async function serveHttp(port: number): Promise<void> {
  const http = createServer(async (request, response) => {
    // Stateless mode: a fresh server and transport per request, as the SDK documents it.
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  });
  http.listen(port, '127.0.0.1', () => {
    const address = http.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`listening http://127.0.0.1:${actual}/mcp\n`);
  });
}

const httpFlag = process.argv.indexOf('--http');
if (httpFlag >= 0) {
  await serveHttp(Number(process.argv[httpFlag + 1] ?? 0));
} else {
  await buildServer().connect(new StdioServerTransport());
}
