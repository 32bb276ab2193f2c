import { z } from 'zod';
import type { RouteModule } from '../../../app.ts';
import type { AppDeps } from '../../../app-deps.ts';
import { parseInput } from '../../../../errors/parse-input.ts';
import { docSchema } from '../../../schemas.ts';
import { streamRun } from '../../../stream-run.ts';
import { childLogger, type Logger } from '../../../../logging/logger.ts';
import { cannedTeamRun } from '../../../../protocols/seeds/canned-run-events.ts';
import { sendSseFrames, streamErrorHandler } from './seed-sse.ts';
import { autogenFailureEvent, createAutogenRenderer, formatAutogenFrame, type AutogenEvent } from '../../../../protocols/seeds/autogen/to-autogen-frames.ts';
import { callerOf } from '../../../access/request-access.ts';

// Seed 002: `POST /ask-stream` and `GET /test-stream`. (`GET /client`, the web UI, is served by the web app.)

const TEAM = 'business_insights';
const LOGGED_MESSAGE_CHARS = 200;

const AskBody = z.object({ question: z.string().trim().min(1).max(100_000).describe('The business question') });

/**
 * One `stream_events` log line per event, in the document's "STREAM" logger format
 * (`%(asctime)s - STREAM - %(levelname)s - %(message)s`; time and level are the log entry's own fields),
 * so `grep STREAM` on the server log still shows the streaming activity.
 */
function logStreamEvent(log: Logger, event: AutogenEvent & { runId?: string }): void {
  const text = event.message.length > LOGGED_MESSAGE_CHARS ? `${event.message.slice(0, LOGGED_MESSAGE_CHARS)}…` : event.message;
  // Debug, as the document's "Debug Mode" sets the logger; errors stay visible at the default level.
  const level = event.event_type === 'error' ? 'error' : 'debug';
  childLogger(log, { logger: 'stream_events' })(level, `STREAM - ${level.toUpperCase()} - ${event.event_type} - ${event.agent_name}: ${text}`, {
    event_type: event.event_type, agent_name: event.agent_name, progress: event.data.progress ?? null, runId: event.runId ?? null,
  });
}

/** Seed 002, the AutoGen business-insights API: its endpoints on the one run engine. */
export const autogenRoutes: RouteModule = (deps: AppDeps) => async (app) => {
  const { runs, config, log } = deps;
  const tags = ['seed: autogen'];

  app.post('/ask-stream', {
    // Bad input and a full server are `error` events too: the document's clients only read the stream.
    errorHandler: streamErrorHandler({
      log, heartbeatMs: config.heartbeatMs,
      render: (error) => {
        const event = autogenFailureEvent(error);
        logStreamEvent(log, event);
        return formatAutogenFrame(event);
      },
    }),
    schema: { tags, summary: 'Stream the `business_insights` team (SSE: started, agent_thinking, agent_response, tool_execution, completed, error)', body: docSchema(AskBody) },
  }, async (request, reply) => {
    const body = parseInput(AskBody, request.body);
    const run = await runs.start({ ...callerOf(request), target: { kind: 'team', id: TEAM }, input: body.question });
    const renderer = createAutogenRenderer({ onEvent: (event) => logStreamEvent(log, { ...event, runId: run.id }) });
    // The document's clients cannot resume, and it promises cleanup when a connection ends: a drop cancels.
    return streamRun(reply, { runs, run, afterSeq: 0, renderer, onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log });
  });

  app.get('/test-stream', { schema: { tags, summary: 'A short canned, SIMULATED stream of the same events; no model is called' } }, async (_request, reply) => {
    const events = cannedTeamRun({ input: 'Test question (simulated stream)' });
    const renderer = createAutogenRenderer({ onEvent: (event) => logStreamEvent(log, { ...event, runId: events[0].runId }) });
    sendSseFrames(reply, events.map((event) => renderer.render(event)).join(''), config);
  });
};
