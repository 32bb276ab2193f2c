import { AppError } from '../errors/app-error.ts';
import type { RunTarget } from '../events/run-event.ts';
import type { ModelRegistry } from '../models/model-registry.ts';
import type { Tool } from '../tools/define-tool.ts';
import type { McpHub } from '../tools/mcp/mcp-hub.ts';
import type { AgentDefinition } from './agent/agent-definition.ts';
import type { TeamDefinition } from './team/team-definition.ts';

/** Everything a run can name: agents, teams, tools and models. Built once at start-up from config. */
export type Catalog = {
  agents: ReadonlyMap<string, AgentDefinition>;
  teams: ReadonlyMap<string, TeamDefinition>;
  tools: ReadonlyMap<string, Tool>;
  models: ModelRegistry;
  /** The configured MCP servers, when there are any. */
  mcp?: McpHub;
};

export function getAgent(catalog: Catalog, id: string): AgentDefinition {
  const agent = catalog.agents.get(id);
  if (!agent) throw new AppError('agent_not_found', { message: `Agent '${id}' not found. Agents: ${names(catalog.agents)} (GET /v1/agents).`, details: { agent: id, available: [...catalog.agents.keys()] } });
  return agent;
}

export function getTeam(catalog: Catalog, id: string): TeamDefinition {
  const team = catalog.teams.get(id);
  if (!team) throw new AppError('team_not_found', { message: `Team '${id}' not found. Teams: ${names(catalog.teams)} (GET /v1/teams).`, details: { team: id, available: [...catalog.teams.keys()] } });
  return team;
}

/** Throws the right 404 when the target does not exist. */
export function assertTarget(catalog: Catalog, target: RunTarget): void {
  if (target.kind === 'agent') getAgent(catalog, target.id);
  else getTeam(catalog, target.id);
}

/** Which model a run uses: the request's, else the target's, else the server default. Throws when not usable. */
export function pickModel(catalog: Catalog, target: RunTarget, requested?: string): string {
  const configured = target.kind === 'agent' ? getAgent(catalog, target.id).model : getTeam(catalog, target.id).model;
  const spec = catalog.models.normalize(requested ?? configured ?? catalog.models.defaultModel);
  catalog.models.resolve(spec);
  return spec;
}

/**
 * An agent's tools: its built-ins, then MCP tools — every tool of the servers it (or the run request,
 * `mcpServers`) names, and MCP tools it lists as `<server>__<tool>`. Waits for MCP servers still connecting.
 */
export async function toolsFor(catalog: Catalog, agent: AgentDefinition, options: { mcpServers?: readonly string[]; signal?: AbortSignal } = {}): Promise<Tool[]> {
  const builtin: Tool[] = [];
  const mcpToolNames: string[] = [];
  for (const name of agent.tools) {
    const tool = catalog.tools.get(name);
    if (tool) builtin.push(tool);
    else if (catalog.mcp) mcpToolNames.push(name);
    else throw new AppError('internal', { message: `Agent '${agent.id}' names unknown tool '${name}'.` });
  }
  const servers = [...new Set([...(agent.mcpServers ?? []), ...(options.mcpServers ?? [])])];
  if (!catalog.mcp || (servers.length === 0 && mcpToolNames.length === 0)) return builtin;
  const bridged = await catalog.mcp.toolsFor({ servers, toolNames: mcpToolNames, signal: options.signal });
  const names = new Set(builtin.map((tool) => tool.name));
  return [...builtin, ...bridged.filter((tool) => !names.has(tool.name))];
}

/** A protocol route names "an agent or a team": agents win a name clash. Throws 404 naming both kinds. */
export function resolveTarget(catalog: Catalog, name: string): RunTarget {
  if (catalog.agents.has(name)) return { kind: 'agent', id: name };
  if (catalog.teams.has(name)) return { kind: 'team', id: name };
  throw new AppError('agent_not_found', {
    message: `No agent or team named '${name}'. Agents: ${names(catalog.agents)}; teams: ${names(catalog.teams)}.`,
    details: { agent: name, available: [...catalog.agents.keys(), ...catalog.teams.keys()] },
  });
}

/** The valid names, for an error that names an unknown one. */
function names(entries: ReadonlyMap<string, unknown>): string {
  return entries.size === 0 ? '(none)' : [...entries.keys()].join(', ');
}
