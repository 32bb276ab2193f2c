import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { resolveTarget, type Catalog } from '../../../agents/catalog.ts';
import { AppError } from '../../../errors/app-error.ts';
import { isTerminal, type RunEvent } from '../../../events/run-event.ts';
import { createStepDescriber } from '../../../protocols/describe-step.ts';
import { callerOf } from '../../access/request-access.ts';
import type { AppDeps } from '../../app-deps.ts';
import type { RouteModule } from '../../app.ts';

/** Open MCP sessions kept per process; past it the oldest is closed (each holds a server and a transport). */
const MAX_SESSIONS = 1000;

type Session = { transport: StreamableHTTPServerTransport; server: Server; tenant: string };

/**
 * The agents and teams as an MCP server at `/mcp` (Streamable HTTP, https://modelcontextprotocol.io/specification/2025-06-18/basic/transports),
 * through the official SDK. Each agent and team is a tool named by its id that takes `{ message }`; a call
 * is a run. Sessions are stateful so that a client's `notifications/cancelled` reaches the call it cancels
 * (and cancels the run). Registered on the main app, so its API-key hook covers `/mcp` like every route.
 */
export const mcpServerRoutes: RouteModule = (deps) => async (app) => {
  const sessions = new Map<string, Session>();

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    schema: { tags: ['protocols'], summary: 'MCP server (Streamable HTTP): every agent and team as a tool taking { message }' },
    handler: async (request, reply) => {
      const sessionHeader = request.headers['mcp-session-id'];
      const sessionId = typeof sessionHeader === 'string' ? sessionHeader : undefined;
      let session = sessionId ? sessions.get(sessionId) : undefined;
      // A session is its opener's: another tenant's request for it reads as an unknown session.
      if (session && session.tenant !== request.access.tenant) session = undefined;
      if (sessionId && !session) {
        // The spec: an unknown (or expired) session is a 404, and the client starts a new one.
        return reply.status(404).send({ jsonrpc: '2.0', error: { code: -32001, message: `MCP session '${sessionId.slice(0, 80)}' not found.` }, id: null });
      }
      if (!session) {
        if (request.method !== 'POST') throw new AppError('bad_request', { message: 'Start an MCP session with a POST of `initialize`.' });
        session = openSession(deps, sessions, callerOf(request));
      }
      reply.hijack();
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
    },
  });

  app.addHook('onClose', async () => {
    await Promise.all([...sessions.values()].map((session) => session.transport.close()));
  });
};

function openSession(deps: AppDeps, sessions: Map<string, Session>, caller: ReturnType<typeof callerOf>): Session {
  const server = createAgentsMcpServer(deps, caller);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => `mcp_${randomUUID()}`,
    onsessioninitialized: (id) => {
      if (sessions.size >= MAX_SESSIONS) {
        const [oldestId, oldest] = sessions.entries().next().value!;
        sessions.delete(oldestId);
        void oldest.transport.close();
      }
      sessions.set(id, session);
    },
    onsessionclosed: (id) => {
      sessions.delete(id);
    },
  });
  const session: Session = { transport, server, tenant: caller.tenant };
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  void server.connect(transport);
  return session;
}

/** An MCP server whose tools are the catalogue's agents and teams. */
function createAgentsMcpServer(deps: AppDeps, caller: ReturnType<typeof callerOf>): Server {
  const server = new Server({ name: 'agentstream', version: deps.config.version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listTools(deps.catalog) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    let target;
    try {
      target = resolveTarget(deps.catalog, name);
    } catch {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool '${name.slice(0, 200)}': tools are the agents and teams of GET /v1/agents and /v1/teams.`);
    }
    const message = args?.message;
    if (typeof message !== 'string' || message.trim() === '') throw new McpError(ErrorCode.InvalidParams, 'arguments.message must be a non-empty string.');
    const run = await deps.runs.start({ ...caller, target, input: message, metadata: { protocol: 'mcp', tool: name } });
    const progressToken = request.params._meta?.progressToken;
    const describe = createStepDescriber();
    let progress = 0;
    let terminal: RunEvent | undefined;
    // notifications/cancelled, or the session closing, aborts `extra.signal`: the run stops with the call.
    const cancel = () => deps.runs.cancelIfActive(run.id, 'The MCP client cancelled the call.');
    extra.signal.addEventListener('abort', cancel, { once: true });
    try {
      await deps.runs.follow(run.id, 0, (event) => {
        if (isTerminal(event)) terminal = event;
        const text = progressToken === undefined ? undefined : describe(event);
        if (text === undefined) return;
        progress += 1;
        void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: progressToken!, progress, message: text } }).catch(() => {});
      }, extra.signal);
    } finally {
      extra.signal.removeEventListener('abort', cancel);
    }
    const meta = { 'agentstream/runId': run.id, 'agentstream/sessionId': run.sessionId };
    if (terminal?.type === 'run.completed') return { content: [{ type: 'text', text: terminal.output }], _meta: meta };
    if (terminal?.type === 'run.failed') return { isError: true, content: [{ type: 'text', text: `${terminal.error.code}: ${terminal.error.message}` }], _meta: meta };
    return { isError: true, content: [{ type: 'text', text: `run_cancelled: ${terminal?.type === 'run.cancelled' ? terminal.reason : 'The call was cancelled.'}` }], _meta: meta };
  });
  return server;
}

function listTools(catalog: Catalog) {
  const inputSchema = {
    type: 'object' as const,
    properties: { message: { type: 'string', description: 'What to ask the agent or team.' } },
    required: ['message'],
  };
  const tools = new Map<string, { name: string; title: string; description: string; inputSchema: typeof inputSchema }>();
  for (const agent of catalog.agents.values()) tools.set(agent.id, { name: agent.id, title: agent.name, description: agent.description, inputSchema });
  for (const team of catalog.teams.values()) tools.set(team.id, { name: team.id, title: team.name, description: `Team (${team.mode}): ${team.description}`, inputSchema });
  return [...tools.values()];
}
