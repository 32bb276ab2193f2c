import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSseFrame } from './sse.ts';

test('formats id, event and one data line per line of data', () => {
  assert.equal(formatSseFrame({ id: 7, event: 'message.delta', data: '{"a":1}' }), 'id: 7\nevent: message.delta\ndata: {"a":1}\n\n');
  assert.equal(formatSseFrame({ data: 'one\ntwo\r\nthree\rfour' }), 'data: one\ndata: two\ndata: three\ndata: four\n\n');
  assert.equal(formatSseFrame({ data: '' }), 'data: \n\n');
});

test('refuses an id or event with a newline, which would forge fields', () => {
  assert.throws(() => formatSseFrame({ id: '1\ndata: x', data: '{}' }));
  assert.throws(() => formatSseFrame({ event: 'a\rb', data: '{}' }));
});
