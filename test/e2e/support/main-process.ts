import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));

export type MainProcess = { child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> };

/**
 * Runs `src/main.ts` as a user would (this Node, environment only, the embedded default whatever the developer's
 * shell points at) and resolves once it logs that it listens. Rejects if it exits first.
 */
export async function startMain(env: Record<string, string>): Promise<MainProcess> {
  const { DATABASE_URL: _database, REDIS_URL: _redis, AGENTSTREAM_CONFIG: _config, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+?)"/.exec(stderr);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`src/main.ts exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}
