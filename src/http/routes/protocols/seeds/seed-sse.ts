import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicError } from '../../../../events/run-event.ts';
import { toErrorResponse } from '../../../error-handler.ts';
import { openSseWriter } from '../../../sse-writer.ts';
import type { Logger } from '../../../../logging/logger.ts';

/**
 * Answers 200 with a complete SSE body made of `frames`, then ends it. For what is rendered without a run to
 * follow: a failure before the run started (in a dialect whose failures are events), or a canned stream.
 */
export function sendSseFrames(reply: FastifyReply, frames: string, options: { heartbeatMs: number }): void {
  reply.hijack();
  const writer = openSseWriter(reply.raw, { headers: reply.getHeaders() as Record<string, string>, heartbeatMs: options.heartbeatMs });
  writer.end(frames);
}

/**
 * A route-level Fastify error handler for streaming routes whose dialect reports failures as events: a bad
 * body, malformed JSON, an unknown model or a full server all become that dialect's error frames on a 200
 * stream, because its clients read failures from the stream and never look at the status.
 */
export function streamErrorHandler(options: { log: Logger; heartbeatMs: number; render: (error: PublicError) => string }) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    if (reply.sent || reply.raw.headersSent) {
      // The stream was already open: streamRun reports its own failures, so only a bug lands here.
      options.log('error', 'seed stream failed after it opened', { error: String(error) });
      reply.raw.end();
      return;
    }
    const { body } = toErrorResponse(error, options.log);
    const publicError: PublicError = { code: body.error.code, message: body.error.message };
    sendSseFrames(reply, options.render(publicError), options);
  };
}
