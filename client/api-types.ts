import type { JsonValue, PublicError, RunTarget, Usage } from '../src/events/run-event.ts';

/** A run as `GET /v1/runs` and `GET /v1/runs/{id}` answer it. Times are ISO-8601; `lastSeq` is the newest stored event. */
export type RunRecord = {
  id: string;
  target: RunTarget;
  sessionId: string;
  model: string;
  input: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  output: string | null;
  usage: Usage | null;
  error: PublicError | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  lastSeq: number;
  metadata: JsonValue;
};

/** `GET /v1/runs` filters; `since`/`until` are ISO-8601 instants, `cursor` comes from the previous page. */
export type RunFilter = {
  agent?: string;
  team?: string;
  status?: RunRecord['status'];
  sessionId?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
};

/** One page of `GET /v1/runs`; `nextCursor` is null on the last page. */
export type RunPage = { runs: RunRecord[]; nextCursor: string | null };

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
