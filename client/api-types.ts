import type { RunStatus } from '../src/events/run-record.ts';
import type { PublicError, Usage } from '../src/events/run-event.ts';

export type { RunFilter, RunPage, RunRecord, SessionFilter, SessionPage, SessionSummary } from '../src/events/run-record.ts';

/** The JSON answer of `POST /v1/runs` with `stream: false`: the run once it has ended. */
export type RunResult = { runId: string; sessionId: string; status: RunStatus; output: string | null; usage: Usage | null; error?: PublicError };

/**
 * The wire formats `GET /v1/runs/{runId}/events?format=` renders any run in (the server's list is
 * src/http/routes/replay-format-names.ts; a test keeps the two equal).
 */
export const RAW_FORMATS = [
  'native', 'ag-ui', 'ai-sdk-ui', 'openai-chat', 'openai-responses',
  'agno-chat', 'agno-multi', 'dedalus', 'autogen', 'openai-agents',
] as const;

export type RawFormat = (typeof RAW_FORMATS)[number];

/** An agent as `GET /v1/agents` describes it; `model` is `provider:model`. */
export type AgentInfo = { id: string; name: string; description: string; instructions: string; model: string; tools: string[] };

/** A member of a team: an agent, or a nested team. */
export type TeamMemberInfo = { id: string; kind: 'agent' | 'team'; name: string; description: string };

/** A team as `GET /v1/teams` describes it; `stages` only for pipelines, `maxMessages`/`stopPhrase` for round robin. */
export type TeamInfo = {
  id: string;
  name: string;
  description: string;
  mode: string;
  model: string;
  members: TeamMemberInfo[];
  stages?: { name: string; members: string[]; fanOut?: boolean }[];
  maxMessages?: number;
  stopPhrase?: string;
};

/** A usable model. `simulated` is true for the built-in demo model, which is not an LLM. */
export type ModelInfo = { id: string; provider: string; label: string; simulated?: boolean; isDefault?: boolean };

/** `GET /v1/models`: the usable models and which one runs when none is named. */
export type ModelList = { defaultModel: string; models: ModelInfo[] };
