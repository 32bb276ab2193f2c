import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../../errors/app-error.ts';
import type { RouteModule } from '../../../app.ts';
import type { AppDeps } from '../../../app-deps.ts';
import { parseInput } from '../../../../errors/parse-input.ts';
import { docSchema } from '../../../schemas.ts';
import { streamRun } from '../../../stream-run.ts';
import type { RunRecord } from '../../../../store/store.ts';
import { AgnoAgentRegistry } from '../../../../protocols/seeds/agno-multi/agno-agent-registry.ts';
import { createAgnoMultiRenderer, type AgnoStreamContext } from '../../../../protocols/seeds/agno-multi/to-agno-multi-frames.ts';
import { callerOf, readScopeOf, requireAdmin, tenantOf } from '../../../access/request-access.ts';
import { SEED_MULTITASK } from './seed-multitask.ts';

// Seed 000: `POST|GET /api/v1/agent/stream`, `POST|GET /api/v1/team/stream`, health, status and cleanup.

const AGENT = 'assistant';
const DEFAULT_TEAM = 'web_team';
const DEFAULT_USER = 'default_user';
const DEFAULT_PROJECT = 'default_project';

// Each part of `agno:<user>:<project>` stays short enough for the 200-character session id limit.
const key = z.string().trim().min(1).max(90);
const message = z.string().min(1).max(100_000);
const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const AgentStreamBody = z.object({
  message,
  user_id: key.optional().describe('Keys the session with project_id; default `default_user`'),
  project_id: key.optional().describe('Default `default_project`'),
  stream_intermediate_steps: z.boolean().default(true).describe('false leaves out thinking and tool frames'),
});
const AgentStreamQuery = AgentStreamBody.extend({ stream_intermediate_steps: queryBoolean.default(true) });

const TeamConfig = z.looseObject({
  team: key.optional().describe('Team id; default `web_team`'),
  team_id: key.optional().describe('Same as `team`'),
});
const TeamStreamBody = z.object({
  message,
  team_config: TeamConfig.nullish(),
  stream_intermediate_steps: z.boolean().default(true),
});
const TeamStreamQuery = z.object({ message, team: key.optional(), stream_intermediate_steps: queryBoolean.default(true) });

/** What a run started here remembers in its metadata, so a resumed stream renders exactly as the first one. */
type AgnoRunMetadata = { dialect: 'agno-multi'; mode: 'agent' | 'team'; user_id: string; project_id: string | null; stream_intermediate_steps: boolean };

