import type { ChildProcess } from 'node:child_process';
import { startMain as spawnMain } from './start-main.ts';

export type MainProcess = { child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> };

/**
 * `startMain` from start-main.ts for tests that need the process to be listening: resolves with its URL
 * and an `exited` promise, and rejects if it exits before it listens.
 */
export async function startMain(env: Record<string, string>, options: { script?: string } = {}): Promise<MainProcess> {
  const main = spawnMain({ HOST: '127.0.0.1', ...env }, options);
  const exited = new Promise<number | null>((resolve) => main.child.on('exit', (code) => resolve(code)));
  const { url, code } = await main.listening;
  if (!url) throw new Error(`src/main.ts exited (${code}) before listening: ${main.stderr()}`);
  return { child: main.child, url, stderr: main.stderr, exited };
}
