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
  const modelName = agentDefinition?.model ? run.catalog.models.normalize(agentDefinition.model) : agentDefinition ? run.model : undefined;
  const outcome = { key: work.key, memberId: work.memberId, name, task: work.task };
  const recorded = run.journal?.takeAgentEnd(path);
  if (recorded) {
    // An earlier attempt finished this member: its answer (or failure) stands, and it is not run again. Its pure
    // tools (a planner's submit_plan) are called again with their recorded arguments, to rebuild the team's memory.
    for (const call of recorded.pureCalls) {
      const tool = work.extraTools?.find((extra) => extra.name === call.toolName && extra.pure);
      if (tool) await tool.execute(tool.parse(call.args), { signal: context.signal, runId: run.runId, agent: ref });
    }
    context.addUsage(recorded.usage);
    if (recorded.error) context.failures.record(work.key, modelName, recorded.error);
    return { ...outcome, output: recorded.output, ...(recorded.error ? { error: recorded.error.message, errorCode: recorded.error.code } : {}) };
  }
  const broken = modelName ? context.failures.brokenModel(modelName) : undefined;
  if (broken) {
    // The same request to the same model already failed upstream for another member: not sent again.
    const skipped = { code: broken.code, message: `Not sent: ${modelName} already failed for another member of this team (${broken.message})` };
    run.emit({ type: 'agent.started', task: work.task, model: modelName!, agent: ref });
    run.emit({ type: 'agent.completed', output: '', usage: ZERO_USAGE, error: skipped, agent: ref });
    context.failures.record(work.key, undefined, skipped);
    return { ...outcome, output: '', error: skipped.message, errorCode: skipped.code };
  }
  try {
    if (teamDefinition) {
      const result = await runTeamAt({ ...run, input: work.task, history: work.history ?? [] }, teamDefinition, path, context.addUsage);
      return { ...outcome, output: result.output };
    }
    if (!agentDefinition || !modelName) throw new Error(`Member '${work.memberId}' is neither an agent nor a team.`);
    const result = await runAgent({
      definition: agentDefinition, agent: ref, model: run.catalog.models.resolve(modelName), modelName,
      tools: [...(await toolsFor(run.catalog, agentDefinition, { mcpServers: run.mcpServers, signal: context.signal })), ...(work.extraTools ?? [])],
      history: work.history ?? [], input: work.task, extraInstructions: work.extraInstructions,
      emit: run.emit, signal: context.signal, runId: run.runId, priceUsage: run.priceUsage, journal: run.journal, requireApproval: run.requireApproval,
    });
    context.addUsage(result.usage);
    return { ...outcome, output: result.output };
  } catch (error) {
    if (context.signal.aborted || team.onMemberError === 'fail') throw error;
    const publicError = memberError(error);
    run.emit({ type: 'agent.completed', output: '', usage: ZERO_USAGE, error: publicError, agent: ref });
    context.failures.record(work.key, modelName, publicError);
    return { ...outcome, output: '', error: publicError.message, errorCode: publicError.code };
  }
}

/** A member's error as the team reports it: our own shown codes (upstream_error, a nested team_failed…) as they are. */
function memberError(error: unknown): PublicError {
  const shown = toPublicError(error);
  if (shown.code !== 'internal') return shown;
  return error instanceof Error && !(error.name === 'TypeError' || error.name === 'ReferenceError') ? { code: 'member_failed', message: error.message } : shown;
}

/** Runs members at once; the wall time is the slowest member's, not the sum. */
export function runMembersInParallel(context: TeamContext, works: readonly MemberWork[]): Promise<MemberOutcome[]> {
  return Promise.all(works.map((work) => runMember(context, work)));
}
