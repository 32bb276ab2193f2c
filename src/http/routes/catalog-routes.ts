import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../agents/catalog.ts';
import { getAgent, getTeam } from '../../agents/catalog.ts';
import type { AgentDefinition } from '../../agents/agent/agent-definition.ts';
import type { TeamDefinition } from '../../agents/team/team-definition.ts';

/** What can be run: agents, teams, models, tools. */
export function catalogRoutes(deps: { catalog: Catalog }) {
  const { catalog } = deps;
  const describeAgent = (agent: AgentDefinition) => ({
    id: agent.id, name: agent.name, description: agent.description, instructions: agent.instructions,
    model: catalog.models.normalize(agent.model ?? catalog.models.defaultModel), tools: agent.tools,
    ...(agent.mcpServers ? { mcpServers: agent.mcpServers } : {}),
  });
  const describeTeam = (team: TeamDefinition) => ({
    id: team.id, name: team.name, description: team.description, mode: team.mode,
    model: catalog.models.normalize(team.model ?? catalog.models.defaultModel),
    members: team.members.map((member) => {
      const agent = catalog.agents.get(member);
      const sub = catalog.teams.get(member);
      return { id: member, kind: agent ? 'agent' : 'team', name: agent?.name ?? sub?.name ?? member, description: agent?.description ?? sub?.description ?? '' };
    }),
    ...(team.stages ? { stages: team.stages } : {}),
    ...(team.maxMessages !== undefined ? { maxMessages: team.maxMessages } : {}),
    ...(team.stopPhrase ? { stopPhrase: team.stopPhrase } : {}),
    onMemberError: team.onMemberError ?? 'continue',
  });
  return async (app: FastifyInstance) => {
    app.get('/v1/agents', { schema: { tags: ['catalog'], summary: 'Configured agents' } }, async () => ({ agents: [...catalog.agents.values()].map(describeAgent) }));
    app.get<{ Params: { id: string } }>('/v1/agents/:id', { schema: { tags: ['catalog'], summary: 'One agent' } }, async (request) => describeAgent(getAgent(catalog, request.params.id)));
    app.get('/v1/teams', { schema: { tags: ['catalog'], summary: 'Configured teams' } }, async () => ({ teams: [...catalog.teams.values()].map(describeTeam) }));
    app.get<{ Params: { id: string } }>('/v1/teams/:id', { schema: { tags: ['catalog'], summary: 'One team: members and mode' } }, async (request) => describeTeam(getTeam(catalog, request.params.id)));
    app.get('/v1/models', { schema: { tags: ['catalog'], summary: 'Models that are configured and usable' } }, async () => ({ defaultModel: catalog.models.defaultModel, models: catalog.models.list() }));
    app.get('/v1/mcp-servers', { schema: { tags: ['catalog'], summary: 'Configured MCP servers: status (connecting, connected, failed) and tools' } }, async () => ({
      mcpServers: catalog.mcp?.list() ?? [],
    }));
    app.get('/v1/tools', { schema: { tags: ['catalog'], summary: 'Tools agents can call' } }, async () => ({
      tools: [...catalog.tools.values()].map((tool) => ({ name: tool.name, description: tool.description, source: tool.source, parameters: tool.parameters })),
    }));
  };
}
