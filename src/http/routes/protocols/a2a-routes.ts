import { AgentCard, A2A_VERSION_HEADER } from '@a2a-js/sdk';
import { defaultServerCallContextBuilder, JsonRpcTransportHandler, validateVersion, type ServerCallContext } from '@a2a-js/sdk/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveTarget } from '../../../agents/catalog.ts';
import type { RunTarget } from '../../../events/run-event.ts';
import { buildAgentCard } from '../../../protocols/a2a/a2a-agent-card.ts';
import type { AppDeps } from '../../app-deps.ts';
import type { RouteModule } from '../../app.ts';
import { openSseWriter } from '../../sse-writer.ts';
import { RunTaskHandler } from './a2a/run-task-handler.ts';
import { callerOf, readScopeOf } from '../../access/request-access.ts';

/** The agent the server's own card (`/.well-known/agent-card.json`) describes. */
const DEFAULT_AGENT = 'assistant';

/**
 * A2A v1.0 over JSON-RPC (https://a2a-protocol.org/v1.0.0/specification/): each agent and team has a card at
 * `/a2a/{id}/.well-known/agent-card.json` and its JSON-RPC endpoint at `POST /a2a/{id}`; the server's own card
 * serves the default agent. The official SDK's JsonRpcTransportHandler parses and frames JSON-RPC; our
 * RunTaskHandler maps tasks onto runs.
 */
export const a2aRoutes: RouteModule = (deps) => async (app) => {
  const signals = new WeakMap<ServerCallContext, AbortSignal>();
  const cardOf = (request: FastifyRequest, target: RunTarget) => buildAgentCard(describe(deps, target), { url: `${request.protocol}://${request.host}/a2a/${encodeURIComponent(target.id)}`, version: deps.config.version });

  app.get('/.well-known/agent-card.json', { schema: { tags: ['protocols'], summary: 'A2A: the server\'s agent card (the default agent, assistant)' } }, async (request) => cardOf(request, resolveTarget(deps.catalog, DEFAULT_AGENT)));
  app.get<{ Params: { target: string } }>('/a2a/:target/.well-known/agent-card.json', { schema: { tags: ['protocols'], summary: 'A2A: the agent card of an agent or team' } }, async (request) => cardOf(request, resolveTarget(deps.catalog, request.params.target)));

  app.post<{ Params: { target: string } }>('/a2a/:target', {
    schema: { tags: ['protocols'], summary: 'A2A JSON-RPC: SendMessage, SendStreamingMessage, GetTask, CancelTask, SubscribeToTask' },
  }, async (request, reply) => {
    const target = resolveTarget(deps.catalog, request.params.target);
    const card = AgentCard.fromJSON(cardOf(request, target));
    const requestedVersion = headerOf(request, A2A_VERSION_HEADER);
    const context = defaultServerCallContextBuilder({ extensions: undefined, user: undefined, headers: request.headers, ...(requestedVersion ? { requestedVersion } : {}) });
    const id = (request.body as { id?: unknown } | undefined)?.id ?? null;
    try {
      validateVersion(context.requestedVersion, card, 'JSONRPC');
    } catch (error) {
      return { jsonrpc: '2.0', id, error: JsonRpcTransportHandler.mapToJSONRPCError(error) };
    }
    const gone = new AbortController();
    signals.set(context, gone.signal);
    const handler = new JsonRpcTransportHandler(new RunTaskHandler({ deps, target, card, signals, caller: callerOf(request), scope: readScopeOf(request) }));
    const answer = await handler.handle((request.body ?? '') as Record<string, unknown>, context);
    if (!(Symbol.asyncIterator in answer)) return answer;
    return streamJsonRpc(reply, answer, { id, gone, heartbeatMs: deps.config.heartbeatMs });
  });
};

/** A streaming method's answers as SSE `data:` frames; an error before the first one is a plain JSON-RPC error. */
async function streamJsonRpc(reply: FastifyReply, answers: AsyncGenerator<unknown>, options: { id: unknown; gone: AbortController; heartbeatMs: number }): Promise<unknown> {
  const iterator = answers[Symbol.asyncIterator]();
  let first: IteratorResult<unknown>;
  try {
    first = await iterator.next();
  } catch (error) {
    return { jsonrpc: '2.0', id: options.id, error: JsonRpcTransportHandler.mapToJSONRPCError(error) };
  }
  reply.hijack();
  const writer = openSseWriter(reply.raw, { headers: reply.getHeaders() as Record<string, string>, heartbeatMs: options.heartbeatMs });
  // The client went away: stop following the run (the task itself goes on; it can be resubscribed).
  writer.addEventListener('abort', () => options.gone.abort());
  const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
  try {
    if (!first.done) writer.write(frame(first.value));
    for (let next = await iterator.next(); !next.done && writer.isOpen; next = await iterator.next()) writer.write(frame(next.value));
    writer.end();
  } catch (error) {
    writer.end(`event: error\n${frame({ jsonrpc: '2.0', id: options.id, error: JsonRpcTransportHandler.mapToJSONRPCError(error) })}`);
  } finally {
    options.gone.abort();
    await iterator.return?.(undefined);
  }
  return reply;
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describe(deps: AppDeps, target: RunTarget) {
  if (target.kind === 'team') {
    const team = deps.catalog.teams.get(target.id)!;
    return { kind: 'team' as const, id: team.id, name: team.name, description: team.description };
  }
  const agent = deps.catalog.agents.get(target.id)!;
  return { kind: 'agent' as const, id: agent.id, name: agent.name, description: agent.description, tools: agent.tools };
}
