import { toPublicError } from '../../errors/public-error.ts';
import { ZERO_USAGE, type AgentRef, type PublicError } from '../../events/run-event.ts';
import type { ChatMessage } from '../agent/agent-definition.ts';
import { runAgent } from '../agent/run-agent.ts';
import { toolsFor } from '../catalog.ts';
import type { Tool } from '../../tools/define-tool.ts';
import type { MemberOutcome, TeamContext } from './team-context.ts';
import { runTeamAt } from './run-team.ts';

export type MemberWork = {
  memberId: string;
  /** Unique within the team: the member id, or `id#n` for fan-out copies. */
  key: string;
  task: string;
  history?: readonly ChatMessage[];
  /** Tools the team adds for this member only (a planning stage's `submit_plan`). */
  extraTools?: Tool[];
  extraInstructions?: string;
};

/**
 * Runs one member (an agent, or a nested team) on its task. A failure is reported, not thrown, unless the
 * team's policy is `fail` or the whole run was aborted.
 */
export async function runMember(context: TeamContext, work: MemberWork): Promise<MemberOutcome> {
  const { run, team } = context;
  const path = [...context.ref.path, work.key];
  const agentDefinition = run.catalog.agents.get(work.memberId);
  const teamDefinition = run.catalog.teams.get(work.memberId);
  const name = agentDefinition?.name ?? teamDefinition?.name ?? work.memberId;
  const ref: AgentRef = { id: work.memberId, name, role: teamDefinition ? 'orchestrator' : 'member', path };
  try {
    if (teamDefinition) {
      const result = await runTeamAt({ ...run, input: work.task, history: work.history ?? [] }, teamDefinition, path, context.addUsage);
      return { key: work.key, memberId: work.memberId, name, task: work.task, output: result.output };
    }
    if (!agentDefinition) throw new Error(`Member '${work.memberId}' is neither an agent nor a team.`);
    const modelName = agentDefinition.model ? run.catalog.models.normalize(agentDefinition.model) : run.model;
    const result = await runAgent({
      definition: agentDefinition, agent: ref, model: run.catalog.models.resolve(modelName), modelName,
      tools: [...(await toolsFor(run.catalog, agentDefinition, { mcpServers: run.mcpServers, signal: context.signal })), ...(work.extraTools ?? [])],
      history: work.history ?? [], input: work.task, extraInstructions: work.extraInstructions,
      emit: run.emit, signal: context.signal, runId: run.runId, priceUsage: run.priceUsage,
    });
    context.addUsage(result.usage);
    return { key: work.key, memberId: work.memberId, name, task: work.task, output: result.output };
  } catch (error) {
    if (context.signal.aborted || team.onMemberError === 'fail') throw error;
    // Shown as a run's failure would be: our own errors keep their code and text, anything unexpected is masked.
    const shown = toPublicError(error);
    const publicError: PublicError = shown.code === 'internal' ? { code: 'member_failed', message: 'A team member failed.' } : shown;
    run.emit({ type: 'agent.completed', output: '', usage: ZERO_USAGE, error: publicError, agent: ref });
    return { key: work.key, memberId: work.memberId, name, task: work.task, output: '', error: publicError.message };
  }
}

/** Runs members at once; the wall time is the slowest member's, not the sum. */
export function runMembersInParallel(context: TeamContext, works: readonly MemberWork[]): Promise<MemberOutcome[]> {
  return Promise.all(works.map((work) => runMember(context, work)));
}
