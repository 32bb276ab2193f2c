import { isAnswerEvent } from '../../../events/answer-events.ts';
import { assertNever, type PublicError, type RunEvent } from '../../../events/run-event.ts';
import { formatSseFrame } from '../../sse.ts';
import type { StreamRenderer } from '../../stream-renderer.ts';

/**
 * The Agno chat dialect (seed 004, "Agno API Streaming Support"): `data: <StreamingChunk JSON>` frames,
 * `{"content": "chunk text", "done": false, "model": "model-name"}` per piece of the answer, then one
 * `{"content": "", "done": true, "model": ...}`. Only the answer's text is sent; a failed or cancelled run
 * still ends with `done: true`, plus an `error` the document's chunks do not otherwise have.
 */

/** The document's `StreamingChunk`. */
export type StreamingChunk = { content: string; done: boolean; model: string; error?: PublicError };

/** What one stream remembers: the model, announced by `run.started`. */
export type AgnoChatState = { model: string };

/** Maps one run event to the chunks it becomes. */
export function toAgnoChatFrames(event: RunEvent, state: AgnoChatState): StreamingChunk[] {
  switch (event.type) {
    case 'run.started':
      state.model = event.model;
      return [];
    case 'message.delta':
      return isAnswerEvent(event) ? [{ content: event.delta, done: false, model: state.model }] : [];
    case 'run.completed':
      return [{ content: '', done: true, model: state.model }];
    case 'run.failed':
      return [{ content: '', done: true, model: state.model, error: event.error }];
    case 'run.cancelled':
      return [{ content: '', done: true, model: state.model, error: { code: 'cancelled', message: `The run was cancelled: ${event.reason}` } }];
    // A chat chunk carries answer text only: no thinking, tools, routing, usage or progress.
    case 'agent.started':
    case 'reasoning.delta':
    case 'message.completed':
    case 'tool.started':
    case 'tool.completed':
    case 'tool.failed':
    case 'team.routed':
    case 'agent.completed':
    case 'usage':
    case 'progress':
      return [];
    case 'step.completed':
    case 'run.resumed':
      return []; // checkpoints and resumption: the seed dialects have no such frames
    case 'run.awaiting_input':
    case 'input.received':
      return []; // the seed dialects have no pause: their stream stays open (heartbeats) until the run goes on
    default:
      return assertNever(event);
  }
}

/** One chunk as SSE: a single `data:` line. */
export function formatAgnoChatFrame(chunk: StreamingChunk): string {
  return formatSseFrame({ data: JSON.stringify(chunk) });
}

/** A renderer for one Agno chat stream. */
export function createAgnoChatRenderer(): StreamRenderer {
  const state: AgnoChatState = { model: '' };
  return {
    render: (event) => toAgnoChatFrames(event, state).map(formatAgnoChatFrame).join(''),
    fail: (error) => formatAgnoChatFrame({ content: '', done: true, model: state.model, error }),
  };
}
