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
 */
export async function streamRun(reply: FastifyReply, options: StreamRunOptions): Promise<void> {
  const { renderer, run } = options;
  reply.hijack();
  const headers = { ...(reply.getHeaders() as Record<string, string>), ...renderer.headers };
  const writer = openSseWriter(reply.raw, { headers, heartbeatMs: options.heartbeatMs });
  if (renderer.open) writer.write(renderer.open(run));
  let ended = false;
  try {
    const how = await options.runs.follow(run.id, options.afterSeq, (event) => writer.write(renderer.render(event)), writer.signal, { readerBusy: writer.whenDrained });
    ended = how === 'ended';
    if (ended) writer.end(renderer.close?.() ?? '');
  } catch (error) {
    options.log('error', 'stream failed', { runId: run.id, error: String(error) });
    writer.end(renderer.fail?.(toPublicError(error)) ?? '');
  }
  if (!ended && options.onDisconnect === 'cancel') options.runs.cancelIfActive(run.id, 'The client disconnected (onDisconnect: cancel).');
}
