import type { LanguageModelV4FunctionTool, LanguageModelV4Prompt } from '@ai-sdk/provider';
import type { Tool } from '../../tools/define-tool.ts';
import type { ChatMessage } from './agent-definition.ts';

/** System instructions, then earlier turns, then the new user input, in the provider spec's prompt shape. */
export function buildPrompt(instructions: string, history: readonly ChatMessage[], input: string): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [];
  if (instructions) prompt.push({ role: 'system', content: instructions });
  for (const message of history) {
    prompt.push(message.role === 'user'
      ? { role: 'user', content: [{ type: 'text', text: message.content }] }
      : { role: 'assistant', content: [{ type: 'text', text: message.content }] });
  }
  prompt.push({ role: 'user', content: [{ type: 'text', text: input }] });
  return prompt;
}

/** Tools as the provider spec describes them to a model. */
export function toModelTools(tools: readonly Tool[]): LanguageModelV4FunctionTool[] {
  return tools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, inputSchema: tool.parameters as LanguageModelV4FunctionTool['inputSchema'] }));
}
