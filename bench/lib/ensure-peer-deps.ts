import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BENCH_DIR = join(import.meta.dirname, '..');
const REQUIRED = ['ai', 'hono', '@hono/node-server', '@mastra/core', '@mastra/hono'];

/** Installs the peer stacks into bench/node_modules (`npm ci --prefix bench`) when any is missing. Never touches the root. */
export function ensurePeerDeps(log: (line: string) => void): void {
  const missing = REQUIRED.filter((name) => !existsSync(join(BENCH_DIR, 'node_modules', name, 'package.json')));
  if (missing.length === 0) return;
  log(`installing the peer stacks for the bench (missing: ${missing.join(', ')}): npm ci --prefix bench`);
  const result = spawnSync('npm', ['ci', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci --prefix bench failed; the AI SDK and Mastra peers cannot run');
}
