import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PublicError } from '../events/run-event.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

const SRC = new URL('..', import.meta.url).pathname;

test('docs/errors.md has a heading for every error code, and none for codes that do not exist', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const headings = new Set([...doc.matchAll(/^## (\S+)$/gm)].map((match) => match[1]));
  assert.deepEqual([...headings].sort(), Object.keys(ERROR_CODES).sort());
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('every error code the server can send is in the catalogue: each code literal and AppError in src/', () => {
  const unlisted: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const literals = [
      ...text.matchAll(/\b(?:code|error_code): '([a-zA-Z_]+)'/g),
      ...text.matchAll(/new AppError\('([a-z_]+)'/g),
    ].map((match) => match[1]).filter((code) => code !== 'custom'); // zod's issue code, not ours
    for (const code of literals) if (!(code in ERROR_CODES)) unlisted.push(`${file.slice(SRC.length)}: ${code}`);
  }
  assert.deepEqual(unlisted, []);
});

test('PublicError.code is typed by the catalogue, not a plain string', () => {
  const known: PublicError = { code: 'run_not_found', message: 'ok' };
  // @ts-expect-error an unlisted code does not compile (npm run typecheck fails if this line ever compiles)
  const unknown: PublicError = { code: 'made_up_code', message: 'no' };
  const code: ErrorCode = known.code;
  assert.equal(code, 'run_not_found');
  assert.ok(unknown);
});
