import { applyEvents } from '../../../client/apply-event.ts';
import { emptyRunView } from '../../../client/run-view.ts';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/events/run-event.ts';
import { RunEventSchema } from '../../../src/events/run-event-schema.ts';

/** Checks the invariants every run's stream must hold. */
export function assertWellFormedRun(events: RunEvent[]) {
  assert.ok(events.length >= 3, 'a run has at least started, something, and an end');
  events.forEach((event, index) => assert.equal(event.seq, index + 1, `seq is gapless: position ${index} has seq ${event.seq}`));
  assert.equal(events[0].type, 'run.started');
  const terminals = events.filter((event) => event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'run.cancelled');
  assert.equal(terminals.length, 1, 'exactly one terminal event');
  assert.equal(terminals[0], events.at(-1), 'the terminal event is last');
  const runId = events[0].runId;
  for (const event of events) {
    const checked = RunEventSchema.safeParse(event);
    assert.ok(checked.success, `event ${event.seq} (${event.type}) matches the wire schema: ${checked.error?.message}`);
    assert.equal(event.runId, runId);
    assert.ok(!Number.isNaN(Date.parse(event.ts)), 'ts is ISO-8601');
    assert.equal(typeof event.agent.id, 'string');
    assert.ok(Array.isArray(event.agent.path));
  }
  const started = new Set(events.filter((event) => event.type === 'tool.started').map((event) => (event as { toolCallId: string }).toolCallId));
  const ended = events.filter((event) => event.type === 'tool.completed' || event.type === 'tool.failed').map((event) => (event as { toolCallId: string }).toolCallId);
  assert.deepEqual(new Set(ended), started, 'every tool.started has one completion and vice versa');
  assert.equal(ended.length, started.size);
}

/**
 * A run a crash cut off, seen whole by one reader: gapless from 1, one `run.resumed` and one terminal event,
 * `run.completed`; no tool call started or finished twice; the answer a client folds from the events (dropping what
 * `run.resumed` retracts) is the run's output, whole.
 */
export function assertResumedToCompletion(events: RunEvent[], context: string) {
  events.forEach((event, index) => assert.equal(event.seq, index + 1, `${context}: seq is gapless`));
  assert.equal(events[0].type, 'run.started');
  const terminals = events.filter((event) => ['run.completed', 'run.failed', 'run.cancelled'].includes(event.type));
  assert.equal(terminals.length, 1, `${context}: one terminal event`);
  const last = events.at(-1)!;
  assert.ok(last.type === 'run.completed', `${context}: completes, not ${JSON.stringify(last).slice(0, 200)}`);
  assert.ok(events.some((event) => event.type === 'run.resumed'), `${context}: says it was resumed`);
  for (const type of ['tool.started', 'tool.completed'] as const) {
    const ids = events.flatMap((event) => (event.type === type ? [event.toolCallId] : []));
    assert.equal(new Set(ids).size, ids.length, `${context}: no ${type} twice for one call`);
  }
  for (const event of events) assert.ok(RunEventSchema.safeParse(event).success, `${context}: event ${event.seq} is valid`);
  assert.equal(applyEvents(emptyRunView(), events).answer, last.output, `${context}: the streamed answer is the output, whole`);
}
