import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { AppError } from '../../errors/app-error.ts';
import type { JsonValue } from '../../events/run-event.ts';
import type { Logger } from '../../logging/logger.ts';
import type { McpServerConfig } from './mcp-config.ts';
import { mcpToolName } from './mcp-tool-name.ts';

/** `connecting` until the first handshake ends; `failed` when it failed or the server went away. */
export type McpStatus = 'connecting' | 'connected' | 'failed';

/** A tool as the server listed it. */
export type McpToolInfo = { name: string; description: string; inputSchema: Record<string, unknown> };

/** One server's config and the limits that apply to it (per-server values in `config` win). */
export type McpConnectionOptions = {
  config: McpServerConfig;
  log: Logger;
  /** Longest handshake (connect + list tools), in ms. */
  connectTimeoutMs: number;
  /** Longest tool call when the server config names none, in ms. */
  callTimeoutMs: number;
  /** First wait after a failed reconnect, in ms; doubles per failure up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
};

const CLIENT_INFO = { name: 'agentstream', version: '0.1.0' };

/**
 * One MCP server: connects (stdio or Streamable HTTP), keeps the tool list, calls tools. When the server
 * dies or a handshake fails, the status becomes `failed` and the next use reconnects: at once after a
 * server that was up went away, then with doubling backoff while reconnects keep failing. The last tool
 * list is kept meanwhile, so agents still see the tools and a call is what triggers the reconnect.
 * Transports: https://modelcontextprotocol.io/specification/2025-06-18/basic/transports
 */
export class McpConnection {
  readonly name: string;
  readonly transport: 'stdio' | 'http';
  #options: McpConnectionOptions;
  #status: McpStatus = 'connecting';
  #client: Client | undefined;
  /** The client of a handshake in progress, so `close()` can stop it (and its child process). */
  #handshaking: Client | undefined;
  #tools: McpToolInfo[] = [];
  #lastError: string | undefined;
  #failures = 0;
  #retryAt = 0;
  #pending: Promise<void> | undefined;
  #closed = false;

  constructor(options: McpConnectionOptions) {
    this.#options = options;
    this.name = options.config.name;
    this.transport = 'url' in options.config ? 'http' : 'stdio';
  }

  get status(): McpStatus {
    return this.#status;
  }

  get tools(): readonly McpToolInfo[] {
    return this.#tools;
  }

  /** Starts (or joins) a handshake. Never rejects: a failure is recorded in the status. */
  connect(): Promise<void> {
    this.#pending ??= this.#handshake().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  /** Waits for a handshake in progress, or starts one when the server is down and its backoff is over. */
  async ready(): Promise<void> {
    if (this.#status === 'connected' || this.#closed) return;
    if (this.#pending) return this.#pending;
    if (Date.now() >= this.#retryAt) return this.connect();
  }

  /** Calls a tool; every failure (server down, timeout, tool error) is a `tool_failed` AppError naming the server. */
  async callTool(tool: string, input: Record<string, unknown>, signal: AbortSignal): Promise<JsonValue> {
    await this.ready();
    const client = this.#client;
    if (this.#status !== 'connected' || !client) {
      const wait = Math.max(0, Math.ceil((this.#retryAt - Date.now()) / 1000));
      throw new AppError('tool_failed', { message: `MCP server '${this.name}' is unavailable${wait > 0 ? ` (next reconnect in ${wait} s)` : ''}: ${this.#lastError ?? 'not connected'}.` });
    }
    const timeoutMs = this.#options.config.timeoutMs ?? this.#options.callTimeoutMs;
    let result;
    try {
      result = await client.callTool({ name: tool, arguments: input }, undefined, { signal, timeout: timeoutMs });
    } catch (error) {
      signal.throwIfAborted();
      const code = (error as { code?: unknown }).code;
      // -32001 is the SDK's RequestTimeout: the server is slow, not necessarily gone, so the connection stays.
      if (code === -32001) throw new AppError('tool_failed', { message: `MCP server '${this.name}' did not answer '${tool}' within ${timeoutMs} ms.` });
      // No JSON-RPC answer at all (-32000 ConnectionClosed, a refused HTTP request): the server is gone.
      if (typeof code !== 'number' || code === -32000) this.#lost(client);
      throw new AppError('tool_failed', { message: `MCP server '${this.name}' failed during '${tool}': ${messageOf(error)}` });
    }
    if (result.isError === true) throw new AppError('tool_failed', { message: `MCP tool '${tool}' on '${this.name}' reported an error: ${textOf(result.content) || 'no details'}` });
    return resultValue(result as { content?: unknown; structuredContent?: unknown });
  }

  /** For `GET /v1/mcp-servers`: each tool by the name agents see (`<server>__<tool>`) and by its MCP name. */
  describe() {
    return {
      name: this.name,
      transport: this.transport,
      status: this.#status,
      tools: this.#tools.map((tool) => ({ name: mcpToolName(this.name, tool.name), mcpName: tool.name, description: tool.description })),
      ...(this.#status === 'failed' && this.#lastError ? { error: this.#lastError } : {}),
      ...(this.#status === 'failed' ? { retryAt: new Date(Math.max(this.#retryAt, Date.now())).toISOString() } : {}),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = [this.#client, this.#handshaking];
    this.#client = undefined;
    await Promise.all(clients.map((client) => client?.close().catch(() => {})));
  }

  async #handshake(): Promise<void> {
    if (this.#closed) return;
    const previous = this.#client;
    this.#client = undefined;
    await previous?.close().catch(() => {});
    this.#status = 'connecting';
    const client = new Client(CLIENT_INFO);
    this.#handshaking = client;
    const timeoutMs = this.#options.config.connectTimeoutMs ?? this.#options.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const handshake = (async () => {
        await client.connect(this.#createTransport(), { timeout: timeoutMs });
        return (await client.listTools(undefined, { timeout: timeoutMs })).tools;
      })();
      handshake.catch(() => {}); // when the timer wins, the abandoned handshake still settles
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const tools = await Promise.race([handshake, timeout]);
      if (this.#closed) return void client.close().catch(() => {});
      this.#tools = tools.map((tool) => ({ name: tool.name, description: tool.description ?? '', inputSchema: withoutSchemaKey(tool.inputSchema) }));
      this.#client = client;
      this.#status = 'connected';
      this.#lastError = undefined;
      this.#failures = 0;
      client.onclose = () => this.#lost(client);
      this.#options.log('info', 'MCP server connected', { server: this.name, transport: this.transport, tools: this.#tools.length });
    } catch (error) {
      await client.close().catch(() => {});
      this.#failures += 1;
      const base = this.#options.reconnectDelayMs ?? 1000;
      const delay = Math.min(base * 2 ** (this.#failures - 1), this.#options.maxReconnectDelayMs ?? 60_000);
      this.#fail(`could not connect: ${messageOf(error)}`, Date.now() + delay);
    } finally {
      clearTimeout(timer);
      this.#handshaking = undefined;
    }
  }

  #lost(client: Client): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    client.onclose = undefined;
    void client.close().catch(() => {});
    // A server that was up and went away is worth one immediate reconnect on next use.
    this.#fail('the connection closed (the server exited or went away)', Date.now());
  }

  #fail(reason: string, retryAt: number): void {
    this.#status = 'failed';
    this.#lastError = reason;
    this.#retryAt = retryAt;
    this.#options.log('warn', 'MCP server unavailable', { server: this.name, transport: this.transport, error: reason, retryAt: new Date(retryAt).toISOString() });
  }

  #createTransport(): Transport {
    const config = this.#options.config;
    if ('url' in config) return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
    const transport = new StdioClientTransport({ command: config.command, args: config.args, env: config.env, cwd: config.cwd, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => this.#options.log('debug', 'MCP server stderr', { server: this.name, text: chunk.toString('utf8').slice(0, 2000) }));
    return transport;
  }
}

function withoutSchemaKey(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Content = { type: string; text?: unknown }[];

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return (content as Content).filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text as string).join('\n');
}

/** Structured content when the server gave it, else the text, else the content parts as they came. */
function resultValue(result: { content?: unknown; structuredContent?: unknown }): JsonValue {
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent as JsonValue;
  const content = Array.isArray(result.content) ? (result.content as Content) : [];
  if (content.every((part) => part.type === 'text')) return textOf(content);
  return content as unknown as JsonValue;
}
