import type { FastifyReply } from 'fastify';
import type { Bus } from '../bus/bus.ts';
import { serializeEvent } from '../events/serialize-event.ts';
import type { Logger } from '../logging/logger.ts';
import { followSession, type SessionCursor } from '../runs/follow-session.ts';
import type { RunManager } from '../runs/run-manager.ts';
import type { Store } from '../store/store.ts';
import { openSseWriter } from './sse-writer.ts';
import { withoutLoneSurrogates } from './stream-run.ts';

export type StreamSessionOptions = {
  store: Store;
  bus: Bus;
  runs: RunManager;
  sessionId: string;
  tenant: string | undefined;
  from?: SessionCursor;
  heartbeatMs: number;
  stalledReaderMs?: number;
  resyncMs: number;
  log: Logger;
};

/**
 * Streams a whole session as SSE, every run of it, past and future, until the client leaves or the server ends the
 * stream: native frames (`event:` the type, `data:` the RunEvent, which names its run) whose `id:` is the session
 * cursor `<sessionSeq>:<seq>`. Like `streamRun`, returns at once; the writer owns the response from here on.
 */
export function streamSession(reply: FastifyReply, options: StreamSessionOptions): void {
  const { log, sessionId } = options;
  reply.hijack();
  const headers = { ...(reply.getHeaders() as Record<string, string>), 'x-session-id': encodeURIComponent(withoutLoneSurrogates(sessionId)) };
  const writer = openSseWriter(reply.raw, { headers, heartbeatMs: options.heartbeatMs, stalledReaderMs: options.stalledReaderMs });
  followSession({
    store: options.store, bus: options.bus, runs: options.runs, sessionId, tenant: options.tenant, from: options.from,
    onEvent: (event, id) => writer.write(`id: ${id}\nevent: ${event.type}\ndata: ${serializeEvent(event)}\n\n`),
    signal: writer, readerBusy: writer.whenDrained, resyncMs: options.resyncMs,
  }).catch((error: unknown) => {
    // The store failed under the stream: end it; the client reconnects with its Last-Event-ID and loses nothing.
    log('error', 'session stream failed', { sessionId, error: String(error) });
  }).finally(() => {
    if (writer.isOpen) writer.end();
  });
}
