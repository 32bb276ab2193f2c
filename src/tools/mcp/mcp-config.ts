import { z } from 'zod';

const name = z.string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'MCP server names use letters, digits, _ and - (at most 32)')
  .refine((value) => !value.includes('__'), 'MCP server names may not contain "__" (it separates server and tool in tool names)');
const timeoutMs = z.number().int().min(1).max(3_600_000);

/** An MCP server started as a child process, spoken to over stdio. */
const StdioServer = z.object({
  name,
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** Added to a minimal inherited environment (PATH, HOME…); the server's own keys go here. */
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().min(1).optional(),
  /** Longest wait for one tool call, in ms (default `AGENTSTREAM_MCP_TIMEOUT_MS`). */
  timeoutMs: timeoutMs.optional(),
  /** Longest handshake (connect + list tools), in ms (default `AGENTSTREAM_MCP_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs: timeoutMs.optional(),
}).strict();

/** An MCP server reached over Streamable HTTP. */
const HttpServer = z.object({
  name,
  url: z.string().url(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: timeoutMs.optional(),
  connectTimeoutMs: timeoutMs.optional(),
}).strict();

/** The config file's `mcpServers` section: stdio (`command`) or Streamable HTTP (`url`) servers, unique names. */
export const McpServersConfig = z.array(z.union([StdioServer, HttpServer])).superRefine((servers, context) => {
  const seen = new Set<string>();
  servers.forEach((server, index) => {
    if (seen.has(server.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `MCP server '${server.name}' is declared twice` });
    seen.add(server.name);
  });
});

/** One validated `mcpServers` entry: stdio when it has `command`, Streamable HTTP when it has `url`. */
export type McpServerConfig = z.infer<typeof StdioServer> | z.infer<typeof HttpServer>;
