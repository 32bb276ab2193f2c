import type { AgentDefinition } from '../agents/agent/agent-definition.ts';
import type { PipelineStage, TeamDefinition, TeamMode } from '../agents/team/team-definition.ts';
import type { Tool } from '../tools/define-tool.ts';
import type { MultitaskPolicy } from '../agents/multitask-policy.ts';

/** An agent as written in code: only `id` is required; `tools` names tools or passes them (they are registered too). */
export type AgentSpec = {
  id: string;
  name?: string;
  description?: string;
  instructions?: string;
  /** `provider:model`, e.g. `openai:gpt-4o-mini`; absent: the server's default model (the demo model without keys). */
  model?: string;
  tools?: (string | Tool)[];
  mcpServers?: string[];
  maxSteps?: number;
  /** Calls that wait for a person's approval before they run: every tool (`true`) or the tools named. */
  requireApproval?: boolean | string[];
  /** Double-texting policy for this agent's sessions (default `reject`). */
  multitask?: MultitaskPolicy;
};

/** A team as written in code: a mode and its members (agent or team ids, or agents passed directly). */
export type TeamSpec = {
  id: string;
  name?: string;
  description?: string;
  mode: TeamMode;
  instructions?: string;
  model?: string;
  members: (string | DefinedAgent)[];
  onMemberError?: 'continue' | 'fail';
  maxMessages?: number;
  stopPhrase?: string;
  stages?: PipelineStage[];
  maxFanOut?: number;
  multitask?: MultitaskPolicy;
};

/** What `defineAgent` returns: the definition the server runs, plus the tool objects it was handed. */
export type DefinedAgent = AgentDefinition & { readonly codeTools: readonly Tool[] };
export type DefinedTeam = TeamDefinition & { readonly memberAgents: readonly DefinedAgent[] };

/** What a config module (`agentstream.config.ts`) exports by default and what `createServer` takes. */
export type AppDefinition = { tools?: Tool[]; agents?: (AgentSpec | DefinedAgent)[]; teams?: (TeamSpec | DefinedTeam)[] };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function defineAgent(spec: AgentSpec): DefinedAgent {
  if (!ID.test(spec.id)) throw new TypeError(`Agent id '${spec.id}' must use letters, digits, _ and - (at most 64).`);
  const tools = spec.tools ?? [];
  return {
    id: spec.id,
    name: spec.name ?? spec.id,
    description: spec.description ?? '',
    instructions: spec.instructions ?? 'You are a helpful assistant.',
    ...(spec.model ? { model: spec.model } : {}),
    tools: tools.map((tool) => (typeof tool === 'string' ? tool : tool.name)),
    ...(spec.mcpServers ? { mcpServers: spec.mcpServers } : {}),
    ...(spec.maxSteps ? { maxSteps: spec.maxSteps } : {}),
    ...(spec.requireApproval ? { requireApproval: spec.requireApproval } : {}),
    ...(spec.multitask ? { multitask: spec.multitask } : {}),
    codeTools: tools.filter((tool): tool is Tool => typeof tool !== 'string'),
  };
}

export function defineTeam(spec: TeamSpec): DefinedTeam {
  if (!ID.test(spec.id)) throw new TypeError(`Team id '${spec.id}' must use letters, digits, _ and - (at most 64).`);
  if (spec.members.length === 0) throw new TypeError(`Team '${spec.id}' needs at least one member.`);
  const { members, ...rest } = spec;
  return {
    ...rest,
    name: spec.name ?? spec.id,
    description: spec.description ?? '',
    instructions: spec.instructions ?? 'You lead a team. Decide who works on what, then give the final answer.',
    members: members.map((member) => (typeof member === 'string' ? member : member.id)),
    memberAgents: members.filter((member): member is DefinedAgent => typeof member !== 'string'),
  };
}

/** Flattens an app definition: every agent and team defined, every tool they carry registered once. */
export function resolveApp(app: AppDefinition): { tools: Tool[]; agents: AgentDefinition[]; teams: TeamDefinition[] } {
  const teams = (app.teams ?? []).map((team) => ('memberAgents' in team ? team : defineTeam(team)));
  const agentList = [...(app.agents ?? []).map((agent) => ('codeTools' in agent ? agent : defineAgent(agent))), ...teams.flatMap((team) => team.memberAgents)];
  const agents = new Map<string, DefinedAgent>();
  for (const agent of agentList) {
    const known = agents.get(agent.id);
    if (known && known !== agent) throw new TypeError(`Two agents have the id '${agent.id}'.`);
    agents.set(agent.id, agent);
  }
  const tools = new Map<string, Tool>();
  for (const tool of [...(app.tools ?? []), ...[...agents.values()].flatMap((agent) => agent.codeTools)]) {
    const known = tools.get(tool.name);
    if (known && known !== tool) throw new TypeError(`Two tools have the name '${tool.name}'.`);
    tools.set(tool.name, tool);
  }
  return {
    tools: [...tools.values()],
    agents: [...agents.values()].map(({ codeTools: _tools, ...agent }) => agent),
    teams: teams.map(({ memberAgents: _members, ...team }) => team),
  };
}
