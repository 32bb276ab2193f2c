import { AppError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Tool } from '../define-tool.ts';
import type { McpServerConfig } from './mcp-config.ts';
import { McpConnection, type McpConnectionOptions } from './mcp-connection.ts';
import { toMcpTool } from './to-mcp-tool.ts';

/** The configured servers and the default limits for their handshakes and calls. */
export type McpHubOptions = {
  servers: readonly McpServerConfig[];
  log: Logger;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  reconnectDelayMs?: McpConnectionOptions['reconnectDelayMs'];
};

/** Which MCP tools an agent gets: every tool of `servers`, plus tools named `<server>__<tool>`. */
export type McpToolRequest = { servers: readonly string[]; toolNames?: readonly string[]; signal?: AbortSignal };

/**
 * The configured MCP servers. `start()` connects them in the background (start-up never waits); agents
 * get their tools through `toolsFor`, which waits for a handshake still in progress (bounded by the
 * connect timeout) and otherwise uses the last known tool list.
 */
export class McpHub {
  #connections = new Map<string, McpConnection>();
  #log: Logger;

  constructor(options: McpHubOptions) {
    this.#log = options.log;
    for (const config of options.servers) {
      this.#connections.set(config.name, new McpConnection({ config, log: options.log, connectTimeoutMs: options.connectTimeoutMs, callTimeoutMs: options.callTimeoutMs, reconnectDelayMs: options.reconnectDelayMs }));
    }
  }

  /** Configured server names, in config order. */
  names(): string[] {
    return [...this.#connections.keys()];
  }

  has(name: string): boolean {
    return this.#connections.has(name);
  }

  /** Connects every server in the background. */
  start(): void {
    for (const connection of this.#connections.values()) void connection.connect();
  }

  /** Status and tools of every server, for `GET /v1/mcp-servers`. */
  list() {
    return [...this.#connections.values()].map((connection) => connection.describe());
  }

  /**
   * Checks a request's MCP server selection against the configured allowlist. Throws 422
   * `validation_failed` naming every unknown server; returns the names without duplicates.
   */
  validateSelection(names: readonly string[]): string[] {
    return checkSelection(names, this.names());
  }

  /** The agent tools for a request; servers that are down contribute their last known tools (or none). */
  async toolsFor(request: McpToolRequest): Promise<Tool[]> {
    const named = (request.toolNames ?? []).map((toolName) => ({ toolName, server: serverOf(toolName, this.#connections) }));
    const wanted = new Set([...request.servers, ...named.flatMap((entry) => (entry.server ? [entry.server] : []))]);
    const connections = [...wanted].flatMap((name) => this.#connections.get(name) ?? []);
    await abortable(Promise.all(connections.map((connection) => connection.ready())), request.signal);
    const tools = new Map<string, Tool>();
    for (const connection of connections) {
      const all = request.servers.includes(connection.name);
      for (const info of connection.tools) {
        const tool = toMcpTool(connection, info);
        if (all || named.some((entry) => entry.toolName === tool.name)) tools.set(tool.name, tool);
      }
    }
    for (const entry of named) {
      if (!tools.has(entry.toolName)) this.#log('warn', 'MCP tool is not available now', { tool: entry.toolName, server: entry.server, status: entry.server ? this.#connections.get(entry.server)?.status : undefined });
    }
    return [...tools.values()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#connections.values()].map((connection) => connection.close()));
  }
}

/** The server a `<server>__<tool>` name belongs to, if it is a configured one. */
export function serverOf(toolName: string, servers: { has(name: string): boolean }): string | undefined {
  const separator = toolName.indexOf('__');
  if (separator <= 0) return undefined;
  const server = toolName.slice(0, separator);
  return servers.has(server) ? server : undefined;
}

/**
 * What the Dedalus dialect (and any protocol) calls with a request's `mcp_servers`: throws 422 naming
 * the servers that are not configured; with no hub, every name is unknown.
 */
export function validateMcpSelection(hub: McpHub | undefined, names: readonly string[]): string[] {
  return checkSelection(names, hub?.names() ?? []);
}

function checkSelection(names: readonly string[], known: readonly string[]): string[] {
  const unknown = [...new Set(names.filter((name) => !known.includes(name)))];
  if (unknown.length > 0) {
    throw new AppError('validation_failed', {
      message: `Unknown MCP server${unknown.length > 1 ? 's' : ''}: ${unknown.map((name) => `'${name}'`).join(', ')}. Configured: ${known.length > 0 ? known.join(', ') : 'none'}.`,
      details: { fields: [{ field: 'mcpServers', message: `unknown: ${unknown.join(', ')}` }], unknown, known: [...known] },
    });
  }
  return [...new Set(names)];
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
