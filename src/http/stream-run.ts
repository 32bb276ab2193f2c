import type { FastifyReply } from 'fastify';
import { toPublicError } from '../errors/public-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { StreamRenderer } from '../protocols/stream-renderer.ts';
import type { RunManager } from '../runs/run-manager.ts';
import type { RunRecord } from '../store/store.ts';
import { openSseWriter } from './sse-writer.ts';

export type StreamRunOptions = {
  runs: RunManager;
  run: RunRecord;
  afterSeq: number;
  renderer: StreamRenderer;
  onDisconnect: 'continue' | 'cancel';
  heartbeatMs: number;
  log: Logger;
};

/**
 * Streams a run to one client in one wire format: replay after `afterSeq`, then live, until the terminal
 * event. The route has already validated everything, so from here on failures are frames, not statuses.
 * Callers return the promise rather than await it: a suspended async frame per open stream is memory that
 * 10k streams multiply, so nothing here or above it waits as a frame of its own.
 */
export function streamRun(reply: FastifyReply, options: StreamRunOptions): Promise<void> {
  const { renderer, runs, log, onDisconnect } = options;
  // Only the id from here on: the callbacks below live as long as the stream, and the record need not.
  const runId = options.run.id;
  reply.hijack();
  const headers = { ...(reply.getHeaders() as Record<string, string>), ...renderer.headers };
  const writer = openSseWriter(reply.raw, { headers, heartbeatMs: options.heartbeatMs });
  if (renderer.open) writer.write(renderer.open(options.run));
  const cancelOnDisconnect = () => {
    if (onDisconnect === 'cancel') runs.cancelIfActive(runId, 'The client disconnected (onDisconnect: cancel).');
  };
  return runs.follow(runId, options.afterSeq, (event) => writer.write(renderer.render(event)), writer, { readerBusy: writer.whenDrained })
    .then((how) => {
      if (how === 'ended') writer.end(renderer.close?.() ?? '');
      else cancelOnDisconnect();
    }, (error: unknown) => {
      log('error', 'stream failed', { runId, error: String(error) });
      writer.end(renderer.fail?.(toPublicError(error)) ?? '');
      cancelOnDisconnect();
    });
}
