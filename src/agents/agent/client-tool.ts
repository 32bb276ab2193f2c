import type { LanguageModelV4FunctionTool, LanguageModelV4Prompt } from '@ai-sdk/provider';
import type { JsonValue } from '../../events/run-event.ts';

/**
 * A tool the client declared in its request (OpenAI `tools`, AG-UI frontend tools, AI SDK client-side tools)
 * and runs itself: offered to the model beside the agent's own tools, never executed here. A call to one ends
 * the agent's turn with the call pending (`tool.started` with `clientSide: true`); the client's next request
 * brings the result back as a `ClientToolResult`.
 */
export type ClientTool = { name: string; description?: string; parameters?: Record<string, unknown> };

/** A client tool's call and the result the client got for it: the turn continues from here. */
export type ClientToolResult = { toolCallId: string; toolName: string; input: JsonValue; output: string };

/** The client's tools as the provider spec describes tools; a name the agent already has stays the agent's. */
export function toClientModelTools(tools: readonly ClientTool[], taken: ReadonlySet<string>): LanguageModelV4FunctionTool[] {
  return tools.filter((tool) => !taken.has(tool.name)).map((tool) => ({
    type: 'function', name: tool.name, description: tool.description,
    inputSchema: (tool.parameters ?? { type: 'object', properties: {} }) as LanguageModelV4FunctionTool['inputSchema'],
  }));
}

/** Appends the calls the client ran and their results after the user's message, so the model answers from them. */
export function appendClientToolResults(prompt: LanguageModelV4Prompt, results: readonly ClientToolResult[]): void {
  if (results.length === 0) return;
  prompt.push({ role: 'assistant', content: results.map((result) => ({ type: 'tool-call' as const, toolCallId: result.toolCallId, toolName: result.toolName, input: result.input })) });
  prompt.push({ role: 'tool', content: results.map((result) => ({ type: 'tool-result' as const, toolCallId: result.toolCallId, toolName: result.toolName, output: { type: 'text' as const, value: result.output } })) });
}
