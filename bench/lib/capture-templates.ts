import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from './spawn-server.ts';
import type { Target } from './targets.ts';

/**
 * Records what agentstream streams for each kind of run (zero latency; paced runs differ only in timing)
 * into a file the raw node:http server replays, so the ceiling writes exactly agentstream's frames.
 * Returns the file's path.
 */
export async function captureTemplates(server: RunningServer, agentstream: Target, pacedDeltas: number[]): Promise<string> {
  const base = `http://${server.host}:${server.port}`;
  const record = async (body: string) => {
    const response = await fetch(`${base}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (response.status !== 200) throw new Error(`capturing a template: HTTP ${response.status}`);
    const text = await response.text();
    return text.split('\n\n').flatMap((frame) => {
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      return data ? [JSON.parse(data.slice('data: '.length)) as unknown] : [];
    });
  };
  const templates: Record<string, unknown[]> = { bench: await record(agentstream.benchRun.body) };
  if (agentstream.teamRun) templates.team = await record(agentstream.teamRun.body);
  if (agentstream.shortRun) templates.short = await record(agentstream.shortRun.body);
  for (const deltas of new Set(pacedDeltas)) templates[`paced:${deltas}`] = await record(agentstream.pacedRun(deltas, 0)[0].body);
  const directory = join(import.meta.dirname, '..', '.work');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, 'raw-templates.json');
  writeFileSync(file, JSON.stringify(templates));
  return file;
}
