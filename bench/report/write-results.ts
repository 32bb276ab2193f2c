import type { BenchResults, TargetResults } from '../lib/bench-results.ts';
import { formatNumber, formatRatio } from './format-numbers.ts';
import { checkTargets, ratioOf } from './target-checks.ts';

type Row = { label: string; value(target: TargetResults): string };

/** The results as Markdown: the issue's targets first, then every scenario with every target side by side. */
export function renderResultsMarkdown(results: BenchResults, options: { chartFile?: string } = {}): string {
  const lines: string[] = [];
  const { machine } = results;
  lines.push(`Measured ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, \`npm run bench${results.mode === 'quick' ? ' -- --quick' : ''}\` (${Math.round(results.durationSeconds)} s), `
    + `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ${machine.pinned ? 'server pinned to core 0 and load generator to core 1' : 'not pinned (no taskset)'}. `
    + `Load average at start ${machine.loadAverageAtStart.map((load) => load.toFixed(2)).join(' / ')}${machine.loadAverageAtStart[0] > 1 ? ' — **the machine was busy with other work: figures are noisier than usual**' : ''}.`);
  lines.push('');
  lines.push('### The issue\'s targets');
  lines.push('');
  lines.push('| target | goal | measured | |');
  lines.push('|---|---|---|---|');
  for (const check of checkTargets(results)) lines.push(`| ${check.name} | ${check.goal} | ${check.measured} | ${check.met === undefined ? '–' : check.met ? 'met' : '**missed**'} |`);
  lines.push('');
  if (options.chartFile) lines.push(`![agentstream against the raw ceiling and the peers](${options.chartFile})`, '');

  const ours = results.targets.find((target) => target.target === 'agentstream');
  const table = (scenario: string, title: string, note: string, rows: Row[], targets = results.targets) => {
    lines.push(`### ${title}`, '', note, '');
    lines.push(`| | ${targets.map((target) => target.label).join(' | ')} |`);
    lines.push(`|---|${targets.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${row.label} | ${targets.map((target) => (target.errors[scenario] ? 'error' : row.value(target))).join(' | ')} |`);
    lines.push('');
  };
  const versusOurs = (value: number | undefined, ourValue: number | undefined) => {
    const ratio = ratioOf(value, ourValue);
    return ratio === undefined || value === undefined ? '' : ` (${formatRatio(ratio)})`;
  };
  const samples = (values: number[] | undefined) => (values && values.length > 1 ? ` <sub>${values.map((value) => formatNumber(value)).join(', ')}</sub>` : '');

  table('single', 'One run at a time', 'One keep-alive connection, runs back to back. One run = 1 tool call + 500 text deltas from the deterministic zero-latency model. (x) = relative to agentstream.', [
    { label: 'events per run (frames)', value: (target) => formatNumber(target.eventsPerRun, 0) },
    { label: 'server CPU per event, µs (median; all repetitions)', value: (target) => `${formatNumber(target.single?.cpuPerEventMicros)}${versusOurs(target.single?.cpuPerEventMicros, ours?.single?.cpuPerEventMicros)}${samples(target.single?.cpuPerEventSamples)}` },
    { label: 'server CPU per run, ms', value: (target) => formatNumber(target.single && target.single.cpuPerRunMicros / 1000) },
    { label: 'runs/s', value: (target) => formatNumber(target.single?.runsPerSecond) },
    { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.single?.firstEvent.p50)} / ${formatNumber(target.single?.firstEvent.p99)}` },
    { label: 'bytes per run', value: (target) => formatNumber(target.single && target.single.bytes / target.single.runs, 0) },
  ]);
  table('concurrent50', '50 concurrent runs', '50 keep-alive connections, each running runs back to back; the server\'s core is saturated.', [
    { label: 'server CPU per event, µs (median; all repetitions)', value: (target) => `${formatNumber(target.concurrent50?.cpuPerEventMicros)}${versusOurs(target.concurrent50?.cpuPerEventMicros, ours?.concurrent50?.cpuPerEventMicros)}${samples(target.concurrent50?.cpuPerEventSamples)}` },
    { label: 'runs/s', value: (target) => formatNumber(target.concurrent50?.runsPerSecond) },
    { label: 'events/s', value: (target) => formatNumber(target.concurrent50?.eventsPerSecond, 0) },
    { label: 'failed runs', value: (target) => (target.concurrent50 ? `${target.concurrent50.failed} of ${target.concurrent50.runs}` : '–') },
    { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.concurrent50?.firstEvent.p50)} / ${formatNumber(target.concurrent50?.firstEvent.p99)}` },
  ]);
  table('concurrent500', '500 concurrent runs', '500 keep-alive connections at once, each running its runs back to back (the second reuses the connection).', [
    { label: 'failed runs', value: (target) => (target.concurrent500 ? `${target.concurrent500.failed} of ${target.concurrent500.runs}${failureNote(target.concurrent500.errors)}` : '–') },
    { label: 'runs/s', value: (target) => formatNumber(target.concurrent500?.runsPerSecond) },
    { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.concurrent500?.firstEvent.p50)} / ${formatNumber(target.concurrent500?.firstEvent.p99)}` },
    { label: 'p99 / p50', value: (target) => formatRatio(target.concurrent500 && target.concurrent500.firstEvent.p99 / target.concurrent500.firstEvent.p50) },
    { label: 'server CPU per event, µs', value: (target) => formatNumber(target.concurrent500?.cpuPerEventMicros) },
  ]);
  const withShort = results.targets.filter((target) => target.short);
  if (withShort.length > 0) {
    const raw = results.targets.find((target) => target.target === 'raw');
    table('short', 'Short runs', `The demo assistant's own answer to the bench prompt (the \`demo\` model: reasoning, one tool call, a short text; no token delay), 50 keep-alive connections, runs back to back; the raw server replays the same frames. CPU per run is what a run costs beyond its frames: (x) = relative to raw.`, [
      { label: 'events per run', value: (target) => formatNumber(target.short && target.short.events / target.short.runs, 0) },
      { label: 'server CPU per run, ms (median; all repetitions, µs per event)', value: (target) => `${formatNumber(target.short && target.short.cpuPerRunMicros / 1000)}${versusOurs(target.short?.cpuPerRunMicros, raw?.short?.cpuPerRunMicros)}${samples(target.short?.cpuPerEventSamples)}` },
      { label: 'server CPU per event, µs', value: (target) => formatNumber(target.short?.cpuPerEventMicros) },
      { label: 'runs/s', value: (target) => formatNumber(target.short?.runsPerSecond) },
      { label: 'failed runs', value: (target) => (target.short ? `${target.short.failed} of ${target.short.runs}${failureNote(target.short.errors)}` : '–') },
      { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.short?.firstEvent.p50)} / ${formatNumber(target.short?.firstEvent.p99)}` },
    ], withShort);
  }
  const paced = results.targets.find((target) => target.paced)?.paced;
  table('paced', 'Paced streams', `${paced?.streams ?? '?'} streams at once, each a tool-less run of ${paced?.deltas ?? '?'} text deltas ${paced?.delayMs ?? '?'} ms apart, like an LLM. The gap is between consecutive chunks of one stream at the client; ideal: ${paced?.delayMs ?? '?'} ms.`, [
    { label: 'inter-event gap p50 / p99 / max, ms', value: (target) => `${formatNumber(target.paced?.gaps?.p50)} / ${formatNumber(target.paced?.gaps?.p99)} / ${formatNumber(target.paced?.gaps?.max)}` },
    { label: 'server CPU per event, µs', value: (target) => formatNumber(target.paced?.cpuPerEventMicros) },
    { label: 'server core busy, %', value: (target) => formatNumber(target.paced && (target.paced.serverCpuMicros / 1000 / target.paced.windowMs) * 100, 0) },
    { label: 'failed streams', value: (target) => (target.paced ? `${target.paced.failed} of ${target.paced.runs}${failureNote(target.paced.errors)}` : '–') },
  ]);
  const scale = results.targets.find((target) => target.pacedScale)?.pacedScale;
  table('pacedScale', 'Paced at scale', `${scale?.streams ?? '?'} paced runs at once on one fresh server, each ${scale?.deltas ?? '?'} text deltas ${scale?.delayMs ?? '?'} ms apart.`, [
    { label: 'completed', value: (target) => (target.pacedScale ? `${target.pacedScale.runs - target.pacedScale.failed} of ${target.pacedScale.runs}${failureNote(target.pacedScale.errors)}` : '–') },
    { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.pacedScale?.firstEvent.p50)} / ${formatNumber(target.pacedScale?.firstEvent.p99)}` },
    { label: 'inter-event gap p50 / p99 / max, ms', value: (target) => `${formatNumber(target.pacedScale?.gaps?.p50)} / ${formatNumber(target.pacedScale?.gaps?.p99)} / ${formatNumber(target.pacedScale?.gaps?.max)}` },
    { label: 'server CPU per event, µs', value: (target) => formatNumber(target.pacedScale?.cpuPerEventMicros) },
    { label: 'server core busy, %', value: (target) => formatNumber(target.pacedScale && (target.pacedScale.serverCpuMicros / 1000 / target.pacedScale.windowMs) * 100, 0) },
  ]);
  const pacedMemory = results.targets.find((target) => target.pacedMemory)?.pacedMemory;
  table('pacedMemory', 'Memory of open paced runs', `${pacedMemory?.streams ?? '?'} streams held open on a fresh server, each a run of ${pacedMemory?.deltas ?? '?'} deltas ${pacedMemory?.delayMs ?? '?'} ms apart, still streaming when memory is sampled (after a full GC, minus before).`, [
    { label: 'completed', value: (target) => (target.pacedMemory ? `${target.pacedMemory.completed} of ${target.pacedMemory.streams}${failureNote(target.pacedMemory.errors)}` : '–') },
    { label: 'open at once when sampled', value: (target) => formatNumber(target.pacedMemory?.openAtSample, 0) },
    { label: 'memory per open run, KB (RSS / JS heap)', value: (target) => `${formatNumber(target.pacedMemory?.rssPerStreamKB)} / ${formatNumber(target.pacedMemory?.heapPerStreamKB)}` },
    { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.pacedMemory?.firstEvent.p50)} / ${formatNumber(target.pacedMemory?.firstEvent.p99)}` },
  ]);
  const idle = results.targets.find((target) => target.idle)?.idle;
  table('idle', 'Open streams', `${idle?.streams ?? '?'} streams opened together (at most ${500} waiting for their first event), each a run of ${idle?.deltas ?? '?'} deltas ${idle?.delayMs ?? '?'} ms apart, held to the end. Memory is the server's, after a full GC, once every stream is open, minus before.`, [
    { label: 'completed', value: (target) => (target.idle ? `${target.idle.completed} of ${target.idle.streams}${failureNote(target.idle.errors)}` : '–') },
    { label: 'open at once when sampled', value: (target) => formatNumber(target.idle?.openAtSample, 0) },
    { label: 'memory per open stream, KB (RSS / JS heap)', value: (target) => `${formatNumber(target.idle?.rssPerStreamKB)} / ${formatNumber(target.idle?.heapPerStreamKB)}` },
    { label: 'all open after, s', value: (target) => formatNumber(target.idle && target.idle.openAllMs / 1000) },
    { label: 'time to first event p50 / p99, ms', value: (target) => `${formatNumber(target.idle?.firstEvent.p50)} / ${formatNumber(target.idle?.firstEvent.p99)}` },
  ]);
  const soak = results.targets.find((target) => target.soak)?.soak;
  table('soak', 'Connect/disconnect soak', `${soak?.cycles ?? '?'} cycles, 50 at a time: connect, start a paced run, read 3 events, drop the connection (agentstream: half continue, half cancel). Memory after a full GC at each checkpoint, with the load paused; growth is from the first checkpoint to the last.`, [
    { label: 'cycles (failed)', value: (target) => (target.soak ? `${target.soak.cycles} (${target.soak.failed})` : '–') },
    { label: 'JS heap growth, %', value: (target) => formatNumber(target.soak?.heapGrowthPercent, 1) },
    { label: 'RSS growth, %', value: (target) => formatNumber(target.soak?.rssGrowthPercent, 1) },
    { label: 'heap at checkpoints, MB', value: (target) => target.soak?.samples.map((sample) => formatNumber(sample.heapUsed / 1048576, 1)).join(' → ') ?? '–' },
  ]);
  const withTeams = results.targets.filter((target) => target.team);
  if (withTeams.length > 0) {
    table('team', 'Team runs', 'The `research` pipeline team (planner, parallel searchers, writer) on the bench model; the raw server replays the same frames. The AI SDK and Mastra have no equivalent team here.', [
      { label: 'events per run', value: (target) => formatNumber(target.team && target.team.events / target.team.runs, 0) },
      { label: 'server CPU per event, µs', value: (target) => formatNumber(target.team?.cpuPerEventMicros) },
      { label: 'runs/s', value: (target) => formatNumber(target.team?.runsPerSecond) },
      { label: 'failed runs', value: (target) => (target.team ? `${target.team.failed} of ${target.team.runs}` : '–') },
    ], withTeams);
  }
  if (ours?.formats) {
    lines.push('### agentstream\'s wire formats', '', 'One connection, the same run as the native baseline (same target, same bench model), format and native alternating, 3 rounds each (median); CPU per run compared, since formats differ in frames per run.', '');
    lines.push('| format | frames per run | CPU per run, ms | native CPU per run, ms | ratio | CPU per frame, µs |', '|---|---|---|---|---|---|');
    for (const format of ours.formats) {
      if (!format.available || !format.result || !format.baseline) {
        lines.push(`| ${format.label} | not measured: ${format.note ?? ''} | | | | |`);
        continue;
      }
      lines.push(`| ${format.label} | ${formatNumber(format.result.events / format.result.runs, 0)} | ${formatNumber(format.result.cpuPerRunMicros / 1000)} | ${formatNumber(format.baseline.cpuPerRunMicros / 1000)} | ${formatRatio(format.cpuPerRunRatio)} | ${formatNumber(format.result.cpuPerEventMicros)} |`);
    }
    lines.push('');
  }
  if (ours?.bytes) {
    const { formats, native } = ours.bytes;
    const aiSdk = formats.find((format) => format.name === 'ai-sdk-ui');
    lines.push('### Bytes per run', '', 'One run of each of agentstream\'s wire formats on the same model as its native baseline (the bench run: 1 tool call + 500 text deltas), the response body as the client receives it (no compression). Per text delta: the run\'s bytes over its text deltas (the native run\'s `message.delta` frames).', '');
    lines.push('| format | frames per run | bytes per run | bytes per text delta | vs AI SDK UI stream |', '|---|---|---|---|---|');
    for (const format of formats) {
      const versus = format.baseline === aiSdk?.baseline ? formatRatio(ratioOf(format.bytesPerRun, aiSdk?.bytesPerRun)) : '–';
      lines.push(`| ${format.label}${format.note ? ` (${format.note})` : ''} | ${formatNumber(format.frames, 0)} | ${formatNumber(format.bytesPerRun, 0)} | ${formatNumber(format.bytesPerTextDelta, 0)} | ${versus} |`);
    }
    lines.push('', `A native \`message.delta\` frame is ${formatNumber(native.deltaFrameBytes, 0)} bytes for a ${formatNumber(native.deltaTextBytes, 0)}-byte delta (median). Leaner native frames (estimates from the same events; not shipped):`, '');
    lines.push('| leaner native encoding | bytes per run | saved | delta frame, bytes | vs AI SDK UI stream |', '|---|---|---|---|---|');
    for (const lean of native.lean) {
      lines.push(`| ${lean.description} | ${formatNumber(lean.bytesPerRun, 0)} | ${formatNumber((1 - lean.bytesPerRun / native.bytesPerRun) * 100, 0)}% | ${formatNumber(lean.deltaFrameBytes, 0)} | ${formatRatio(ratioOf(lean.bytesPerRun, aiSdk?.bytesPerRun))} |`);
    }
    lines.push('');
  }
  const errors = results.targets.flatMap((target) => Object.entries(target.errors).map(([scenario, error]) => `- ${target.label}, ${scenario}: ${error}`));
  if (errors.length > 0) lines.push('### Scenarios that could not run', '', ...errors, '');
  return lines.join('\n');
}

function failureNote(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  return entries.length === 0 ? '' : ` (${entries.map(([message, count]) => `${count}× ${message.replaceAll('|', '/')}`).join('; ')})`;
}
