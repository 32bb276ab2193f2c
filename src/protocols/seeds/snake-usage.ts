import type { Usage } from '../../events/run-event.ts';

/** Token usage as the Python frameworks spell it (`input_tokens`…); optional counts appear only when known. */
export type SnakeUsage = {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  reasoning_tokens?: number;
  cost_usd?: number;
};

/** Our `Usage` in the seeds' snake_case field names. */
export function toSnakeUsage(usage: Usage): SnakeUsage {
  const snake: SnakeUsage = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, total_tokens: usage.totalTokens };
  if (usage.reasoningTokens !== undefined) snake.reasoning_tokens = usage.reasoningTokens;
  if (usage.costUsd !== undefined) snake.cost_usd = usage.costUsd;
  return snake;
}
