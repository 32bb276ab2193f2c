import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Catalog } from '../../../../agents/catalog.ts';
import { getAgent } from '../../../../agents/catalog.ts';
import { AppError } from '../../../../errors/app-error.ts';
import type { RouteModule } from '../../../app.ts';
import type { AppDeps } from '../../../app-deps.ts';
import { createErrorHandler } from '../../../error-handler.ts';
import { parseInput } from '../../../../errors/parse-input.ts';
import { docSchema } from '../../../schemas.ts';
import { streamRun } from '../../../stream-run.ts';
import type { PublicError, RunTarget } from '../../../../events/run-event.ts';
import { collectRunEvents } from './collect-run-events.ts';
import { runErrorStatus } from '../../../../protocols/seeds/run-error-status.ts';
import { streamErrorHandler } from './seed-sse.ts';
import { createOpenAiAgentsRenderer, errorFrame, formatOpenAiAgentsFrame, type AgentProfile, type OpenAiAgentsContext } from '../../../../protocols/seeds/openai-agents/to-openai-agents-frames.ts';
import { toAgentResponse, toReportData } from '../../../../protocols/seeds/openai-agents/to-openai-agents-results.ts';
import type { StartRunRequest } from '../../../../runs/run-manager.ts';
import { callerOf } from '../../../access/request-access.ts';
import { SEED_MULTITASK } from './seed-multitask.ts';

// Seed 003: `POST /{agent}/run|stream`, `GET /{agent}/info` for `assistant` and `chat`, and `POST /research`.

const ROUTED_AGENTS = ['assistant', 'chat'] as const;
const RESEARCH_TEAM = 'research';

const sessionId = z.string().trim().min(1).max(200);
const AgentRequest = z.object({
  input: z.string().min(1).max(100_000).describe('The user message'),
  session_id: sessionId.optional().describe('Continue this conversation'),
  context: z.record(z.string(), z.unknown()).nullish().describe('Accepted for compatibility; not used'),
});
const ResearchBody = z.object({
  input: z.string().min(1).max(100_000).optional().describe('The research query (or `?query=`)'),
  session_id: sessionId.optional(),
  stream: z.boolean().optional().describe('true: answer as SSE (so does `Accept: text/event-stream`)'),
}).nullish();
const ResearchQuery = z.object({ query: z.string().min(1).max(100_000).optional(), stream: z.enum(['true', 'false']).optional() });

/** The profile `agent_updated` and `/info` show for an agent or team id. */
export function profileOf(catalog: Catalog, id: string): AgentProfile | undefined {
  const agent = catalog.agents.get(id);
  if (agent) return { name: agent.name, instructions: agent.instructions, model: catalog.models.normalize(agent.model ?? catalog.models.defaultModel), toolsCount: agent.tools.length, handoffsCount: 0 };
  const team = catalog.teams.get(id);
  if (team) return { name: team.name, instructions: team.instructions, model: catalog.models.normalize(team.model ?? catalog.models.defaultModel), toolsCount: 0, handoffsCount: team.members.length };
  return undefined;
}

/** True when the client asked `/research` for SSE: `Accept: text/event-stream`, `{"stream": true}` or `?stream=true`. */
function wantsStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const body = request.body as { stream?: unknown } | undefined;
  const query = request.query as { stream?: unknown } | undefined;
  return accept.includes('text/event-stream') || body?.stream === true || query?.stream === 'true';
}

