import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from './error-codes.ts';

test('docs/errors.md has a heading for every error code, and none for codes that do not exist', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const headings = new Set([...doc.matchAll(/^## (\S+)$/gm)].map((match) => match[1]));
  assert.deepEqual([...headings].sort(), Object.keys(ERROR_CODES).sort());
});
