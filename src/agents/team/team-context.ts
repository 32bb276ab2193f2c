import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { AgentRef, EmittedEvent, Usage } from '../../events/run-event.ts';
import type { RunTargetOptions } from '../run-target.ts';
import type { TeamDefinition } from './team-definition.ts';
import type { TeamFailures } from './team-failures.ts';

/** What every mode of a team works with. `ref` is the orchestrator's voice; its `path` starts at the top team. */
export type TeamContext = {
  run: RunTargetOptions;
  team: TeamDefinition;
  ref: AgentRef;
  model: LanguageModelV4;
  modelName: string;
  signal: AbortSignal;
  emit: (event: EmittedEvent) => void;
  /** Adds usage to the team's running total (members' and the orchestrator's own). */
  addUsage: (usage: Usage) => void;
  /** Member failures so far, and the models that failed upstream (not asked again in this team run). */
  failures: TeamFailures;
};

/** One unit of delegated work and what came of it. */
export type MemberOutcome = { key: string; memberId: string; name: string; task: string; output: string; error?: string; errorCode?: string };
