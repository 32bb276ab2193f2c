import { cpus, loadavg } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FRESH_SERVER_SCENARIOS, FULL_PLAN, pacedSpecs, QUICK_PLAN, QUICK_SCENARIOS, SCENARIOS, type ScenarioName } from './lib/bench-plan.ts';
import type { BenchResults, TargetResults } from './lib/bench-results.ts';
import { captureTemplates } from './lib/capture-templates.ts';
import { ensurePeerDeps } from './lib/ensure-peer-deps.ts';
import { runIdleScenario, runPacedMemoryScenario, runPacedScaleScenario, runSharedServerScenarios, runSoakScenario, type ScenarioContext } from './lib/run-target-scenarios.ts';
import { pinnedCommand, spawnServer, type RunningServer } from './lib/spawn-server.ts';
import { TARGETS, type Target } from './lib/targets.ts';
import { renderChart } from './report/render-chart.ts';
import { renderResultsMarkdown } from './report/write-results.ts';

// `npm run bench [-- --quick] [--targets agentstream,raw] [--scenarios single,idle] [--profile]`
// (`--profile` writes a CPU profile of each of agentstream's measured windows to bench/.work/profiles/)
// Every server on core 0, the load generator on core 1, loopback only; each scenario is bounded in
// runs and seconds. A full run of every target and scenario writes bench/RESULTS.md, results.json,
// results-chart.svg and the table in bench/README.md; anything less writes to bench/.work/.

const BENCH_DIR = import.meta.dirname;
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    targets: { type: 'string' },
    scenarios: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const plan = args.quick ? QUICK_PLAN : FULL_PLAN;
const targets = pick(TARGETS.map((target) => target.name), args.targets).map((name) => TARGETS.find((target) => target.name === name)!);
const scenarios = new Set(pick([...SCENARIOS], args.scenarios ?? (args.quick ? QUICK_SCENARIOS.join(',') : undefined)) as ScenarioName[]);
const isComplete = !args.quick && targets.length === TARGETS.length && scenarios.size === SCENARIOS.length && !args.profile;
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const startedAt = new Date();
const loadAverageAtStart = loadavg();
if (loadAverageAtStart[0] > 1) log(`warning: load average ${loadAverageAtStart[0].toFixed(2)}: other work is running, figures will be noisy`);
if (targets.some((target) => target.needsPeerDeps)) ensurePeerDeps(log);

const serverEnv: Record<string, string> = { BENCH_PACED_PROFILES: pacedSpecs(plan).join(',') };
if (targets.some((target) => target.name === 'raw')) {
  log('recording agentstream\'s frames for the raw server');
  const agentstream = TARGETS.find((target) => target.name === 'agentstream')!;
  const server = await spawnServer({ script: agentstream.script });
  try {
    serverEnv.BENCH_TEMPLATES = await captureTemplates(server, agentstream, [plan.paced.deltas, plan.pacedScale.deltas, plan.pacedMemory.deltas, plan.idle.deltas, plan.soak.deltas]);
  } finally {
    await server.stop();
  }
}

const startServer = (target: Target): Promise<RunningServer> => spawnServer({ script: target.script, env: serverEnv });
const withServer = async (target: Target, results: TargetResults, scenario: string, body: (server: RunningServer) => Promise<void>) => {
  let server: RunningServer | undefined;
  try {
    server = await startServer(target);
    await body(server);
  } catch (error) {
    results.errors[scenario] = String(error instanceof Error ? error.message : error).slice(0, 500);
    log(`  ${scenario} failed: ${results.errors[scenario]}`);
  } finally {
    await server?.stop();
  }
};

const allResults: TargetResults[] = [];
for (const target of targets) {
  log(`${target.label}`);
  const results: TargetResults = { target: target.name, label: target.label, errors: {} };
  allResults.push(results);
  const context: ScenarioContext = { target, plan, results, log, profile: args.profile };
  const shared = SCENARIOS.filter((name) => !(FRESH_SERVER_SCENARIOS as readonly string[]).includes(name) && scenarios.has(name));
  if (shared.length > 0) await withServer(target, results, 'setup', (server) => runSharedServerScenarios(server, context, scenarios));
  if (scenarios.has('pacedScale')) {
    log('  pacedScale');
    await withServer(target, results, 'pacedScale', (server) => runPacedScaleScenario(server, context));
  }
  if (scenarios.has('pacedMemory')) {
    log('  pacedMemory');
    await withServer(target, results, 'pacedMemory', (server) => runPacedMemoryScenario(server, context));
  }
  if (scenarios.has('idle')) {
    log('  idle');
    await withServer(target, results, 'idle', (server) => runIdleScenario(server, context));
  }
  if (scenarios.has('soak')) {
    log('  soak');
    await withServer(target, results, 'soak', (server) => runSoakScenario(server, context));
  }
}

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  mode: args.quick ? 'quick' : 'full',
  durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.versions.node,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    pinned: pinnedCommand(0, ['x']).includes('taskset'),
  },
  targets: allResults,
};
const outputDir = isComplete ? BENCH_DIR : join(BENCH_DIR, '.work', args.quick ? 'quick' : 'partial');
mkdirSync(outputDir, { recursive: true });
const markdown = renderResultsMarkdown(results, { chartFile: 'results-chart.svg' });
writeFileSync(join(outputDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outputDir, 'results-chart.svg'), renderChart(results));
// The replay-memory scenario runs on its own (`node bench/replay-memory.ts`, minutes); its last figures are kept.
const replayMemory = existsSync(join(import.meta.dirname, 'replay-memory.md')) ? `\n${readFileSync(join(import.meta.dirname, 'replay-memory.md'), 'utf8')}` : '';
writeFileSync(join(outputDir, 'RESULTS.md'), `# Benchmark results\n\nHow to run and what each scenario measures: [README.md](README.md).\n\n${markdown}${replayMemory}`);
if (isComplete) updateReadmeTable(markdown);
process.stdout.write(`\n${markdown}\n`);
log(`wrote ${join(outputDir, 'RESULTS.md')} in ${Math.round(results.durationSeconds)} s`);

/** `all` when no list is given; otherwise the listed names, each checked against `known`. */
function pick(known: string[], list: string | undefined): string[] {
  if (!list) return known;
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return names;
}

/** Replaces the table between the results markers in bench/README.md with this run's. */
function updateReadmeTable(markdown: string): void {
  const file = join(BENCH_DIR, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return;
  writeFileSync(file, `${readme.slice(0, from + start.length)}\n${markdown}\n${readme.slice(to)}`);
}
