import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatRunTokens } from '../../web/src/format.ts';

describe('web UI number formats', () => {
  it('a zero duration has the unit the others have (the agents table showed "0" next to "1.0 ms")', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(1), '1.0 ms');
    assert.equal(formatDuration(undefined), '—');
  });

  it('a live run whose usage has not arrived shows no token count, not "tokens 0" beside "first token 22 ms"', () => {
    assert.equal(formatRunTokens({ status: 'running', usage: { totalTokens: 0 } }), '—');
    assert.equal(formatRunTokens({ status: 'running', usage: { totalTokens: 1234 } }), '1,234');
    assert.equal(formatRunTokens({ status: 'completed', usage: { totalTokens: 0 } }), '0');
  });
});
