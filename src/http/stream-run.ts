import type { FastifyReply } from 'fastify';
import { toPublicError } from '../errors/public-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { StreamRenderer } from '../protocols/stream-renderer.ts';
import type { RunManager } from '../runs/run-manager.ts';
import type { RunRecord } from '../store/store.ts';
import type { RunEvent } from '../events/run-event.ts';
import { noteRunId } from './request-log.ts';
import { openSseWriter } from './sse-writer.ts';

export type StreamRunOptions = {
  runs: RunManager;
  run: RunRecord;
  afterSeq: number;
  renderer: StreamRenderer;
  onDisconnect: 'continue' | 'cancel';
  heartbeatMs: number;
  /** See `SseWriterOptions.stalledReaderMs`. */
  stalledReaderMs?: number;
  log: Logger;
  /** Where the stream ends besides the terminal event: a wire format whose runs finish when the run pauses for input (AG-UI). */
  stopAt?: (event: RunEvent) => boolean;
};

/**
 * Streams a run to one client in one wire format: replay after `afterSeq`, then live, until the terminal
 * event. The route has already validated everything, so from here on failures are frames, not statuses.
 * Returns at once and nothing waits for the stream's end: a route handler held open for the stream would keep
 * Fastify's request and reply, and a suspended async frame, alive per open stream (memory 10k streams
 * multiply). Once hijacked, the response is the writer's alone; every failure is handled in here.
 */
export function streamRun(reply: FastifyReply, options: StreamRunOptions): void {
  const { renderer, runs, log, onDisconnect } = options;
  // Only the id from here on: the callbacks below live as long as the stream, and the record need not.
  const runId = options.run.id;
  noteRunId(reply.request, runId);
  reply.hijack();
  // The ids in headers too: a client dropped before the first frame arrived can still find (and resume) its run. A
  // session id is the caller's own text (any Unicode), which a header cannot carry: it is percent-encoded, always, so
  // `decodeURIComponent` gives it back unambiguously. Run ids are ours and header-safe.
  const ids = { 'x-run-id': runId, 'x-session-id': encodeURIComponent(withoutLoneSurrogates(options.run.sessionId)) };
  const headers = { ...(reply.getHeaders() as Record<string, string>), ...ids, ...renderer.headers };
  const writer = openSseWriter(reply.raw, { headers, heartbeatMs: options.heartbeatMs, stalledReaderMs: options.stalledReaderMs });
  if (renderer.open) writer.write(renderer.open(options.run));
  const cancelOnDisconnect = () => {
    if (onDisconnect === 'cancel') runs.cancelIfActive(runId, 'The client disconnected (onDisconnect: cancel).');
  };
  runs.follow(runId, options.afterSeq, (event) => writer.write(renderer.render(event)), writer, { readerBusy: writer.whenDrained, run: options.run, ...(options.stopAt ? { stopAt: options.stopAt } : {}) })
    .then((how) => {
      if (how === 'ended') writer.end(renderer.close?.() ?? '');
      else cancelOnDisconnect();
    }, (error: unknown) => {
      log('error', 'stream failed', { runId, error: String(error) });
      writer.end(renderer.fail?.(toPublicError(error)) ?? '');
      cancelOnDisconnect();
    })
    .catch((error: unknown) => {
      // A renderer that throws while closing: the stream is over either way; log, never an unhandled rejection.
      log('error', 'stream failed while ending', { runId, error: String(error) });
      if (writer.isOpen) writer.end();
    });
}

// encodeURIComponent throws on a lone UTF-16 surrogate, which JSON lets a caller send: it becomes U+FFFD in the header.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function withoutLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
