import { randomUUID } from 'node:crypto';
import type { TeamContext } from './team-context.ts';

/**
 * Re-states a member's answer as the team's own message (route, round_robin, pipeline: a member's answer
 * IS the team's answer). Word-sized deltas, no pacing: the member already streamed it live.
 */
export function emitTeamAnswer(context: TeamContext, text: string): void {
  if (text === '') return;
  const messageId = `msg_${randomUUID()}`;
  for (const piece of text.match(/\S+\s*|\s+/g) ?? [text]) context.emit({ type: 'message.delta', messageId, delta: piece, agent: context.ref });
  context.emit({ type: 'message.completed', messageId, text, agent: context.ref });
}
