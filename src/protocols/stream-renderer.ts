import type { PublicError, RunEvent } from '../events/run-event.ts';
import type { RunRecord } from '../events/run-record.ts';

/**
 * Turns one run's events into one wire format's bytes. Created per stream (some formats track open
 * messages); `render` is called once per event in seq order and returns the frames to write ('' for none).
 */
export type StreamRenderer = {
  /** Headers beside the SSE defaults (a protocol's version header, say). */
  headers?: Record<string, string>;
  /** Frames to write before the first event. */
  open?(run: RunRecord): string;
  render(event: RunEvent): string;
  /** Frames to write after the terminal event (a `[DONE]` line, say). */
  close?(): string;
  /** Frames for a failure that happened after the stream opened but outside the run (the store broke). */
  fail?(error: PublicError): string;
};

export type RendererFactory = (context: { runId: string; afterSeq: number }) => StreamRenderer;
