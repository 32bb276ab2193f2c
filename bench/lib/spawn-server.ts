import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';

/** A running bench server. `stop` ends it by its own pid (SIGTERM, then SIGKILL after 5 s). */
export type RunningServer = { host: string; port: number; pid: number; stop(): Promise<void> };

const BENCH_DIR = join(import.meta.dirname, '..');
const HAS_TASKSET = spawnSync('taskset', ['-V']).status === 0;

/**
 * Wraps a command so it runs on one core (`taskset -c <core>`, when taskset exists) with the open-file
 * limit raised to the hard limit (10k streams need 10k descriptors).
 */
export function pinnedCommand(core: number, command: string[]): string[] {
  const pinned = HAS_TASKSET ? ['taskset', '-c', String(core), ...command] : command;
  return ['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'pinned', ...pinned];
}

/** Starts a bench server script on core 0 with Node 24 (`process.execPath`) and waits for its READY line. */
export async function spawnServer(options: { script: string; env?: Record<string, string>; nodeFlags?: string[] }): Promise<RunningServer> {
  const [command, ...args] = pinnedCommand(0, [process.execPath, '--expose-gc', ...(options.nodeFlags ?? []), join(BENCH_DIR, options.script)]);
  const child = spawn(command, args, { cwd: join(BENCH_DIR, '..'), env: { ...process.env, ...options.env, BENCH_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`${options.script} did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited (${code}) before it was ready: ${stderr}`));
    });
  });
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port), pid: child.pid!, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
