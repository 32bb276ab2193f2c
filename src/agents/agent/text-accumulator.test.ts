import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextAccumulator } from './text-accumulator.ts';

test('the accumulated text is every delta in order, read at any point', () => {
  const accumulator = new TextAccumulator();
  assert.equal(accumulator.isEmpty, true);
  assert.equal(accumulator.text(), '');
  let expected = '';
  for (let index = 0; index < 300; index += 1) {
    const delta = index % 7 === 0 ? 'ü€😀 ' : `w${index} `;
    accumulator.append(delta);
    expected += delta;
    if (index === 10 || index === 64 || index === 200) assert.equal(accumulator.text(), expected);
  }
  assert.equal(accumulator.isEmpty, false);
  assert.equal(accumulator.text(), expected);
  accumulator.append('end');
  assert.equal(accumulator.text(), `${expected}end`);
});