/** Seed 000, "Agno Multi-Agent Streaming API": its endpoints on the one run engine. */
export const agnoMultiRoutes: RouteModule = (deps: AppDeps) => async (app) => {
  const { runs, config, log } = deps;
  const registry = new AgnoAgentRegistry();
  const tags = ['seed: agno multi-agent'];

  const stream = (reply: FastifyReply, run: RunRecord, afterSeq: number, context: AgnoStreamContext) =>
    // `continue`: the frames carry `<runId>:<seq>` ids, so a reconnecting EventSource picks the run up again.
    streamRun(reply, { runs, run, afterSeq, renderer: createAgnoMultiRenderer(context), onDisconnect: 'continue', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });

  /** A reconnecting EventSource sends the last id it saw: resume that run rather than start another. */
  const resumeIfAsked = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const lastEventId = request.headers['last-event-id'];
    if (typeof lastEventId !== 'string' || lastEventId === '') return false;
    const match = /^(run_[\w-]{1,100}):(\d{1,15})$/.exec(lastEventId.trim());
    if (!match) throw new AppError('invalid_last_event_id', { message: `Last-Event-ID must be '<runId>:<seq>' as this stream sends it, got '${lastEventId.slice(0, 60)}'.` });
    const run = await runs.get(match[1], readScopeOf(request));
    const afterSeq = Number(match[2]);
    if (runs.checkFollow(run, afterSeq) === 'nothing-left') {
      reply.status(204).send();
      return true;
    }
    await stream(reply, run, afterSeq, contextOf(run));
    return true;
  };

  const startAgent = async (request: FastifyRequest, reply: FastifyReply, input: z.infer<typeof AgentStreamBody>) => {
    const userId = input.user_id ?? DEFAULT_USER;
    const projectId = input.project_id ?? DEFAULT_PROJECT;
    const sessionId = `agno:${userId}:${projectId}`;
    const metadata: AgnoRunMetadata = { dialect: 'agno-multi', mode: 'agent', user_id: userId, project_id: projectId, stream_intermediate_steps: input.stream_intermediate_steps };
    const run = await runs.start({ ...callerOf(request), target: { kind: 'agent', id: AGENT }, input: input.message, sessionId, metadata, routeMultitask: SEED_MULTITASK });
    const tenant = tenantOf(request);
    registry.runStarted({ tenant, userId, projectId, sessionId, agentId: AGENT });
    void runs.waitForEnd(run.id).finally(() => registry.runEnded(tenant, userId, projectId)).catch(() => {});
    await stream(reply, run, 0, { mode: 'agent', userId, projectId, intermediateSteps: input.stream_intermediate_steps });
  };

  const startTeam = async (request: FastifyRequest, reply: FastifyReply, input: { message: string; team?: string; intermediateSteps: boolean }) => {
    const team = input.team ?? DEFAULT_TEAM;
    const metadata: AgnoRunMetadata = { dialect: 'agno-multi', mode: 'team', user_id: team, project_id: null, stream_intermediate_steps: input.intermediateSteps };
    const run = await runs.start({ ...callerOf(request), target: { kind: 'team', id: team }, input: input.message, metadata });
    await stream(reply, run, 0, { mode: 'team', userId: team, projectId: null, intermediateSteps: input.intermediateSteps });
  };

  app.post('/api/v1/agent/stream', {
    schema: { tags, summary: 'Stream the `assistant` agent (SSE; user_id+project_id continue one session)', body: docSchema(AgentStreamBody) },
  }, async (request, reply) => {
    if (await resumeIfAsked(request, reply)) return;
    await startAgent(request, reply, parseInput(AgentStreamBody, request.body));
  });

  app.get('/api/v1/agent/stream', {
    schema: { tags, summary: 'The same stream for a browser EventSource: ?message=…&user_id=…', querystring: docSchema(AgentStreamQuery) },
  }, async (request, reply) => {
    if (await resumeIfAsked(request, reply)) return;
    await startAgent(request, reply, parseInput(AgentStreamQuery, request.query));
  });

  app.post('/api/v1/team/stream', {
    schema: { tags, summary: 'Stream a team (default `web_team`; `team_config.team` names another)', body: docSchema(TeamStreamBody) },
  }, async (request, reply) => {
    if (await resumeIfAsked(request, reply)) return;
    const body = parseInput(TeamStreamBody, request.body);
    await startTeam(request, reply, { message: body.message, team: body.team_config?.team ?? body.team_config?.team_id, intermediateSteps: body.stream_intermediate_steps });
  });

  app.get('/api/v1/team/stream', {
    schema: { tags, summary: 'The team stream for a browser EventSource: ?message=…&team=…', querystring: docSchema(TeamStreamQuery) },
  }, async (request, reply) => {
    if (await resumeIfAsked(request, reply)) return;
    const query = parseInput(TeamStreamQuery, request.query);
    await startTeam(request, reply, { message: query.message, team: query.team, intermediateSteps: query.stream_intermediate_steps });
  });

  app.get('/api/v1/health', { schema: { tags, summary: 'Health check' } }, async () => ({
    status: 'healthy', timestamp: new Date().toISOString(), version: config.version, active_agents: registry.size, active_runs: runs.activeCount,
  }));

  app.get('/api/v1/agents/status', { schema: { tags, summary: 'Agents created through this API, by `<user_id>:<project_id>` (the caller\'s tenant; every tenant\'s with the admin key)' } }, async (request) => {
    const agents = registry.snapshot(readScopeOf(request));
    return {
      active_agents: Object.keys(agents).length,
      running_agents: Object.values(agents).filter((agent) => agent.running > 0).length,
      agents,
      timestamp: new Date().toISOString(),
    };
  });

  app.delete('/api/v1/agents/cleanup', { schema: { tags, summary: 'Admin key: forget agents with no run in progress (their sessions stay)' } }, async (request) => {
    requireAdmin(request);
    const cleaned = registry.removeInactive();
    return { message: `Cleaned up ${cleaned} inactive agent${cleaned === 1 ? '' : 's'}`, cleaned_up: cleaned, remaining: registry.size, timestamp: new Date().toISOString() };
  });
};

/** The rendering context a run was started with, read back from its metadata. */
export function contextOf(run: RunRecord): AgnoStreamContext {
  const metadata = (run.metadata ?? {}) as Partial<AgnoRunMetadata>;
  const mode = run.target.kind === 'team' ? 'team' : 'agent';
  return {
    mode,
    userId: metadata.user_id ?? (mode === 'team' ? run.target.id : DEFAULT_USER),
    projectId: metadata.project_id ?? null,
    intermediateSteps: metadata.stream_intermediate_steps ?? true,
  };
}
