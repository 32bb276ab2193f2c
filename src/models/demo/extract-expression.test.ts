import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractExpression } from './extract-expression.ts';
import { extractTopic } from './extract-topic.ts';
import { stemWord } from './extract-keywords.ts';
import { tokenize } from './tokenize.ts';

test('extractExpression finds arithmetic and ignores numbers that are not', () => {
  assert.equal(extractExpression('Calculate 3 * 7 - 2 please'), '3 * 7 - 2');
  assert.equal(extractExpression('square root of 81'), 'sqrt(81)');
  assert.equal(extractExpression('log(100) / 2'), 'log(100) / 2');
  assert.equal(extractExpression('what is 6 times 7'), '6 * 7');
  assert.equal(extractExpression('What is 15% of 240?'), '15 / 100 * 240');
  assert.equal(extractExpression('AI trends for 2024-2025'), undefined);
  assert.equal(extractExpression('Report for 2024-10-24'), undefined);
  assert.equal(extractExpression('COVID-19 cases in a single blog'), undefined);
  assert.equal(extractExpression('Take it three times a day'), undefined);
  assert.equal(extractExpression('I have 3 apples'), undefined);
});

test('tokenize keeps every character, one word per piece', () => {
  const text = '  Hello, world!\n\nNext line. ';
  const pieces = tokenize(text);
  assert.equal(pieces.join(''), text);
  assert.deepEqual(pieces, ['  Hello, ', 'world!\n\n', 'Next ', 'line. ']);
  assert.deepEqual(tokenize(''), []);
});

test('stemWord meets plural, -ing and -ed forms', () => {
  assert.equal(stemWord('writes'), stemWord('writing'));
  assert.equal(stemWord('pages'), stemWord('page'));
  assert.equal(stemWord('designed'), stemWord('designs'));
  assert.equal(stemWord('copies'), 'copy');
});

test('extractTopic strips request phrasing from both ends', () => {
  assert.equal(extractTopic('Can you write a short report about electric vehicles in Europe, please?'), 'electric vehicles in Europe');
  assert.equal(extractTopic('Plan'), 'Plan');
});
