import { z } from 'zod';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import type { ClientTool, ClientToolResult } from '../../agents/agent/client-tool.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';
import type { ImageInput } from '../../agents/agent/image-input.ts';
import { readImageUrl } from '../read-image-url.ts';
import type { JsonValue } from '../../events/run-event.ts';

const InputPart = z.looseObject({ type: z.string(), text: z.string().optional(), image_url: z.string().max(20_000_000).nullish() });
const InputItem = z.looseObject({
  type: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']).optional(),
  content: z.union([z.string(), z.array(InputPart)]).optional(),
  call_id: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  arguments: z.string().max(1_000_000).optional(),
  output: z.union([z.string(), z.array(InputPart)]).optional(),
});
const ResponsesTool = z.looseObject({
  type: z.string(),
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a function name is 1-64 letters, digits, _ or -').optional(),
  description: z.string().max(10_000).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * `POST /responses` (https://platform.openai.com/docs/api-reference/responses/create): `model` names an agent
 * or a team. `instructions` and sampling parameters are accepted and ignored: the agent has its own.
 */
export const ResponsesCreateBody = z.looseObject({
  model: z.string().trim().min(1).max(200).describe('An agent or team id, e.g. `assistant` or `research`'),
  input: z.union([z.string(), z.array(InputItem).max(10_000)]),
  stream: z.boolean().nullish(),
  background: z.boolean().nullish(),
  previous_response_id: z.string().min(1).max(200).nullish(),
  tools: z.array(ResponsesTool).max(128).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string() })]).nullish(),
  text: z.looseObject({}).nullish(),
});

/** What a run needs from a Responses create request. */
export type ResponsesRequest = {
  model: string; text: string; history?: ChatMessage[]; stream: boolean; background: boolean;
  previousResponseId: string | null; tools?: JsonValue[]; textConfig?: JsonValue;
  /** The client's function tools offered to the model, and its results for calls it ran (function_call_output). */
  clientTools?: ClientTool[]; clientToolResults?: ClientToolResult[];
  /** `text.format` json_schema (or json_object): the answer must be JSON valid against it. */
  outputSchema?: Record<string, unknown>;
  /** `input_image` parts of the last user message. */
  images?: ImageInput[];
};

/**
 * Validates the body. `input` is a string or a list of items: the last user message is the run's input,
 * earlier user and assistant messages are its history (unless `previous_response_id` continues a stored
 * session). System and developer messages are dropped: the agent keeps its own instructions. Item
 * references and reasoning items point into responses we already hold and add nothing to the text.
 */
export function parseResponsesRequest(body: unknown): ResponsesRequest {
  const request = parseInput(ResponsesCreateBody, body);
  const offered = request.tool_choice === 'none' ? [] : (request.tools ?? []).filter((tool) => tool.type === 'function' && tool.name);
  const clientTools = offered.map((tool): ClientTool => ({ name: tool.name!, ...(tool.description ? { description: tool.description } : {}), ...(tool.parameters ? { parameters: tool.parameters } : {}) }));
  const format = (request.text as { format?: { type?: unknown; schema?: unknown } } | null | undefined)?.format;
  const outputSchema = format?.type === 'json_object' ? { type: 'object' }
    : format?.type === 'json_schema' ? (isRecord(format.schema) ? format.schema : { type: 'object' }) : undefined;
  const base = {
    ...(clientTools.length > 0 ? { clientTools } : {}),
    ...(outputSchema ? { outputSchema } : {}),
    model: request.model, stream: request.stream === true, background: request.background === true,
    previousResponseId: request.previous_response_id ?? null,
    ...(request.tools ? { tools: request.tools as JsonValue[] } : {}),
    ...(request.text ? { textConfig: request.text as JsonValue } : {}),
  };
  if (typeof request.input === 'string') {
    const text = request.input.trim();
    if (text === '') invalid('input', 'The input has no text.');
    return { ...base, text };
  }
  const messages = request.input.flatMap((item): ChatMessage[] => {
    const isMessage = item.type === undefined || item.type === 'message';
    if (!isMessage || (item.role !== 'user' && item.role !== 'assistant')) return [];
    const content = textOf(item.content);
    return content === '' ? [] : [{ role: item.role, content }];
  });
  const last = messages.at(-1);
  if (!last || last.role !== 'user') invalid('input', 'The last input message must be the user\'s (role "user") and have text.');
  const history = messages.slice(0, -1);
  const clientToolResults = toolResultsAfterLastUser(request.input);
  const lastItem = request.input.findLast((item) => (item.type === undefined || item.type === 'message') && item.role === 'user');
  const images = Array.isArray(lastItem?.content) ? lastItem.content.filter((part) => part.type === 'input_image').map((part) => readImageUrl(part.image_url, 'input.content.image_url')) : [];
  return {
    ...base, text: last.content, ...(history.length > 0 ? { history } : {}), ...(clientToolResults.length > 0 ? { clientToolResults } : {}),
    ...(images.length > 0 ? { images } : {}),
  };
}

/** `function_call` items after the last user message, each with its `function_call_output`. */
function toolResultsAfterLastUser(items: readonly z.infer<typeof InputItem>[]): ClientToolResult[] {
  const lastUser = items.findLastIndex((item) => (item.type === undefined || item.type === 'message') && item.role === 'user');
  const after = items.slice(lastUser + 1);
  const outputs = new Map(after.filter((item) => item.type === 'function_call_output' && item.call_id).map((item) => [item.call_id!, item.output]));
  return after.filter((item) => item.type === 'function_call' && item.call_id && item.name).map((call) => {
    const output = outputs.get(call.call_id!);
    if (output === undefined) invalid('input', `No function_call_output answers function_call ${call.call_id}.`);
    let input: ClientToolResult['input'];
    try {
      input = JSON.parse(call.arguments ?? '{}') as ClientToolResult['input'];
    } catch {
      input = call.arguments ?? '';
    }
    return { toolCallId: call.call_id!, toolName: call.name!, input, output: typeof output === 'string' ? output : textOf(output) };
  });
}

function textOf(content: string | z.infer<typeof InputPart>[] | undefined): string {
  if (typeof content === 'string') return content.trim();
  if (!Array.isArray(content)) return '';
  return content.filter((part) => (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') && typeof part.text === 'string')
    .map((part) => part.text!.trim()).filter((text) => text !== '').join('\n');
}

function invalid(field: string, message: string): never {
  throw new AppError('validation_failed', { message: `${field}: ${message}`, details: { fields: [{ field, message }] } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
