import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for browser clients on other origins (the Dedalus document's localhost:3000 and :3001 by default).
 * Headers are set on the reply so hijacked SSE responses copy them too.
 */
export function applyCors(origins: readonly string[]) {
  const allowAny = origins.includes('*');
  const allowed = new Set(origins);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (!origin || (!allowAny && !allowed.has(origin))) return;
    reply.header('access-control-allow-origin', allowAny ? '*' : origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'x-vercel-ai-ui-message-stream, x-run-id, x-session-id, retry-after');
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      reply.header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'content-type, authorization, last-event-id');
      reply.header('access-control-max-age', '600');
      return reply.status(204).send();
    }
  };
}
