import { runHoldScenario } from './hold-scenario.ts';
import type { LoadJob } from './jobs.ts';
import { runRunsScenario } from './runs-scenario.ts';
import { runSoakScenario } from './soak-scenario.ts';

// The load generator process (pinned to its own core by the orchestrator): reads one job as JSON from
// argv[2], runs it against loopback only, prints one JSON result line, and exits.

const job = JSON.parse(process.argv[2] ?? '') as LoadJob;
if (job.host !== '127.0.0.1' && job.host !== 'localhost') throw new Error('The load generator only targets loopback.');
const result = job.kind === 'runs' ? await runRunsScenario(job) : job.kind === 'hold' ? await runHoldScenario(job) : await runSoakScenario(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
