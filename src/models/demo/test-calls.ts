import type { JSONSchema7, JSONValue, LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4FunctionTool, LanguageModelV4Message, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { collectParts } from '../model-contract.ts';

/**
 * Builders shared by the demo model's tests: provider-spec calls, the built-in tools' shapes and
 * readers for the parts a stream produced.
 */

export const CALCULATOR = functionTool('calculator', 'Evaluates an arithmetic expression.', { expression: { type: 'string' } });
export const CLOCK = functionTool('clock', 'Current date and time in a time zone.', { timeZone: { type: 'string' } });
export const SALES_DATA = functionTool('sales_data', 'Sales figures.', {
  metric: { type: 'string', enum: ['revenue', 'units'] },
  groupBy: { type: 'array', items: { type: 'string', enum: ['month', 'region', 'product', 'channel'] } },
  orderBy: { type: 'string', enum: ['value_desc', 'value_asc', 'key'] },
}, []);
export const KNOWLEDGE_SEARCH = functionTool('knowledge_search', 'Searches the knowledge base.', { query: { type: 'string' } });
export const ORDINARY_TOOLS = [CALCULATOR, CLOCK, SALES_DATA, KNOWLEDGE_SEARCH];

export type CallSpec = {
  system?: string;
  user: string;
  tools?: LanguageModelV4FunctionTool[];
  /** Messages after the user message, e.g. an assistant tool call and its tool result. */
  after?: LanguageModelV4Message[];
  toolChoice?: LanguageModelV4CallOptions['toolChoice'];
};

/** A provider-spec call from a system text, a user text and the offered tools. */
export function callWith(spec: CallSpec): LanguageModelV4CallOptions {
  const prompt: LanguageModelV4Message[] = [];
  if (spec.system) prompt.push({ role: 'system', content: spec.system });
  prompt.push({ role: 'user', content: [{ type: 'text', text: spec.user }] }, ...(spec.after ?? []));
  return { prompt, tools: spec.tools ?? [], toolChoice: spec.toolChoice };
}

/** The assistant tool call and the tool message with its result, as the agent runtime would add them. */
export function toolExchange(toolName: string, input: JSONValue, output: JSONValue, toolCallId = 'call_test'): LanguageModelV4Message[] {
  return [
    { role: 'assistant', content: [{ type: 'tool-call', toolCallId, toolName, input }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId, toolName, output: { type: 'json', value: output } }] },
  ];
}

/** A team tool whose description lists the members one per line, as the team orchestrator writes it. */
export function teamTool(name: string, members: Record<string, string>, inputSchema: JSONSchema7): LanguageModelV4FunctionTool {
  const lines = Object.entries(members).map(([id, description]) => `- ${id}: ${description}`);
  return { type: 'function', name, description: `Team members:\n${lines.join('\n')}`, inputSchema };
}

/** Runs one streamed step to the end. */
export async function streamParts(model: LanguageModelV4, call: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamPart[]> {
  const { stream } = await model.doStream(call);
  return collectParts(stream);
}

/** The concatenated text deltas. */
export function textOf(parts: readonly LanguageModelV4StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
}

/** The tool calls, with their inputs parsed. */
export function toolCallsOf(parts: readonly LanguageModelV4StreamPart[]): Array<{ toolName: string; input: unknown }> {
  return parts.flatMap((part) => (part.type === 'tool-call' ? [{ toolName: part.toolName, input: JSON.parse(part.input) as unknown }] : []));
}

/** The finish part. */
export function finishOf(parts: readonly LanguageModelV4StreamPart[]): Extract<LanguageModelV4StreamPart, { type: 'finish' }> {
  const finish = parts.find((part) => part.type === 'finish');
  if (!finish) throw new Error('the stream has no finish part');
  return finish;
}

function functionTool(name: string, description: string, properties: Record<string, JSONSchema7>, required = Object.keys(properties)): LanguageModelV4FunctionTool {
  return { type: 'function', name, description, inputSchema: { type: 'object', properties, required } };
}
