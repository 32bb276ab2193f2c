import { buildPrompt } from '../agent/build-prompt.ts';
import { streamModelStep } from '../agent/stream-model-step.ts';
import type { MemberOutcome, TeamContext } from './team-context.ts';

/** Member results as the orchestrator reads them: one `## Result from <name>` section each. */
export function formatResults(outcomes: readonly MemberOutcome[]): string {
  return outcomes
    .map((outcome) => `## Result from ${outcome.key}\nTask: ${outcome.task}\n${outcome.error ? `(failed: ${outcome.error})` : outcome.output}`)
    .join('\n\n');
}

/** The orchestrator writes the final answer from its members' results, streamed as the team's own message. */
export async function synthesize(context: TeamContext, outcomes: readonly MemberOutcome[]): Promise<string> {
  const instructions = `${context.team.instructions}\n\nYou are the team's orchestrator. Write the final answer to the user's request from your members' results below. Mention which member contributed what. Members that failed are marked as such.`;
  const input = `${context.run.input}\n\n${formatResults(outcomes)}`;
  const result = await streamModelStep({
    model: context.model, prompt: buildPrompt(instructions, context.run.history, input), tools: [],
    agent: context.ref, emit: context.emit, signal: context.signal, journal: context.run.journal,
  });
  const usage = context.run.priceUsage ? context.run.priceUsage(context.modelName, result.usage) : result.usage;
  context.addUsage(usage);
  context.emit({ type: 'usage', usage, step: 0, agent: context.ref });
  return result.text;
}
