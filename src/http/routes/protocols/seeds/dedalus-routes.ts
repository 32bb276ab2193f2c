import { z } from 'zod';
import type { RouteModule } from '../../../app.ts';
import type { AppDeps } from '../../../app-deps.ts';
import { parseInput } from '../../../../errors/parse-input.ts';
import { docSchema } from '../../../schemas.ts';
import { streamRun } from '../../../stream-run.ts';
import { cannedAgentRun } from '../../../../protocols/seeds/canned-run-events.ts';
import { collectRunEvents } from './collect-run-events.ts';
import { sendSseFrames, streamErrorHandler } from './seed-sse.ts';
import { toDedalusResponse } from '../../../../protocols/seeds/dedalus/to-dedalus-response.ts';
import { createDedalusRenderer, renderDedalusFailure } from '../../../../protocols/seeds/dedalus/to-dedalus-frames.ts';
import { callerOf } from '../../../access/request-access.ts';

// Seed 001: `POST /api/agent/stream|execute|stream/simulate`, `GET /api/agent/models|mcp-servers`.

const AGENT = 'assistant';

const AgentRequest = z.object({
  input: z.string().min(1).max(100_000).describe('The prompt'),
  model: z.string().trim().min(1).max(200).optional().describe('`openai/gpt-4.1` (the document\'s form) or `openai:gpt-4.1`; default: the agent\'s'),
  mcp_servers: z.array(z.string().trim().min(1).max(200)).max(32).optional().describe('Configured MCP servers whose tools the agent also gets'),
});
const SimulateRequest = AgentRequest.extend({
  simulate_error: z.boolean().default(false).describe('true: the simulated run fails, to exercise the `error` event'),
});

/** The document's form of a model id: `openai/gpt-4.1` for our `openai:gpt-4.1`. */
function toSeedModelId(id: string): string {
  return id.startsWith('compat:') ? id : id.replace(':', '/');
}

/** Seed 001, the Dedalus agent API: its endpoints on the one run engine. */
export const dedalusRoutes: RouteModule = (deps: AppDeps) => async (app) => {
  const { runs, catalog, config, log } = deps;
  const tags = ['seed: dedalus'];
  // Every failure of a streaming route, bad input included, is `error` + `complete` on a 200 stream:
  // the document promises "Errors sent as events", "Complete event always sent".
  const errorHandler = streamErrorHandler({ log, heartbeatMs: config.heartbeatMs, render: (error) => renderDedalusFailure(error) });

  app.post('/api/agent/stream', {
    errorHandler,
    schema: { tags, summary: 'Stream the `assistant` agent (SSE: thinking, tool_use, tool_result, partial_output, final_output, error, complete)', body: docSchema(AgentRequest) },
  }, async (request, reply) => {
    const body = parseInput(AgentRequest, request.body);
    const run = await runs.start({ ...callerOf(request), target: { kind: 'agent', id: AGENT }, input: body.input, model: body.model, mcpServers: body.mcp_servers });
    // The document's clients cannot resume a stream, so a dropped one stops its run.
    return streamRun(reply, { runs, run, afterSeq: 0, renderer: createDedalusRenderer(), onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
  });

  app.post('/api/agent/execute', {
    schema: { tags, summary: 'Run the `assistant` agent and answer with one AgentResponse JSON', body: docSchema(AgentRequest) },
  }, async (request) => {
    const body = parseInput(AgentRequest, request.body);
    const run = await runs.start({ ...callerOf(request), target: { kind: 'agent', id: AGENT }, input: body.input, model: body.model, mcpServers: body.mcp_servers });
    return toDedalusResponse(await collectRunEvents(runs, run.id), { mcpServers: body.mcp_servers ?? [] });
  });

  app.post('/api/agent/stream/simulate', {
    errorHandler,
    schema: { tags, summary: 'A canned, SIMULATED stream with every event type; no model is called', body: docSchema(SimulateRequest) },
  }, async (request, reply) => {
    const body = parseInput(SimulateRequest, request.body);
    const model = body.model ? catalog.models.normalize(body.model) : 'simulated';
    const renderer = createDedalusRenderer();
    const frames = cannedAgentRun({ input: body.input, model, fail: body.simulate_error }).map((event) => renderer.render(event)).join('');
    sendSseFrames(reply, frames, config);
  });

  app.get('/api/agent/models', { schema: { tags, summary: 'Models usable now (ids in the document\'s provider/model form)' } }, async () => ({
    models: catalog.models.list().map((model) => ({
      id: toSeedModelId(model.id), provider: model.provider, name: model.label, simulated: model.simulated, default: model.isDefault,
    })),
    default_model: toSeedModelId(catalog.models.defaultModel),
  }));

  app.get('/api/agent/mcp-servers', { schema: { tags, summary: 'Configured MCP servers, their status and tools' } }, async () => {
    const servers = catalog.mcp?.list() ?? [];
    return { mcp_servers: servers, count: servers.length };
  });
};
