import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from './run-event.ts';
import { deserializeEvent, serializeEvent } from './serialize-event.ts';

const agent = { id: 'assistant', name: 'assistant', role: 'agent' as const, path: ['assistant'] };
const envelope = { runId: 'run_abc', seq: 7, ts: '2026-12-02T15:52:03.123Z' };

test('a text delta is written byte for byte as JSON.stringify writes it, whatever its text', () => {
  for (const delta of ['', ' word', 'quote " and \\ backslash', 'line\nbreak\ttab\u0000nul', 'ünï €😀', '\ud800 lone surrogate', '</script>']) {
    const message = { type: 'message.delta', messageId: 'msg_1', delta, agent, ...envelope } as RunEvent;
    const reasoning = { type: 'reasoning.delta', reasoningId: 'rs_"1', delta, agent, ...envelope } as RunEvent;
    assert.equal(serializeEvent(message), JSON.stringify(message));
    assert.equal(serializeEvent(reasoning), JSON.stringify(reasoning));
  }
});

test('a delta of another shape (keys reordered, an extra key, a member agent) still serialises as JSON.stringify does', () => {
  const member = { id: 'writer', name: 'Writer', role: 'member' as const, path: ['team', 'writer'] };
  const shapes = [
    { ...envelope, type: 'message.delta', messageId: 'msg_1', delta: 'x', agent },
    { type: 'message.delta', messageId: 'msg_1', delta: 'x', agent, ...envelope, extra: true },
    { type: 'message.delta', messageId: 'msg_1', delta: 'x', agent: member, ...envelope },
    { type: 'message.delta', messageId: 'msg_1', delta: 'x', agent, runId: 'run_abc', seq: 7, ts: undefined },
  ] as unknown as RunEvent[];
  for (const event of shapes) assert.equal(serializeEvent(event), JSON.stringify(event));
});

test('a stored event parses back and serialises to the text it was stored as', () => {
  const stored = JSON.stringify({ type: 'message.delta', messageId: 'msg_1', delta: 'ü"', agent, ...envelope });
  assert.equal(serializeEvent(deserializeEvent(stored)), stored);
  const other = JSON.stringify({ type: 'tool.started', toolCallId: 'c1', toolName: 'calc', args: { expression: '2+2' }, agent, ...envelope });
  assert.equal(serializeEvent(deserializeEvent(other)), other);
});
