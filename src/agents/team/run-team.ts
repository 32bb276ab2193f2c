import { addUsage, ZERO_USAGE, type AgentRef, type Usage } from '../../events/run-event.ts';
import type { AgentResult } from '../agent/run-agent.ts';
import { getTeam } from '../catalog.ts';
import type { RunTargetOptions } from '../run-target.ts';
import { runCollaborateMode } from './modes/collaborate.ts';
import { runCoordinateMode } from './modes/coordinate.ts';
import { runPipelineMode } from './modes/pipeline.ts';
import { runRoundRobinMode } from './modes/round-robin.ts';
import { runRouteMode } from './modes/route.ts';
import type { TeamContext } from './team-context.ts';
import type { TeamDefinition, TeamMode } from './team-definition.ts';
import { TeamFailures } from './team-failures.ts';

const MODES: Record<TeamMode, (context: TeamContext) => Promise<string>> = {
  route: runRouteMode,
  coordinate: runCoordinateMode,
  collaborate: runCollaborateMode,
  round_robin: runRoundRobinMode,
  pipeline: runPipelineMode,
};

/** Runs a top-level team: its own events carry the path `[teamId]`, its members `[teamId, memberKey]`. */
export function runTeam(options: RunTargetOptions): Promise<AgentResult> {
  const team = getTeam(options.catalog, options.target.id);
  return runTeamAt(options, team, [team.id]);
}

/**
 * Runs a team whose orchestrator speaks at `path` (a nested team sits inside its parent's path). Brackets
 * the work in the orchestrator's `agent.started` / `agent.completed`; usage sums every member and step.
 */
export async function runTeamAt(options: RunTargetOptions, team: TeamDefinition, path: string[], reportUsage?: (usage: Usage) => void): Promise<AgentResult> {
  const ref: AgentRef = { id: team.id, name: team.name, role: 'orchestrator', path };
  const modelName = team.model ? options.catalog.models.normalize(team.model) : options.model;
  let usage: Usage = ZERO_USAGE;
  const context: TeamContext = {
    run: options, team, ref, modelName,
    model: options.catalog.models.resolve(modelName),
    signal: options.signal,
    emit: options.emit,
    failures: new TeamFailures(),
    addUsage: (more) => {
      usage = addUsage(usage, more);
      reportUsage?.(more);
    },
  };
  options.emit({ type: 'agent.started', task: options.input, model: modelName, agent: ref });
  const output = await MODES[team.mode](context);
  options.emit({ type: 'agent.completed', output, usage, agent: ref });
  return { output, usage };
}
