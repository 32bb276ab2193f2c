import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nestsDeeperThan } from './json-depth.ts';

test('counts array and object levels, not brackets inside strings', () => {
  assert.equal(nestsDeeperThan('[[[]]]', 3), false);
  assert.equal(nestsDeeperThan('[[[[]]]]', 3), true);
  assert.equal(nestsDeeperThan('{"a":{"b":{"c":{}}}}', 3), true);
  assert.equal(nestsDeeperThan('{"a":{"b":{"c":1}}}', 3), false);
  assert.equal(nestsDeeperThan(JSON.stringify({ text: '[[[[[[{{{{{{' }), 3), false);
  assert.equal(nestsDeeperThan(JSON.stringify({ text: 'quote \\" [[[[[[' }), 3), false);
  assert.equal(nestsDeeperThan('[1,[2],[3],[4],[5]]', 2), false, 'siblings do not add up');
});

test('scans 100k levels without recursion', () => {
  assert.equal(nestsDeeperThan('['.repeat(100_000) + ']'.repeat(100_000), 256), true);
});
