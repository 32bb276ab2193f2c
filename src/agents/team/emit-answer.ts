import { ANSWER_MESSAGE_PREFIX } from '../run-journal.ts';
import type { TeamContext } from './team-context.ts';

/**
 * Re-states a member's answer as the team's own message (route, round_robin, pipeline: a member's answer
 * IS the team's answer). Word-sized deltas, no pacing: the member already streamed it live.
 */
export function emitTeamAnswer(context: TeamContext, text: string): void {
  if (text === '') return;
  // Derived from the run and the team's path, not random: a resumed attempt recognises the answer it already sent.
  const messageId = `${ANSWER_MESSAGE_PREFIX}${context.run.runId.replace(/^run_/, '')}_${context.ref.path.join('.')}`;
  for (const piece of text.match(/\S+\s*|\s+/g) ?? [text]) context.emit({ type: 'message.delta', messageId, delta: piece, agent: context.ref });
  context.emit({ type: 'message.completed', messageId, text, agent: context.ref });
}
