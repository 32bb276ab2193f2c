import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';

// Probes, docs and the UI's static files stay open; everything that runs or reads runs needs the key.
const OPEN_PATHS = /^\/(health|ready|docs|openapi\.json|redoc|assets\/|favicon|$)/;

/** Optional API key: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function checkApiKey(apiKey: string) {
  const expected = Buffer.from(apiKey);
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || OPEN_PATHS.test(request.url)) return;
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : request.headers['x-api-key'];
    const buffer = Buffer.from(typeof given === 'string' ? given : '');
    if (buffer.length !== expected.length || !timingSafeEqual(buffer, expected)) throw new AppError('unauthorized');
  };
}
