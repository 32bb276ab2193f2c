import { BUILTIN_AGENTS } from '../../../agents/agent/agent-definition.ts';
import { BUILTIN_TEAM_AGENTS, BUILTIN_TEAMS } from '../../../agents/team/builtin-teams.ts';
import type { OpenAiAgentsContext } from '../openai-agents/to-openai-agents-frames.ts';

/** The built-in agents' and teams' profiles on the `demo` model, as the OpenAI Agents routes describe them. */
export const builtinProfiles: OpenAiAgentsContext = {
  describe(id) {
    const agent = [...BUILTIN_AGENTS, ...BUILTIN_TEAM_AGENTS].find((candidate) => candidate.id === id);
    if (agent) return { name: agent.name, instructions: agent.instructions, model: 'demo', toolsCount: agent.tools.length, handoffsCount: 0 };
    const team = BUILTIN_TEAMS.find((candidate) => candidate.id === id);
    if (team) return { name: team.name, instructions: team.instructions, model: 'demo', toolsCount: 0, handoffsCount: team.members.length };
    return undefined;
  },
};
