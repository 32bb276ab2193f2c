import assert from 'node:assert/strict';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Dialect } from './route-table.ts';

/** How long any one request may take before the test calls it hung. Generous: the guard is for hangs, not speed. */
export const HANG_GUARD_MS = 30_000;

/** Parses a complete SSE body into its frames (comments, such as heartbeats, are not frames). */
export function parseSse(text: string): EventSourceMessage[] {
  const frames: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => frames.push(frame) });
  parser.feed(text);
  parser.reset({ consume: true });
  return frames;
}

const json = (frame: EventSourceMessage | undefined): Record<string, unknown> => {
  try {
    return JSON.parse(frame?.data ?? 'null') ?? {};
  } catch {
    return {};
  }
};

/** True when `frames` end the way the dialect's clients expect a stream to end (success or failure alike). */
export function endsProperly(dialect: Dialect, frames: EventSourceMessage[]): boolean {
  const last = frames.at(-1);
  if (!last) return false;
  switch (dialect) {
    case 'native': return ['run.completed', 'run.failed', 'run.cancelled'].includes(last.event ?? '');
    case 'agno-multi': return ['agent_completed', 'team_completed'].includes(json(last).event_type as string);
    case 'dedalus': return last.event === 'complete';
    case 'autogen': return ['completed', 'error'].includes((json(last).event as { event_type?: string } | undefined)?.event_type ?? '');
    case 'openai-agents': return ['stream_complete', 'error'].includes(json(last).type as string);
    case 'agno-chat': return json(last).done === true;
    case 'ag-ui': return ['RUN_FINISHED', 'RUN_ERROR'].includes(json(last).type as string);
    case 'ai-sdk': return last.data === '[DONE]';
    case 'openai': return last.data === '[DONE]' || 'error' in json(last);
  }
}

/** The run ids an answer names (native events, Agno `id: <runId>:<seq>`, …), so a test can wait for those runs. */
function runIdsIn(text: string): string[] {
  return [...new Set(text.match(/run_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
}

export type Answer = { status: number; contentType: string; text: string; runIds: string[] };

/**
 * Reads a whole answer under the hang guard and checks the rules every route keeps for any input: never a
 * 5xx; a 4xx is JSON with an error message (ours or the protocol's form); a 200 stream ends with its
 * dialect's terminal frame; a 202 names a run. `context` says which request it was, for the failure message.
 */
export async function checkAnswer(response: Response, options: { dialect?: Dialect; context: string; plainText?: boolean }): Promise<Answer> {
  const { context } = options;
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const answer = { status: response.status, contentType, text, runIds: runIdsIn(text) };
  assert.ok(response.status < 500, `${context}: answered ${response.status}: ${text.slice(0, 300)}`);
  if (response.status >= 400) {
    assert.match(contentType, /^application\/json/, `${context}: a ${response.status} must be JSON, got '${contentType}': ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    assert.equal(typeof body.error?.message, 'string', `${context}: a ${response.status} carries error.message: ${text.slice(0, 200)}`);
    assert.ok((body.error!.message as string).length > 0, `${context}: the error message is not empty`);
    return answer;
  }
  if (response.status === 204) {
    assert.equal(text, '', `${context}: a 204 has no body`);
    return answer;
  }
  assert.ok(response.status === 200 || response.status === 201 || response.status === 202, `${context}: unexpected status ${response.status}`);
  if (contentType.startsWith('text/event-stream')) {
    assert.ok(options.dialect, `${context}: this route is not expected to stream`);
    const frames = parseSse(text);
    assert.ok(endsProperly(options.dialect, frames), `${context}: the ${options.dialect} stream did not end with its terminal frame; last: ${JSON.stringify(frames.at(-1))?.slice(0, 300)}`);
    return answer;
  }
  if (options.plainText && contentType.startsWith('text/plain')) return answer;
  assert.match(contentType, /^application\/json/, `${context}: a ${response.status} is JSON or SSE, got '${contentType}'`);
  JSON.parse(text);
  return answer;
}
