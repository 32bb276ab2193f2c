import { decide } from '../decide.ts';
import { emitTeamAnswer } from '../emit-answer.ts';
import { describeMembers, routeTool } from '../orchestrator-tools.ts';
import { runMember } from '../run-member.ts';
import type { TeamContext } from '../team-context.ts';
import { assertUsableOutcome } from '../team-failures.ts';

/** route: the orchestrator picks one member; that member's answer is the team's answer. */
export async function runRouteMode(context: TeamContext): Promise<string> {
  const members = describeMembers(context.run.catalog, context.team.members);
  const call = await decide(context, routeTool(members), 'Route the request to exactly one member by calling route_to_member.');
  const input = call?.input as { memberId?: string; reason?: string } | undefined;
  const chosen = members.find((member) => member.id === input?.memberId) ?? members[0];
  const reason = input?.memberId === chosen.id ? (input.reason ?? 'Chosen by the orchestrator') : `The orchestrator gave no valid member; defaulting to ${chosen.id}.`;
  context.emit({ type: 'team.routed', mode: 'route', memberIds: [chosen.id], reason, task: context.run.input, agent: context.ref });
  const outcome = await runMember(context, { memberId: chosen.id, key: chosen.id, task: context.run.input, history: context.run.history });
  // The chosen member's answer is the team's: when it failed, so did the team.
  assertUsableOutcome(context, [outcome]);
  emitTeamAnswer(context, outcome.output);
  return outcome.output;
}
