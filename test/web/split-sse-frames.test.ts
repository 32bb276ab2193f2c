import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSseFrames } from '../../web/src/components/split-sse-frames.ts';

describe('splitSseFrames (the raw inspector)', () => {
  it('keeps each frame with its blank line and the unfinished rest, so joining gives the text back', () => {
    const text = 'id: 1\nevent: run.started\ndata: {}\n\n: keep-alive\n\ndata: a\r\n\r\ndata: par';
    const { frames, rest } = splitSseFrames(text);
    assert.deepEqual(frames, ['id: 1\nevent: run.started\ndata: {}\n\n', ': keep-alive\n\n', 'data: a\r\n\r\n']);
    assert.equal(rest, 'data: par');
    assert.equal([...frames, rest].join(''), text);
  });

  it('waits when a chunk ends in a carriage return that may be half of CRLF', () => {
    assert.deepEqual(splitSseFrames('data: x\r\r'), { frames: [], rest: 'data: x\r\r' });
    assert.deepEqual(splitSseFrames('data: x\r\n\r\n'), { frames: ['data: x\r\n\r\n'], rest: '' });
  });
});
