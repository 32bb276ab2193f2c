import { runMembersInParallel } from '../run-member.ts';
import { synthesize } from '../synthesize.ts';
import type { TeamContext } from '../team-context.ts';
import { assertUsableOutcome } from '../team-failures.ts';

/** collaborate: every member gets the whole task at once; the orchestrator synthesises their answers. */
export async function runCollaborateMode(context: TeamContext): Promise<string> {
  const members = context.team.members;
  context.emit({ type: 'team.routed', mode: 'collaborate', memberIds: [...members], reason: 'Every member works on the whole request in parallel.', task: context.run.input, agent: context.ref });
  const outcomes = await runMembersInParallel(context, members.map((memberId) => ({ memberId, key: memberId, task: context.run.input, history: context.run.history })));
  // Nothing to synthesise when every member failed: the team fails instead of asking the model about failures.
  assertUsableOutcome(context, outcomes);
  return synthesize(context, outcomes);
}
