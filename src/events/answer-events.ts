import type { RunEvent } from './run-event.ts';

/**
 * True for text that belongs to the run's final answer: a single agent's text, or a team's own voice
 * (its orchestrator at the top of the path). Members' text is work in progress, not the answer.
 * Flat wire formats (OpenAI chat, the seeds' plain chunks) stream only these.
 */
export function isAnswerEvent(event: RunEvent): boolean {
  return (event.type === 'message.delta' || event.type === 'message.completed') && event.agent.path.length <= 1;
}
