import type { RunsJob } from '../load/jobs.ts';
import type { RunsResult } from '../load/runs-scenario.ts';
import type { RequestRecipe } from '../load/stream-request.ts';
import type { BenchPlan, ScenarioName } from './bench-plan.ts';
import type { FormatResult, RepeatedRuns, TargetResults } from './bench-results.ts';
import { runLoad } from './run-load.ts';
import type { RunningServer } from './spawn-server.ts';
import type { Target } from './targets.ts';
import { measureBytes } from './measure-bytes.ts';
import { NATIVE_BASELINES, WIRE_FORMATS } from './wire-formats.ts';

export type ScenarioContext = {
  target: Target;
  plan: BenchPlan;
  results: TargetResults;
  log: (line: string) => void;
  /** Profile agentstream during each measured window (`--profile`). */
  profile: boolean;
};

/** The profile name for a scenario when profiling this target, else undefined. */
function profileName(context: ScenarioContext, scenario: string): string | undefined {
  return context.profile && context.target.name === 'agentstream' ? scenario : undefined;
}

const runsJob = (server: RunningServer, recipes: RequestRecipe[], fields: Omit<RunsJob, 'kind' | 'host' | 'port' | 'recipes'>): RunsJob =>
  ({ kind: 'runs', host: server.host, port: server.port, recipes, ...fields });

/** Events per run of a recipe (two sequential runs, which also warm the path up); throws when a run fails or they differ. */
export async function countEvents(server: RunningServer, recipe: RequestRecipe, runs = 2): Promise<number> {
  const result = await runLoad(runsJob(server, [recipe], { concurrency: 1, runsPerConnection: runs, maxSeconds: 120 }));
  if (result.failed > 0) throw new Error(`calibration failed: ${JSON.stringify(result.errors)}`);
  const perRun = result.events / result.runs;
  if (!Number.isInteger(perRun)) throw new Error(`runs differ in length (${result.events} events in ${result.runs} runs)`);
  return perRun;
}

async function repeated(context: ScenarioContext, job: () => Promise<RunsResult>): Promise<RepeatedRuns> {
  const samples: RunsResult[] = [];
  for (let index = 0; index < context.plan.repeats; index += 1) samples.push(await job());
  const sorted = [...samples].sort((left, right) => left.cpuPerEventMicros - right.cpuPerEventMicros);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], cpuPerEventSamples: samples.map((sample) => sample.cpuPerEventMicros) };
}

/** The scenarios that share one warm server: throughput, concurrency, paced streams, teams, wire formats. */
export async function runSharedServerScenarios(server: RunningServer, context: ScenarioContext, selected: Set<ScenarioName>): Promise<void> {
  const { target, plan, results, log } = context;
  const attempt = async (name: ScenarioName, body: () => Promise<void>) => {
    if (!selected.has(name)) return;
    log(`  ${name}`);
    try {
      await body();
    } catch (error) {
      results.errors[name] = String(error instanceof Error ? error.message : error).slice(0, 500);
      log(`  ${name} failed: ${results.errors[name]}`);
    }
  };
  const expectEvents = await countEvents(server, target.benchRun, 3);
  results.eventsPerRun = expectEvents;
  const bench = [target.benchRun];
  // Steady state, not start-up: the JIT, the heap and the database settle before anything is measured.
  await runLoad(runsJob(server, bench, { expectEvents, concurrency: 10, runsPerConnection: plan.warmupRunsPerConnection, maxSeconds: 20 }));

  await attempt('single', async () => {
    results.single = await repeated(context, () => runLoad(runsJob(server, bench, { expectEvents, concurrency: 1, runsPerConnection: plan.single.runs, maxSeconds: plan.single.maxSeconds, profileName: profileName(context, 'single') })));
  });
  await attempt('concurrent50', async () => {
    results.concurrent50 = await repeated(context, () => runLoad(runsJob(server, bench, { expectEvents, concurrency: 50, ...plan.concurrent50, profileName: profileName(context, 'concurrent50') })));
  });
  await attempt('concurrent500', async () => {
    results.concurrent500 = await runLoad(runsJob(server, bench, { expectEvents, concurrency: 500, ...plan.concurrent500, profileName: profileName(context, 'concurrent500') }));
  });
  await attempt('short', async () => {
    if (!target.shortRun) return;
    const shortEvents = await countEvents(server, target.shortRun);
    results.short = await repeated(context, () => runLoad(runsJob(server, [target.shortRun!], { expectEvents: shortEvents, ...plan.short, profileName: profileName(context, 'short') })));
  });
  await attempt('paced', async () => {
    const { streams, deltas, delayMs, maxSeconds } = plan.paced;
    const pacedEvents = await countEvents(server, target.pacedRun(deltas, 0)[0]);
    const result = await runLoad(runsJob(server, target.pacedRun(deltas, delayMs), { expectEvents: pacedEvents, concurrency: streams, runsPerConnection: 1, maxSeconds, recordGaps: true, profileName: profileName(context, 'paced') }));
    results.paced = { ...result, deltas, delayMs, streams };
  });
  await attempt('team', async () => {
    if (!target.teamRun) return;
    const teamEvents = await countEvents(server, target.teamRun);
    results.team = await runLoad(runsJob(server, [target.teamRun], { expectEvents: teamEvents, ...plan.team, profileName: profileName(context, 'team') }));
  });
  await attempt('formats', async () => {
    if (target.name !== 'agentstream') return;
    results.formats = await runFormats(server, context);
  });
  await attempt('bytes', async () => {
    if (target.name !== 'agentstream') return;
    results.bytes = await measureBytes(server);
  });
}

