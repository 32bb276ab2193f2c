import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Imports go one way (STYLE.md): http -> runs -> agents -> ... -> events. Renderers and parsers in
// protocols/ are pure functions of events and request bodies; routes that stream runs live in http/routes/.
const PROTOCOLS = dirname(fileURLToPath(import.meta.url));
const SRC = resolve(PROTOCOLS, '..');
const FORBIDDEN = ['http', 'runs', 'store', 'bus', 'create-server.ts', 'main.ts'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Relative import specifiers of a file: static `from`, side-effect `import '…'` and dynamic `import('…')`. */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]!);
}

test('no module under src/protocols imports http, runs, store or bus', () => {
  const violations: string[] = [];
  // This file names upward imports in its own self-check, so it is left out of the scan.
  for (const file of sourceFiles(PROTOCOLS).filter((path) => path !== fileURLToPath(import.meta.url))) {
    for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
      const target = relative(SRC, resolve(dirname(file), specifier));
      const topLevel = target.split(/[\\/]/)[0]!;
      if (FORBIDDEN.includes(topLevel)) violations.push(`${relative(SRC, file)} imports ${specifier}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the layering check sees an upward import when there is one', () => {
  // Guards the regex above: a check that matches nothing would pass forever.
  assert.deepEqual(relativeImports(`import type { RouteModule } from '../../http/app.ts';\nconst m = import('../runs/x.ts');`), ['../../http/app.ts', '../runs/x.ts']);
});
