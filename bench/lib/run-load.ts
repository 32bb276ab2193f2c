import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { HoldResult } from '../load/hold-scenario.ts';
import type { HoldJob, LoadJob, RunsJob, SoakJob } from '../load/jobs.ts';
import type { RunsResult } from '../load/runs-scenario.ts';
import type { SoakResult } from '../load/soak-scenario.ts';
import { pinnedCommand } from './spawn-server.ts';

const GENERATOR = join(import.meta.dirname, '..', 'load', 'load-generator.ts');

type ResultOf<J extends LoadJob> = J extends RunsJob ? RunsResult : J extends HoldJob ? HoldResult : J extends SoakJob ? SoakResult : never;

/** Runs one job in the load generator process on core 1 and returns its JSON result. */
export async function runLoad<J extends LoadJob>(job: J): Promise<ResultOf<J>> {
  const [command, ...args] = pinnedCommand(1, [process.execPath, GENERATOR, JSON.stringify(job)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load generator failed (${code}): ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ResultOf<J>;
}