/** Seed 003, the OpenAI Agents SDK streaming API: its per-agent routers and the research pipeline. */
export const openAiAgentsRoutes: RouteModule = (deps: AppDeps) => async (app) => {
  const { runs, catalog, config, log } = deps;
  const context: OpenAiAgentsContext = { describe: (id) => profileOf(catalog, id) };
  const streamErrors = streamErrorHandler({ log, heartbeatMs: config.heartbeatMs, render: (error) => formatOpenAiAgentsFrame(errorFrame(error, { at: new Date().toISOString(), sessionId: null })) });
  const jsonErrors = createErrorHandler(log);

  const stream = async (reply: FastifyReply, request: StartRunRequest) => {
    const run = await runs.start(request);
    // The SDK's streamed run dies with its request in the seed; a dropped client cancels here too.
    return streamRun(reply, { runs, run, afterSeq: 0, renderer: createOpenAiAgentsRenderer(context), onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
  };

  for (const agentId of ROUTED_AGENTS) {
    const tags = [`seed: openai agents (${agentId})`];
    app.post(`/${agentId}/run`, { schema: { tags, summary: `Run \`${agentId}\` and answer with one AgentResponse`, body: docSchema(AgentRequest) } }, async (request) => {
      const body = parseInput(AgentRequest, request.body);
      const run = await runs.start({ ...callerOf(request), target: { kind: 'agent', id: agentId }, input: body.input, sessionId: body.session_id, routeMultitask: SEED_MULTITASK });
      return toAgentResponse(await collectRunEvents(runs, run.id), context);
    });

    app.post(`/${agentId}/stream`, {
      // The seed reports every streaming failure as an `error` frame; bad input too, here.
      errorHandler: streamErrors,
      schema: { tags, summary: `Stream \`${agentId}\` (SSE: raw_response, run_item, agent_updated, stream_complete, error)`, body: docSchema(AgentRequest) },
    }, async (request, reply) => {
      const body = parseInput(AgentRequest, request.body);
      await stream(reply, { ...callerOf(request), target: { kind: 'agent', id: agentId }, input: body.input, sessionId: body.session_id, routeMultitask: SEED_MULTITASK });
    });

    app.get(`/${agentId}/info`, { schema: { tags, summary: `What \`${agentId}\` is: instructions, model, tools, endpoints` } }, async () => {
      const agent = getAgent(catalog, agentId);
      const profile = profileOf(catalog, agentId)!;
      return {
        name: agent.name, agent_name: profile.name, description: agent.description, instructions: profile.instructions, model: profile.model,
        tools_count: profile.toolsCount, handoffs_count: profile.handoffsCount,
        endpoints: { run: `/${agentId}/run`, stream: `/${agentId}/stream`, info: `/${agentId}/info` },
      };
    });
  }

  app.post('/research', {
    // JSON by default (the seed's ReportData); SSE when asked, and then failures are `error` frames.
    errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => (wantsStream(request) ? streamErrors(error, request, reply) : jsonErrors(error, request, reply)),
    schema: { tags: ['seed: openai agents (research)'], summary: 'The research pipeline (team `research`): ReportData JSON, or SSE when asked', body: docSchema(ResearchBody), querystring: docSchema(ResearchQuery) },
  }, async (request, reply) => {
    const body = parseInput(ResearchBody, request.body);
    const query = parseInput(ResearchQuery, request.query);
    // The seed's handler took `query` as a query parameter; the document's routers take `{input}`.
    const input = body?.input ?? query.query;
    if (!input) throw new AppError('validation_failed', { message: 'input: Required (send {"input": "..."} or ?query=...)', details: { fields: [{ field: 'input', message: 'Required' }] } });
    const target: RunTarget = { kind: 'team', id: RESEARCH_TEAM };
    if (wantsStream(request)) return stream(reply, { ...callerOf(request), target, input, sessionId: body?.session_id, routeMultitask: SEED_MULTITASK });
    const run = await runs.start({ ...callerOf(request), target, input, sessionId: body?.session_id, routeMultitask: SEED_MULTITASK });
    const ended = await runs.waitForEnd(run.id);
    if (ended.status !== 'completed' || ended.output === null) {
      const error: PublicError = ended.status === 'cancelled' ? { code: 'cancelled', message: 'The research run was cancelled.' } : ended.error ?? { code: 'internal', message: 'The run failed.' };
      return reply.status(runErrorStatus(error)).send({ error });
    }
    return toReportData(ended.output);
  });
};
