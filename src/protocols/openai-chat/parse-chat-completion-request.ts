import { z } from 'zod';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import type { ClientTool, ClientToolResult } from '../../agents/agent/client-tool.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';
import type { ImageInput } from '../../agents/agent/image-input.ts';
import { readImageUrl } from '../read-image-url.ts';

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional(), image_url: z.looseObject({ url: z.string().max(20_000_000) }).optional() });
const RequestToolCall = z.looseObject({ id: z.string().min(1).max(200), type: z.string().optional(), function: z.looseObject({ name: z.string().min(1).max(200), arguments: z.string().max(1_000_000) }) });
const RequestMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  tool_calls: z.array(RequestToolCall).max(128).nullish(),
  tool_call_id: z.string().max(200).nullish(),
});
const FunctionTool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a function name is 1-64 letters, digits, _ or -'), description: z.string().max(10_000).nullish(), parameters: z.record(z.string(), z.unknown()).nullish() }),
});
const ToolChoice = z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) })]);

/**
 * `POST /chat/completions` (https://platform.openai.com/docs/api-reference/chat/create): `model` names an
 * agent or a team. Sampling parameters, `tools` and the like are accepted and ignored: the agent has its
 * own model settings and server-side tools.
 */
export const ChatCompletionBody = z.looseObject({
  model: z.string().trim().min(1).max(200).describe('An agent or team id, e.g. `assistant` or `research`'),
  messages: z.array(RequestMessage).min(1).max(10_000),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.number().int().min(1).max(1, 'Only n = 1 is supported').nullish(),
  tools: z.array(FunctionTool).max(128).nullish(),
  tool_choice: ToolChoice.nullish(),
  // https://platform.openai.com/docs/guides/structured-outputs
  response_format: z.union([
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({ type: z.literal('json_schema'), json_schema: z.looseObject({ name: z.string().max(200).optional(), schema: z.record(z.string(), z.unknown()).optional() }) }),
  ]).nullish(),
});

/** What a run needs from a chat completion request. */
export type ChatCompletionRequest = {
  model: string; text: string; history?: ChatMessage[]; stream: boolean; includeUsage: boolean;
  /** The client's function tools offered to the model (none when `tool_choice` is "none"). */
  clientTools?: ClientTool[];
  /** The client's results for the tool calls of the last assistant message: the turn continues from them. */
  clientToolResults?: ClientToolResult[];
  /** `response_format` json_schema (or json_object): the answer must be JSON valid against it. */
  outputSchema?: Record<string, unknown>;
  /** `image_url` parts of the last user message. */
  images?: ImageInput[];
};

/**
 * Validates the body and splits `messages` into the last user message (the run's input) and the earlier
 * user/assistant turns (its history). System and developer messages are not passed on: the agent keeps
 * its own instructions. A request may end with tool messages answering the `tool_calls` of the assistant
 * message after the last user message: those are the client's tool results, and the turn continues from them.
 */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const request = parseInput(ChatCompletionBody, body);
  const lastUser = request.messages.findLastIndex((message) => message.role === 'user');
  if (lastUser < 0) invalid('The last message must be the user\'s (role "user"), or tool results after it.');
  const after = request.messages.slice(lastUser + 1).filter((message) => message.role !== 'system' && message.role !== 'developer');
  const clientToolResults = toolResultsOf(after);
  const lastContent = request.messages[lastUser]!.content;
  const text = textOf(lastContent);
  if (text === '') invalid('The last user message has no text.');
  const images = Array.isArray(lastContent) ? lastContent.filter((part) => part.type === 'image_url').map((part) => readImageUrl(part.image_url?.url, 'messages.content.image_url')) : [];
  const history = request.messages.slice(0, lastUser).flatMap((message): ChatMessage[] => {
    if (message.role !== 'user' && message.role !== 'assistant') return [];
    const content = textOf(message.content);
    return content === '' ? [] : [{ role: message.role, content }];
  });
  const offered = request.tool_choice === 'none' ? [] : (request.tools ?? []);
  const clientTools = offered.map((tool): ClientTool => ({
    name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), ...(tool.function.parameters ? { parameters: tool.function.parameters } : {}),
  }));
  return {
    model: request.model, text, history: history.length > 0 ? history : undefined,
    stream: request.stream === true, includeUsage: request.stream_options?.include_usage === true,
    ...(clientTools.length > 0 ? { clientTools } : {}), ...(clientToolResults.length > 0 ? { clientToolResults } : {}),
    ...outputSchemaOf(request.response_format),
    ...(images.length > 0 ? { images } : {}),
  };
}

function outputSchemaOf(format: z.infer<typeof ChatCompletionBody>['response_format']): { outputSchema?: Record<string, unknown> } {
  if (format?.type === 'json_object') return { outputSchema: { type: 'object' } };
  if (format?.type === 'json_schema') return { outputSchema: (format.json_schema as { schema?: Record<string, unknown> }).schema ?? { type: 'object' } };
  return {};
}

/** After the last user message: one assistant message with `tool_calls`, then a tool message per call. */
function toolResultsOf(messages: readonly z.infer<typeof RequestMessage>[]): ClientToolResult[] {
  if (messages.length === 0) return [];
  const [assistant, ...results] = messages;
  if (assistant!.role !== 'assistant' || !assistant!.tool_calls?.length || results.length === 0 || results.some((message) => message.role !== 'tool')) {
    invalid('After the last user message only an assistant message with tool_calls and the tool messages answering them may follow.');
  }
  return assistant!.tool_calls!.map((call) => {
    const answer = results.find((message) => message.tool_call_id === call.id);
    if (!answer) invalid(`No tool message answers tool call ${call.id}.`);
    return { toolCallId: call.id, toolName: call.function.name, input: parseArguments(call.function.arguments), output: typeof answer.content === 'string' ? answer.content : textOf(answer.content) };
  });
}

function parseArguments(text: string): ClientToolResult['input'] {
  try {
    return JSON.parse(text) as ClientToolResult['input'];
  } catch {
    return text;
  }
}

function textOf(content: string | z.infer<typeof ContentPart>[] | null | undefined): string {
  if (typeof content === 'string') return content.trim();
  if (!Array.isArray(content)) return '';
  return content.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text!.trim()).filter((text) => text !== '').join('\n');
}

function invalid(message: string): never {
  throw new AppError('validation_failed', { message: `messages: ${message}`, details: { fields: [{ field: 'messages', message }] } });
}
