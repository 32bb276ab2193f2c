import { decide } from '../decide.ts';
import { delegateTool, describeMembers } from '../orchestrator-tools.ts';
import { runMembersInParallel, type MemberWork } from '../run-member.ts';
import { synthesize } from '../synthesize.ts';
import type { TeamContext } from '../team-context.ts';
import { assertUsableOutcome } from '../team-failures.ts';

/** coordinate: the orchestrator delegates sub-tasks (independent ones in parallel), then writes the answer. */
export async function runCoordinateMode(context: TeamContext): Promise<string> {
  const members = describeMembers(context.run.catalog, context.team.members);
  const call = await decide(context, delegateTool(members), 'Split the request into sub-tasks for your members by calling delegate_tasks.');
  const input = call?.input as { tasks?: { memberId?: string; task?: string }[]; reason?: string } | undefined;
  const valid = (input?.tasks ?? []).filter((task) => members.some((member) => member.id === task.memberId) && typeof task.task === 'string' && task.task !== '');
  const tasks = valid.length > 0 ? valid as { memberId: string; task: string }[] : members.map((member) => ({ memberId: member.id, task: context.run.input }));
  const reason = valid.length > 0 ? (input?.reason ?? `Delegated ${tasks.length} sub-task(s)`) : 'The orchestrator gave no valid delegation; every member gets the whole request.';
  // A member named twice gets numbered keys so its two runs stay distinguishable.
  const counts = new Map<string, number>();
  const works: MemberWork[] = tasks.map((task) => {
    const seen = (counts.get(task.memberId) ?? 0) + 1;
    counts.set(task.memberId, seen);
    const repeated = tasks.filter((other) => other.memberId === task.memberId).length > 1;
    return { memberId: task.memberId, key: repeated ? `${task.memberId}#${seen}` : task.memberId, task: task.task };
  });
  for (const work of works) {
    context.emit({ type: 'team.routed', mode: 'coordinate', memberIds: [work.key], reason, task: work.task, agent: context.ref });
  }
  const outcomes = await runMembersInParallel(context, works);
  // Nothing to synthesise when every delegated task failed: the team fails instead.
  assertUsableOutcome(context, outcomes);
  return synthesize(context, outcomes);
}
