import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFixture, loadGolden, parseFrames, renderAll, renderJson } from '../__fixtures__/load-fixture.ts';
import { createAgnoChatRenderer, type StreamingChunk } from './to-agno-chat-frames.ts';

const render = (events: Parameters<typeof renderAll>[1]) => renderJson<StreamingChunk>(createAgnoChatRenderer(), events);

describe('Agno chat frames', () => {
  test('golden: answer chunks then done, byte for byte', () => {
    assert.equal(renderAll(createAgnoChatRenderer(), loadFixture('agent-tool-call')), loadGolden('agno-chat.agent-tool-call'));
  });

  test('chunks carry exactly content, done, model; joined they are the answer', () => {
    const chunks = render(loadFixture('agent-tool-failure'));
    for (const chunk of chunks) assert.deepEqual(Object.keys(chunk), ['content', 'done', 'model']);
    assert.equal(chunks.filter((chunk) => chunk.done).length, 1);
    assert.deepEqual(chunks.at(-1), { content: '', done: true, model: 'demo' });
    const completed = loadFixture('agent-tool-failure').at(-1);
    assert.ok(completed?.type === 'run.completed');
    assert.equal(chunks.map((chunk) => chunk.content).join(''), completed.output);
  });

  test('a team streams only its own voice, not its members\' text', () => {
    const chunks = render(loadFixture('team-round-robin'));
    assert.equal(chunks.map((chunk) => chunk.content).join(''), 'Draft on ');
  });

  test('failed and cancelled runs still end with done: true, plus the error', () => {
    assert.deepEqual(render(loadFixture('run-failed')).at(-1), { content: '', done: true, model: 'demo', error: { code: 'timeout', message: 'The run exceeded its time limit of 60 ms.' } });
    const cancelled = render(loadFixture('run-cancelled'));
    assert.deepEqual(cancelled.map((chunk) => chunk.done), [false, true]);
    assert.equal(cancelled.at(-1)?.error?.code, 'cancelled');
  });

  test('frames are plain data: lines', () => {
    assert.ok(parseFrames(renderAll(createAgnoChatRenderer(), loadFixture('agent-tool-call'))).every((frame) => frame.event === undefined && frame.id === undefined));
  });
});