async function runFormats(server: RunningServer, context: ScenarioContext): Promise<FormatResult[]> {
  const { plan } = context;
  const measure = (recipe: RequestRecipe, expectEvents: number, name: string) =>
    runLoad(runsJob(server, [recipe], { expectEvents, concurrency: 1, runsPerConnection: plan.formats.runs, maxSeconds: plan.formats.maxSeconds, profileName: profileName(context, `format-${name}`) }));
  const medianByCpuPerRun = (results: RunsResult[]) => [...results].sort((left, right) => left.cpuPerRunMicros - right.cpuPerRunMicros)[Math.floor((results.length - 1) / 2)];
  const formats: FormatResult[] = [];
  for (const format of WIRE_FORMATS) {
    try {
      const baselineRecipe = NATIVE_BASELINES[format.baseline];
      const [formatEvents, baselineEvents] = [await countEvents(server, format.recipe), await countEvents(server, baselineRecipe)];
      // Format and native alternate, so a change in the machine's load hits both alike.
      const formatRuns: RunsResult[] = [];
      const baselineRuns: RunsResult[] = [];
      for (let round = 0; round < plan.formats.rounds; round += 1) {
        baselineRuns.push(await measure(baselineRecipe, baselineEvents, `native-${format.baseline}`));
        formatRuns.push(await measure(format.recipe, formatEvents, format.name));
      }
      const result = medianByCpuPerRun(formatRuns);
      const baseline = medianByCpuPerRun(baselineRuns);
      formats.push({ name: format.name, label: format.label, available: true, result, baseline, cpuPerRunRatio: result.cpuPerRunMicros / baseline.cpuPerRunMicros });
      context.log(`    ${format.name}: ${(result.cpuPerRunMicros / baseline.cpuPerRunMicros).toFixed(2)}x native per run`);
    } catch (error) {
      formats.push({ name: format.name, label: format.label, available: false, note: String(error instanceof Error ? error.message : error).slice(0, 200) });
      context.log(`    ${format.name}: not measured (${formats.at(-1)!.note})`);
    }
  }
  return formats;
}

/** Paced at scale on a fresh server: do 1,000 paced runs at once all complete, how soon does each start, how even are the gaps? */
export async function runPacedScaleScenario(server: RunningServer, context: ScenarioContext): Promise<void> {
  const { streams, deltas, delayMs, maxSeconds } = context.plan.pacedScale;
  const expectEvents = await countEvents(server, context.target.pacedRun(deltas, 0)[0]);
  const result = await runLoad(runsJob(server, context.target.pacedRun(deltas, delayMs), { expectEvents, concurrency: streams, runsPerConnection: 1, maxSeconds, recordGaps: true, profileName: profileName(context, 'pacedScale') }));
  context.results.pacedScale = { ...result, deltas, delayMs, streams };
}

/** Open paced runs on a fresh server: memory per run while every one is streaming. */
export async function runPacedMemoryScenario(server: RunningServer, context: ScenarioContext): Promise<void> {
  const { streams, deltas, delayMs, maxPendingOpens, maxSeconds } = context.plan.pacedMemory;
  const expectEvents = await countEvents(server, context.target.pacedRun(deltas, 0)[0]);
  const result = await runLoad({ kind: 'hold', host: server.host, port: server.port, recipes: context.target.pacedRun(deltas, delayMs), expectEvents, streams, maxPendingOpens, maxSeconds, profileName: profileName(context, 'pacedMemory') });
  context.results.pacedMemory = { ...result, deltas, delayMs };
}

/** 10k idle streams on a fresh server: memory per open stream, and whether every one completes. */
export async function runIdleScenario(server: RunningServer, context: ScenarioContext): Promise<void> {
  const { streams, deltas, delayMs, maxPendingOpens, maxSeconds } = context.plan.idle;
  const expectEvents = await countEvents(server, context.target.pacedRun(deltas, 0)[0]);
  const result = await runLoad({ kind: 'hold', host: server.host, port: server.port, recipes: context.target.pacedRun(deltas, delayMs), expectEvents, streams, maxPendingOpens, maxSeconds, profileName: profileName(context, 'idle') });
  context.results.idle = { ...result, deltas, delayMs };
}

/** Connect/disconnect cycles on a fresh server: does memory stay flat? */
export async function runSoakScenario(server: RunningServer, context: ScenarioContext): Promise<void> {
  const { cycles, concurrency, deltas, delayMs, disconnectAfterEvents, checkpoints, settleMs, maxSeconds } = context.plan.soak;
  await countEvents(server, context.target.pacedRun(deltas, 0)[0]);
  context.results.soak = await runLoad({
    kind: 'soak', host: server.host, port: server.port, recipes: context.target.pacedRun(deltas, delayMs, { soak: true }),
    cycles, concurrency, disconnectAfterEvents, checkpoints, settleMs, maxSeconds, profileName: profileName(context, 'soak'),
  });
}
