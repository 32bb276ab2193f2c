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

describe('a group chat\'s stop phrase in a lane', () => {
  it('is split off the message (a bare "TERMINATE" showed in the report writer\'s lane)', async () => {
    const { splitStopWord } = await import('../../web/src/components/split-stop-word.ts');
    assert.deepEqual(splitStopWord('The report is done.\n\nTERMINATE'), { text: 'The report is done.', stopWord: 'TERMINATE' });
    assert.deepEqual(splitStopWord('Use the TERMINATE word to stop.'), { text: 'Use the TERMINATE word to stop.' });
    assert.deepEqual(splitStopWord('Revenue by REGION'), { text: 'Revenue by REGION' });
  });
});
