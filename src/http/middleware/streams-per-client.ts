import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';

// Probes, docs and the UI's files are short and must answer a client that has its streams open.
const UNCOUNTED_PATHS = /^\/(health|ready|docs|openapi\.json|redoc|assets\/|favicon|$)/;

/**
 * Bounds the requests one client (one remote address) has open at once: a stream is an open request for as long
 * as it streams, so this bounds its streams, and with them the sockets, buffers and replays it can make the server
 * hold. Past `max`, a new request gets 429 `too_many_streams` at once. The count is taken in the same synchronous
 * step as the check (no await in between), so parallel requests cannot all slip under the limit.
 */
export function limitStreamsPerClient(max: number) {
  const open = new Map<string, number>();
  const release = (client: string) => {
    const count = (open.get(client) ?? 1) - 1;
    if (count <= 0) open.delete(client);
    else open.set(client, count);
  };
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (request.method === 'OPTIONS' || UNCOUNTED_PATHS.test(request.url)) return done();
    const client = request.socket.remoteAddress ?? 'unknown';
    const count = open.get(client) ?? 0;
    if (count >= max) {
      return done(new AppError('too_many_streams', {
        message: `This client has ${count} requests open (streams included); the limit is ${max}. Close one or retry later.`,
        headers: { 'retry-after': '1' },
      }));
    }
    open.set(client, count + 1);
    // 'close' fires once per response, hijacked streams included, whether it ended or the client went away.
    reply.raw.once('close', () => release(client));
    done();
  };
}
