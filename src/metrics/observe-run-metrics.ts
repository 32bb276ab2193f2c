import type { RunObserver } from '../bus/observed-bus.ts';
import type { RunEvent, Usage } from '../events/run-event.ts';
import type { Metrics } from './metrics.ts';

type RunState = { startedAt: number; targetKind: string; target: string; model: string; agentModels: Map<string, string>; hasOutput: boolean };

/** What the run metrics need of a run while it executes; dropped at its terminal event. */
const pathKey = (path: readonly string[]) => path.join('\u0000');

/** Feeds the run series of `metrics` from the event spine: counts, durations, tokens and cost by model, error codes. */
export function observeRunMetrics(metrics: Metrics): RunObserver {
  const runs = new Map<string, RunState>();
  return (event: RunEvent) => {
    // Every event passes here (deltas too): a map entry per type, added to the counter when it is read.
    metrics.countEvent(event.type);
    const state = runs.get(event.runId);
    switch (event.type) {
      case 'run.started': {
        runs.set(event.runId, { startedAt: Date.parse(event.ts), targetKind: event.target.kind, target: event.target.id, model: event.model, agentModels: new Map(), hasOutput: false });
        metrics.runs.inc({ status: 'started', target_kind: event.target.kind, target: event.target.id });
        metrics.activeRuns.inc();
        return;
      }
      case 'agent.started':
        if (state && event.model) state.agentModels.set(pathKey(event.agent.path), event.model);
        return;
      case 'reasoning.delta': case 'message.delta': case 'tool.started':
        if (state && !state.hasOutput) {
          state.hasOutput = true;
          metrics.firstEvent.observe(seconds(state.startedAt, event.ts));
        }
        return;
      case 'tool.completed':
        metrics.toolDuration.observe({ tool: event.toolName, outcome: 'completed' }, event.durationMs / 1000);
        return;
      case 'tool.failed':
        metrics.toolDuration.observe({ tool: event.toolName, outcome: 'failed' }, event.durationMs / 1000);
        metrics.errors.inc({ code: event.error.code, source: 'tool' });
        return;
      case 'agent.completed':
        if (event.error) metrics.errors.inc({ code: event.error.code, source: 'member' });
        return;
      case 'usage':
        countUsage(metrics, state?.agentModels.get(pathKey(event.agent.path)) ?? state?.model ?? 'unknown', event.usage);
        return;
      case 'run.completed': case 'run.failed': case 'run.cancelled': {
        if (event.type === 'run.failed') metrics.errors.inc({ code: event.error.code, source: 'run' });
        if (!state) return; // a run another instance executed, ended here by the sweep of dead instances
        runs.delete(event.runId);
        const status = event.type.slice(4);
        const labels = { status, target_kind: state.targetKind, target: state.target };
        metrics.runs.inc(labels);
        metrics.runDuration.observe(labels, seconds(state.startedAt, event.ts));
        metrics.activeRuns.dec();
        return;
      }
      case 'message.completed': case 'team.routed': case 'progress':
        return;
    }
  };
}

function countUsage(metrics: Metrics, model: string, usage: Usage): void {
  metrics.tokens.inc({ model, kind: 'input' }, usage.inputTokens);
  metrics.tokens.inc({ model, kind: 'output' }, usage.outputTokens);
  if (usage.reasoningTokens) metrics.tokens.inc({ model, kind: 'reasoning' }, usage.reasoningTokens);
  if (usage.costUsd) metrics.cost.inc({ model }, usage.costUsd);
}

function seconds(fromMs: number, ts: string): number {
  return Math.max(0, (Date.parse(ts) - fromMs) / 1000);
}
