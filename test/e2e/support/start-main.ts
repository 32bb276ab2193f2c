import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));

/**
 * Runs `src/main.ts` as an operator would (Node 24, environment only) on an ephemeral port. `listening`
 * resolves with the URL once it listens, or with the exit code if it stops first. The developer's own
 * DATABASE_URL / REDIS_URL / AGENTSTREAM_CONFIG never leak in: tests say what they want. `script` runs another
 * entry file that logs its address the same way (e.g. `firehose-main.ts`).
 */
export function startMain(env: Record<string, string>, options: { script?: string; cwd?: string } = {}) {
  const { DATABASE_URL: _database, REDIS_URL: _redis, AGENTSTREAM_CONFIG: _config, ...inherited } = process.env;
  const child = spawn(process.execPath, [options.script ?? MAIN], {
    env: { ...inherited, LOG_LEVEL: 'info', PORT: '0', DEMO_TOKEN_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  let stderr = '';
  const listening = new Promise<{ url?: string; code?: number | null }>((resolve) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+?)"/.exec(stderr);
      if (match) resolve({ url: match[1] });
    });
    child.on('exit', (code) => resolve({ code }));
  });
  return { child, listening, stderr: () => stderr };
}

/**
 * The URL a server process logs once it listens (on stdout or stderr), for processes started another way (`npm start`,
 * an installed bin); rejects with everything it printed if it exits first.
 */
export function waitForListening(child: ChildProcess, what: string): Promise<string> {
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+?)"/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}
