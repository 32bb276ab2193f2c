import type { LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { buildPrompt } from '../agent/build-prompt.ts';
import { streamModelStep, type ModelToolCall } from '../agent/stream-model-step.ts';
import type { TeamContext } from './team-context.ts';

/**
 * One orchestrator step that must end in a call to `tool`: the decision. Its thinking streams as the
 * orchestrator's reasoning; its text (if any) is private. Returns undefined when the model gave no decision.
 */
export async function decide(context: TeamContext, tool: LanguageModelV4FunctionTool, guidance: string): Promise<ModelToolCall | undefined> {
  const instructions = `${context.team.instructions}\n\n${guidance}`;
  const prompt = buildPrompt(instructions, context.run.history, context.run.input);
  const result = await streamModelStep({
    model: context.model, prompt, tools: [tool], toolChoice: { type: 'tool', toolName: tool.name },
    agent: context.ref, emit: context.emit, signal: context.signal, streamText: false, journal: context.run.journal,
  });
  const usage = context.run.priceUsage ? context.run.priceUsage(context.modelName, result.usage) : result.usage;
  context.addUsage(usage);
  context.emit({ type: 'usage', usage, step: 0, agent: context.ref });
  return result.toolCalls.find((call) => call.toolName === tool.name);
}
