import type { AgentRef, RunEvent, RunEventOf } from './run-event.ts';

// One event is serialised once and the bytes reused by the store, the bus and every native stream.
const cache = new WeakMap<RunEvent, string>();

// Text deltas are nearly every event of a run, and the per-event cache above cost more than it saved for them
// (a WeakMap entry per event: ~0.7 µs with its GC work, against ~0.45 µs for a whole `JSON.stringify`), most of
// which is the nested agent ref. So a delta is written by hand, with its agent's JSON kept per agent object
// (one per agent invocation, shared by all its events), and not cached at all: writing it twice costs less.
const agentCache = new WeakMap<AgentRef, string>();
const MESSAGE_DELTA_KEYS = ['type', 'messageId', 'delta', 'agent', 'runId', 'seq', 'ts'] as const;
const REASONING_DELTA_KEYS = ['type', 'reasoningId', 'delta', 'agent', 'runId', 'seq', 'ts'] as const;

/** JSON text of an event, computed at most once per event object (text deltas: byte for byte the same, without the cache). */
export function serializeEvent(event: RunEvent): string {
  if (event.type === 'message.delta' || event.type === 'reasoning.delta') {
    const json = deltaJson(event);
    if (json !== undefined) return json;
  }
  let json = cache.get(event);
  if (json === undefined) {
    json = JSON.stringify(event);
    cache.set(event, json);
  }
  return json;
}

/** Parses stored or received event JSON and remembers its text, so re-sending it costs no stringify. */
export function deserializeEvent(json: string): RunEvent {
  const event = JSON.parse(json) as RunEvent;
  cache.set(event, json);
  return event;
}

/**
 * `JSON.stringify(event)` for a delta whose own keys are exactly the emitter's, in its order (every delta the run
 * loop emits, and every one parsed back from the store); undefined for any other shape, which takes the general path.
 */
function deltaJson(event: RunEventOf<'message.delta'> | RunEventOf<'reasoning.delta'>): string | undefined {
  const isMessage = event.type === 'message.delta';
  if (!hasExactKeys(event, isMessage ? MESSAGE_DELTA_KEYS : REASONING_DELTA_KEYS)) return undefined;
  const id = isMessage ? (event as RunEventOf<'message.delta'>).messageId : (event as RunEventOf<'reasoning.delta'>).reasoningId;
  const { delta, agent, runId, seq, ts } = event;
  if (typeof id !== 'string' || typeof delta !== 'string' || typeof runId !== 'string' || typeof ts !== 'string' || !Number.isSafeInteger(seq) || typeof agent !== 'object' || agent === null) return undefined;
  return `{"type":"${event.type}","${isMessage ? 'messageId' : 'reasoningId'}":${JSON.stringify(id)},"delta":${JSON.stringify(delta)},"agent":${agentJson(agent)},"runId":${JSON.stringify(runId)},"seq":${seq},"ts":${JSON.stringify(ts)}}`;
}

function hasExactKeys(object: object, keys: readonly string[]): boolean {
  let index = 0;
  for (const key in object) {
    if (key !== keys[index]) return false;
    index += 1;
  }
  return index === keys.length;
}

function agentJson(agent: AgentRef): string {
  let json = agentCache.get(agent);
  if (json === undefined) {
    json = JSON.stringify(agent);
    agentCache.set(agent, json);
  }
  return json;
}
