import type { ImagePart, Message, RunAgentInput } from '@ag-ui/core';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import type { ClientTool, ClientToolResult } from '../../agents/agent/client-tool.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';
import type { ImageInput } from '../../agents/agent/image-input.ts';
import { readImageUrl } from '../read-image-url.ts';

/** What a run needs from an AG-UI `RunAgentInput`. */
export type AgUiRunRequest = {
  input: RunAgentInput;
  /** The text of the last message, which must be the user's. */
  text: string;
  /** Earlier user and assistant turns the client holds; undefined when it sent none (the session's history applies). */
  history?: ChatMessage[];
  /** `forwardedProps.model`, when the client picks a model (`provider:model`). */
  model?: string;
  /** The frontend tools (`RunAgentInput.tools`), offered to the model and run by the client. */
  clientTools?: ClientTool[];
  /** Tool messages answering the last assistant message's tool calls: the turn continues from them. */
  clientToolResults?: ClientToolResult[];
  /** Image parts of the last user message (`{ type: 'image', source }`). */
  images?: ImageInput[];
};

const MAX_THREAD_ID = 200;

/**
 * Validates a request body with @ag-ui/core's own `RunAgentInputSchema` (422 naming each field) and reads
 * the user's input from its last user message. The client's `tools` are frontend tools
 * (https://docs.ag-ui.com/concepts/tools): offered to the model, run by the client, whose `tool` messages
 * after the assistant's tool calls continue the turn. `context` is accepted and not used.
 */
export function parseAgUiInput(body: unknown): AgUiRunRequest {
  const input = parseInput(RunAgentInputSchema, body) as RunAgentInput;
  if (input.threadId.trim() === '' || input.threadId.length > MAX_THREAD_ID) invalid('threadId', `threadId must be 1 to ${MAX_THREAD_ID} characters.`);
  const lastUser = input.messages.findLastIndex((message) => message.role === 'user');
  if (lastUser < 0) invalid('messages', 'The last message must be the user\'s (role "user"), or tool results after it.');
  const clientToolResults = toolResultsOf(input.messages.slice(lastUser + 1).filter((message) => message.role !== 'system' && message.role !== 'developer'));
  const text = textOf(input.messages[lastUser]!).trim();
  const images = imagesOf(input.messages[lastUser]!);
  if (text === '') invalid('messages', 'The last user message has no text.');
  const history = input.messages.slice(0, lastUser).flatMap((message): ChatMessage[] => {
    // A member's messages (attributed to a subagent) are the team's working notes, not the conversation.
    if ((message.role !== 'user' && message.role !== 'assistant') || 'subagentRunId' in message) return [];
    const content = textOf(message).trim();
    return content === '' ? [] : [{ role: message.role, content }];
  });
  const forwarded = input.forwardedProps as { model?: unknown } | undefined;
  const model = typeof forwarded?.model === 'string' && forwarded.model.trim() !== '' ? forwarded.model.trim() : undefined;
  const clientTools = input.tools.map((tool): ClientTool => ({ name: tool.name, description: tool.description, parameters: tool.parameters as Record<string, unknown> }));
  return {
    input, text, history: history.length > 0 ? history : undefined, model,
    ...(clientTools.length > 0 ? { clientTools } : {}), ...(clientToolResults.length > 0 ? { clientToolResults } : {}),
    ...(images.length > 0 ? { images } : {}),
  };
}

/**
 * AG-UI image parts of a message (`{ type: 'image', source }`, https://docs.ag-ui.com/concepts/messages):
 * a `url` source as it is, a base64 `data` source as a data URL. A `file` source (a provider's file id) is refused.
 */
function imagesOf(message: Message): ImageInput[] {
  const content = (message as { content?: unknown }).content;
  if (!Array.isArray(content)) return [];
  return content.filter((part): part is ImagePart => part?.type === 'image').map((part) => {
    const source = part.source;
    const url = source.type === 'url' ? source.value : source.type === 'data' ? `data:${source.mimeType};base64,${source.value}` : undefined;
    return readImageUrl(url, 'messages.content.source', source.mimeType);
  });
}

/**
 * After the last user message: the assistant's messages (one of them with `toolCalls`; reasoning messages
 * may sit between) and a `tool` message per call.
 */
function toolResultsOf(messages: readonly Message[]): ClientToolResult[] {
  const turn = messages.filter((message) => message.role === 'assistant' || message.role === 'tool');
  if (turn.length === 0) return [];
  const calls = turn.flatMap((message) => (message.role === 'assistant' ? message.toolCalls ?? [] : []));
  const results = turn.filter((message) => message.role === 'tool');
  if (calls.length === 0 || results.length === 0) {
    invalid('messages', 'After the last user message only the assistant\'s tool calls and the tool messages answering them may follow.');
  }
  return calls.map((call) => {
    const answer = results.find((message) => message.role === 'tool' && message.toolCallId === call.id);
    if (!answer) invalid('messages', `No tool message answers tool call ${call.id}.`);
    let parsed: ClientToolResult['input'];
    try {
      parsed = JSON.parse(call.function.arguments) as ClientToolResult['input'];
    } catch {
      parsed = call.function.arguments;
    }
    return { toolCallId: call.id, toolName: call.function.name, input: parsed, output: textOf(answer) };
  });
}

function textOf(message: Message): string {
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.filter((part) => part?.type === 'text' && typeof part.text === 'string').map((part) => part.text as string).join('\n');
}

function invalid(field: string, message: string): never {
  throw new AppError('validation_failed', { message: `${field}: ${message}`, details: { fields: [{ field, message }] } });
}
