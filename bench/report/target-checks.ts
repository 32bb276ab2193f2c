import type { BenchResults, TargetResults } from '../lib/bench-results.ts';
import type { TargetName } from '../lib/targets.ts';
import { formatNumber, formatRatio } from './format-numbers.ts';

/** One of the targets: what was measured, against what, and whether it is met (undefined: not measured). */
export type TargetCheck = { name: string; goal: string; measured: string; met: boolean | undefined };

/** Checks the targets against one run's results. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const of = (name: TargetName): TargetResults | undefined => results.targets.find((target) => target.target === name);
  const ours = of('agentstream');
  const cpu50 = (name: TargetName) => of(name)?.concurrent50?.cpuPerEventMicros;
  const cpu1 = (name: TargetName) => of(name)?.single?.cpuPerEventMicros;
  const checks: TargetCheck[] = [];
  const add = (name: string, goal: string, value: number | undefined, measured: (value: number) => string, met: (value: number) => boolean) => {
    checks.push({ name, goal, measured: value === undefined || Number.isNaN(value) ? 'not measured' : measured(value), met: value === undefined || Number.isNaN(value) ? undefined : met(value) });
  };

  add('CPU per event, 50 concurrent runs', '≤ 10 µs', cpu50('agentstream'), (value) => `${formatNumber(value)} µs`, (value) => value <= 10);
  add('CPU per event, one connection', '≤ 10 µs', cpu1('agentstream'), (value) => `${formatNumber(value)} µs`, (value) => value <= 10);
  for (const peer of ['aisdk', 'mastra'] as const) {
    const ratio = ratioOf(cpu50(peer), cpu50('agentstream'));
    add(`cheaper per event than ${of(peer)?.label ?? peer} (50 concurrent)`, '≥ 10x', ratio, formatRatio, (value) => value >= 10);
  }
  add('CPU per event vs raw node:http (50 concurrent)', '≤ 4x raw', ratioOf(cpu50('agentstream'), cpu50('raw')), formatRatio, (value) => value <= 4);
  const formats = (ours?.formats ?? []).filter((format) => format.available && format.cpuPerRunRatio !== undefined);
  const worst = formats.length > 0 ? Math.max(...formats.map((format) => format.cpuPerRunRatio!)) : undefined;
  add(`other wire formats vs native, CPU per run (${formats.length} measured, worst)`, '≤ 1.5x', worst, formatRatio, (value) => value <= 1.5);
  add('time to first event p50, one connection (model first chunk: 0 ms)', '≤ 2 ms', ours?.single?.firstEvent.p50, (value) => `${formatNumber(value)} ms`, (value) => value <= 2);
  const c500 = ours?.concurrent500;
  add('500 concurrent runs over keep-alive: failures', '0', c500?.failed, (value) => `${value} of ${c500?.runs}`, (value) => value === 0);
  add('500 concurrent runs: time to first event p99 / p50', '< 5x', c500 ? c500.firstEvent.p99 / c500.firstEvent.p50 : undefined,
    (value) => `${formatRatio(value)} (${formatNumber(c500?.firstEvent.p50)} / ${formatNumber(c500?.firstEvent.p99)} ms)`, (value) => value < 5);
  add('short runs (demo assistant, 50 concurrent): CPU per run vs raw, same frames', '≤ 2x raw', ratioOf(ours?.short?.cpuPerRunMicros, of('raw')?.short?.cpuPerRunMicros), formatRatio, (value) => value <= 2);
  const rawPaced = of('raw')?.paced;
  add(`paced (${ours?.paced?.streams ?? 300} streams x ${ours?.paced?.deltas ?? 150} deltas ${ours?.paced?.delayMs ?? 20} ms apart): CPU per event vs raw`, '≤ 1.5x raw', ratioOf(ours?.paced?.cpuPerEventMicros, rawPaced?.cpuPerEventMicros),
    (value) => `${formatRatio(value)} (${formatNumber(ours?.paced?.cpuPerEventMicros)} / ${formatNumber(rawPaced?.cpuPerEventMicros)} µs)`, (value) => value <= 1.5);
  add('paced: inter-event gap p99 vs raw\'s', '≤ 1.3x raw', ratioOf(ours?.paced?.gaps?.p99, rawPaced?.gaps?.p99),
    (value) => `${formatRatio(value)} (${formatNumber(ours?.paced?.gaps?.p99)} / ${formatNumber(rawPaced?.gaps?.p99)} ms)`, (value) => value <= 1.3);
  const scale = ours?.pacedScale;
  add(`paced at scale (${scale?.streams ?? 1000} paced runs): all complete`, 'all', scale ? scale.runs - scale.failed : undefined, (value) => `${value} of ${scale?.runs}`, (value) => value === scale?.runs && value === scale?.streams);
  add('paced at scale: first event p99', '≤ 500 ms', scale?.firstEvent.p99, (value) => `${formatNumber(value)} ms`, (value) => value <= 500);
  add('paced at scale: inter-event gap p99', '≤ 50 ms', scale?.gaps?.p99, (value) => `${formatNumber(value)} ms`, (value) => value <= 50);
  const pacedMemory = ours?.pacedMemory;
  add(`memory of ${pacedMemory?.streams ?? 2000} open paced runs (RSS per run)`, '≤ 40 KB', pacedMemory?.rssPerStreamKB, (value) => `${formatNumber(value)} KB (heap ${formatNumber(pacedMemory?.heapPerStreamKB)} KB)`, (value) => value <= 40);
  const bytes = ours?.bytes;
  const aiSdkBytes = bytes?.formats.find((format) => format.name === 'ai-sdk-ui')?.bytesPerRun;
  add('bytes per run: native vs the AI SDK UI stream of the same run', '≤ 2x', ratioOf(bytes?.native.bytesPerRun, aiSdkBytes), formatRatio, (value) => value <= 2);
  const idle = ours?.idle;
  add(`${idle?.streams ?? 10_000} open streams: every one completes`, 'all', idle ? idle.completed : undefined, (value) => `${value} of ${idle?.streams}`, (value) => value === idle?.streams);
  add('server memory per open stream (RSS)', '≤ 30 KB', idle?.rssPerStreamKB, (value) => `${formatNumber(value)} KB (heap ${formatNumber(idle?.heapPerStreamKB)} KB)`, (value) => value <= 30);
  const soak = ours?.soak;
  const growth = soak ? Math.max(soak.heapGrowthPercent, soak.rssGrowthPercent) : undefined;
  add(`memory over ${soak?.cycles ?? 10_000} connect/disconnect cycles`, 'flat within 5%', growth,
    (value) => `heap ${formatNumber(soak?.heapGrowthPercent, 1)}%, RSS ${formatNumber(soak?.rssGrowthPercent, 1)}% (max ${formatNumber(value, 1)}%)`, (value) => value <= 5);
  return checks;
}

/** `numerator / denominator`, or undefined when either is missing. */
export function ratioOf(numerator: number | undefined, denominator: number | undefined): number | undefined {
  return numerator === undefined || denominator === undefined || denominator === 0 ? undefined : numerator / denominator;
}
