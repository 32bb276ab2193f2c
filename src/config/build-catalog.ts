import { BUILTIN_AGENTS, type AgentDefinition } from '../agents/agent/agent-definition.ts';
import type { Catalog } from '../agents/catalog.ts';
import { BUILTIN_TEAM_AGENTS, BUILTIN_TEAMS } from '../agents/team/builtin-teams.ts';
import type { TeamDefinition } from '../agents/team/team-definition.ts';
import type { ModelRegistry } from '../models/model-registry.ts';
import type { Tool } from '../tools/define-tool.ts';
import { serverOf, type McpHub } from '../tools/mcp/mcp-hub.ts';
import { ConfigError, type LoadedConfigFile } from './load-config-file.ts';

/**
 * Built-ins plus the config file's agents and teams (config wins on an id clash). Every tool, model and
 * member a definition names must exist: otherwise start-up stops with the file and line.
 */
export function buildCatalog(options: { file: LoadedConfigFile; tools: Tool[]; models: ModelRegistry; mcp?: McpHub; code?: CodeDefinitions }): Catalog {
  const { models, mcp } = options;
  // Agents and teams defined in code (createServer, agentstream.config.ts) are checked like the JSON file's; the JSON file wins a clash.
  const file = options.code ? withCode(options.file, options.code) : options.file;
  const mcpNames = () => (mcp && mcp.names().length > 0 ? mcp.names().join(', ') : 'none configured');
  const tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  const agents = new Map<string, AgentDefinition>([...BUILTIN_AGENTS, ...BUILTIN_TEAM_AGENTS].map((agent) => [agent.id, agent]));
  const teams = new Map<string, TeamDefinition>(BUILTIN_TEAMS.map((team) => [team.id, team]));
  const codeAgents = options.code?.agents.length ?? 0;
  const codeTeams = options.code?.teams.length ?? 0;
  const where = (path: (string | number)[]) => {
    const [kind, index] = path;
    if (options.code && typeof index === 'number' && index < (kind === 'agents' ? codeAgents : kind === 'teams' ? codeTeams : 0)) return options.code.source;
    const shifted = typeof index === 'number' ? [kind, index - (kind === 'agents' ? codeAgents : codeTeams), ...path.slice(2)] : path;
    const line = file.lineOf(shifted);
    return file.path ? `${file.path}${line ? `:${line}` : ''}` : 'built-in definitions';
  };

  file.agents.forEach((agent, index) => {
    agent.mcpServers?.forEach((server, serverIndex) => {
      if (!mcp?.has(server)) throw new ConfigError(`${where(['agents', index, 'mcpServers', serverIndex])}: agent '${agent.id}' names unknown MCP server '${server}' (configured: ${mcpNames()}).`);
    });
    agent.tools.forEach((tool, toolIndex) => {
      // `<server>__<tool>` names an MCP tool; the server is known now, its tools only once it connects.
      if (!tools.has(tool) && mcp && serverOf(tool, mcp)) return;
      if (!tools.has(tool)) throw new ConfigError(`${where(['agents', index, 'tools', toolIndex])}: agent '${agent.id}' names unknown tool '${tool}' (known: ${[...tools.keys()].join(', ')}).`);
    });
    if (agent.model && !models.isAvailable(agent.model)) throw new ConfigError(`${where(['agents', index, 'model'])}: agent '${agent.id}' names model '${agent.model}', which is not configured (available: ${models.list().map((model) => model.id).join(', ')}).`);
    agents.set(agent.id, agent);
  });
  file.teams.forEach((team, index) => {
    if (team.model && !models.isAvailable(team.model)) throw new ConfigError(`${where(['teams', index, 'model'])}: team '${team.id}' names model '${team.model}', which is not configured.`);
    teams.set(team.id, team);
  });
  file.teams.forEach((team, index) => {
    team.members.forEach((member, memberIndex) => {
      if (!agents.has(member) && !teams.has(member)) throw new ConfigError(`${where(['teams', index, 'members', memberIndex])}: team '${team.id}' names unknown member '${member}'.`);
      if (member === team.id) throw new ConfigError(`${where(['teams', index, 'members', memberIndex])}: team '${team.id}' cannot be its own member.`);
    });
    team.stages?.forEach((stage, stageIndex) => stage.members.forEach((member, memberIndex) => {
      if (!team.members.includes(member)) throw new ConfigError(`${where(['teams', index, 'stages', stageIndex, 'members', memberIndex])}: stage '${stage.name}' names '${member}', which is not a member of team '${team.id}'.`);
    }));
    if (team.mode === 'pipeline' && !team.stages?.length) throw new ConfigError(`${where(['teams', index])}: pipeline team '${team.id}' needs stages.`);
  });
  assertNoTeamCycles(teams);
  return { agents, teams, tools, models, ...(mcp ? { mcp } : {}) };
}

/** Agents, teams and tools defined in TypeScript; `source` names where, for start-up errors. */
export type CodeDefinitions = { agents: AgentDefinition[]; teams: TeamDefinition[]; source: string };

function withCode(file: LoadedConfigFile, code: CodeDefinitions): LoadedConfigFile {
  return { ...file, agents: [...code.agents, ...file.agents], teams: [...code.teams, ...file.teams] };
}

function assertNoTeamCycles(teams: ReadonlyMap<string, TeamDefinition>) {
  const visit = (id: string, trail: string[]) => {
    if (trail.includes(id)) throw new ConfigError(`Teams form a cycle: ${[...trail, id].join(' -> ')}.`);
    const team = teams.get(id);
    if (!team) return;
    for (const member of team.members) visit(member, [...trail, id]);
  };
  for (const id of teams.keys()) visit(id, []);
}
