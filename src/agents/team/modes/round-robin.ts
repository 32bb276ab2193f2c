import type { ChatMessage } from '../../agent/agent-definition.ts';
import { emitTeamAnswer } from '../emit-answer.ts';
import { runMember } from '../run-member.ts';
import type { MemberOutcome, TeamContext } from '../team-context.ts';
import { assertUsableOutcome } from '../team-failures.ts';

export const DEFAULT_MAX_MESSAGES = 40;

/**
 * round_robin: a group chat. Members speak in turn, each seeing the conversation so far, until a member
 * says the stop phrase or the chat reaches its message limit. Progress counts turns against one round.
 */
export async function runRoundRobinMode(context: TeamContext): Promise<string> {
  const { team, run } = context;
  const maxMessages = team.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const stopPhrase = team.stopPhrase;
  const expected = Math.min(maxMessages, team.members.length);
  const transcript: { speaker: string; text: string }[] = [];
  let lastAnswer = '';
  let stoppedBy = `the limit of ${maxMessages} messages`;
  let reportedDone = false;
  const outcomes: MemberOutcome[] = [];
  const failedInARow = new Set<string>();

  for (let turn = 0; turn < maxMessages; turn += 1) {
    const memberId = team.members[turn % team.members.length];
    context.emit({ type: 'team.routed', mode: 'round_robin', memberIds: [memberId], reason: `Turn ${turn + 1} of at most ${maxMessages}`, task: run.input, agent: context.ref });
    const history: ChatMessage[] = [...run.history, ...transcript.map(({ speaker, text }) => ({ role: 'assistant' as const, content: `${speaker}: ${text}` }))];
    const key = turn < team.members.length ? memberId : `${memberId}#${Math.floor(turn / team.members.length) + 1}`;
    const outcome = await runMember(context, { memberId, key, task: run.input, history, extraInstructions: groupChatNote(stopPhrase) });
    outcomes.push(outcome);
    const text = outcome.error ? `(failed: ${outcome.error})` : outcome.output;
    transcript.push({ speaker: outcome.name, text });
    if (!outcome.error) lastAnswer = text;
    const done = stopPhrase !== undefined && text.includes(stopPhrase);
    context.emit({ type: 'progress', percent: done ? 100 : Math.min(99, Math.round(((turn + 1) / expected) * 100)), message: `${outcome.name} replied (${turn + 1} message${turn ? 's' : ''})`, agent: context.ref });
    if (done) {
      reportedDone = true;
      stoppedBy = `the stop phrase ${stopPhrase}`;
      break;
    }
    // Every member failed on its last turn, one after the other: another round would only repeat the failures.
    if (outcome.error) failedInARow.add(memberId);
    else failedInARow.clear();
    if (failedInARow.size === team.members.length) {
      stoppedBy = `every member failing in turn`;
      break;
    }
  }
  // No member said anything usable in the whole chat: the team failed.
  assertUsableOutcome(context, outcomes);
  if (!reportedDone) context.emit({ type: 'progress', percent: 100, message: `Conversation ended by ${stoppedBy} after ${transcript.length} messages`, agent: context.ref });
  const answer = stopPhrase ? lastAnswer.split(stopPhrase).join('').trim() : lastAnswer;
  emitTeamAnswer(context, answer);
  return answer;
}

function groupChatNote(stopPhrase: string | undefined): string {
  return `You are in a group chat; earlier messages are prefixed with the speaker's name. Build on them.${stopPhrase ? ` When the task is complete, say ${stopPhrase}.` : ''}`;
}
