import type { MultitaskPolicy } from '../multitask-policy.ts';

/** How a team's orchestrator spreads the work (DESIGN.md, "Team modes"). */
export type TeamMode = 'route' | 'coordinate' | 'collaborate' | 'round_robin' | 'pipeline';

/** One stage of a pipeline: its members run in parallel; `fanOut` runs one copy of the member per item of the previous stage's plan. */
export type PipelineStage = { name: string; members: string[]; fanOut?: boolean };

/** A team as configured. Members are agent ids or other team ids. */
export type TeamDefinition = {
  id: string;
  name: string;
  description: string;
  mode: TeamMode;
  /** The orchestrator's own instructions (routing, delegation, synthesis). */
  instructions: string;
  model?: string;
  members: string[];
  /** What happens when a member fails: `continue` (default) reports it to the orchestrator, `fail` fails the run. */
  onMemberError?: 'continue' | 'fail';
  /** round_robin: stop after this many member messages (default 40, as in the AutoGen document). */
  maxMessages?: number;
  /** round_robin: stop when a message contains this phrase. */
  stopPhrase?: string;
  /** pipeline: the stages in order. */
  stages?: PipelineStage[];
  /** pipeline: at most this many fan-out copies (default 5). */
  maxFanOut?: number;
  /** Double-texting: what a message for a session whose run is still going does (see `runs/session-policy.ts`). Default `reject`. */
  multitask?: MultitaskPolicy;
};
