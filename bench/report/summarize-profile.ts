import { readFileSync } from 'node:fs';

// Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per file, so the
// hot path shows without a browser. Usage: node bench/report/summarize-profile.ts <file> [rows]

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Self time (ms) by function and by file, largest first. */
export function summarizeProfile(profile: Profile): { total: number; byFunction: [string, number][]; byFile: [string, number][] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const frame = nodes.get(id)!.callFrame;
    const file = shorten(frame.url) || `(${frame.functionName || 'native'})`;
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    total += ms;
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { total, byFunction: sorted(byFunction), byFile: sorted(byFile) };
}

function shorten(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/work\/main\//, '');
}

if (import.meta.main) {
  const rows = Number(process.argv[3] ?? 40);
  const summary = summarizeProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile);
  const line = ([name, ms]: [string, number]) => `${ms.toFixed(1).padStart(9)} ms ${((ms / summary.total) * 100).toFixed(1).padStart(5)}%  ${name}`;
  console.log(`total ${summary.total.toFixed(0)} ms\n\nby file:`);
  console.log(summary.byFile.slice(0, rows).map(line).join('\n'));
  console.log('\nby function:');
  console.log(summary.byFunction.slice(0, rows).map(line).join('\n'));
}
