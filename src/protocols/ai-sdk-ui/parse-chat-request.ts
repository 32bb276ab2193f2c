import { z } from 'zod';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import type { ClientTool, ClientToolResult } from '../../agents/agent/client-tool.ts';
import type { JsonValue } from '../../events/run-event.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';
import type { ImageInput } from '../../agents/agent/image-input.ts';
import { readImageUrl } from '../read-image-url.ts';

const UiMessagePart = z.looseObject({
  type: z.string(), text: z.string().optional(),
  // Tool parts (`tool-<name>`, `dynamic-tool`): https://ai-sdk.dev/docs/ai-sdk-ui/chatbot-tool-usage
  toolCallId: z.string().max(200).optional(), toolName: z.string().max(200).optional(), state: z.string().optional(),
  input: z.unknown().optional(), output: z.unknown().optional(), errorText: z.string().optional(),
  mediaType: z.string().max(200).optional(), url: z.string().max(20_000_000).optional(),
});
const ClientToolBody = z.looseObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1-64 letters, digits, _ or -'),
  description: z.string().max(10_000).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
const UiMessage = z.looseObject({
  id: z.string().optional(),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(UiMessagePart),
});

/**
 * The body `DefaultChatTransport` posts (`useChat`): the chat id, every message of the chat, and what
 * triggered the request. Extra keys (the transport's `body` option) pass; `model` and `onDisconnect` are read.
 */
export const ChatRequestBody = z.looseObject({
  id: z.string().trim().min(1).max(200).describe('The chat id; the session is `aisdk:<id>`'),
  messages: z.array(UiMessage).min(1).max(10_000),
  trigger: z.enum(['submit-message', 'regenerate-message']).optional(),
  messageId: z.string().optional(),
  model: z.string().trim().min(1).max(200).optional().describe('`provider:model` for this run'),
  onDisconnect: z.enum(['continue', 'cancel']).default('continue').describe('continue (default) keeps the run going so the chat can resume it'),
  tools: z.array(ClientToolBody).max(128).optional().describe('Client-side tools (the transport\'s `body`): offered to the model, run by the client'),
});

/** What a run needs from a chat request. */
export type ChatRunRequest = {
  chatId: string; text: string; history?: ChatMessage[]; model?: string; onDisconnect: 'continue' | 'cancel';
  clientTools?: ClientTool[]; clientToolResults?: ClientToolResult[];
  /** Image file parts (`type: 'file'`, an image media type) of the last user message. */
  images?: ImageInput[];
};

/**
 * Validates the body (422 naming each field) and reads the user's input from the last user message. The
 * chat may end with an assistant message whose client-side tool calls have their outputs (what `useChat`
 * sends after `addToolOutput`): those results continue the user's turn.
 */
export function parseChatRequest(body: unknown): ChatRunRequest {
  const request = parseInput(ChatRequestBody, body);
  const lastUser = request.messages.findLastIndex((message) => message.role === 'user');
  const trailing = request.messages.slice(lastUser + 1).filter((message) => message.role !== 'system');
  if (lastUser < 0 || trailing.length > 1) invalid('The last message must be the user\'s (role "user"), or the assistant\'s answered tool calls after it.');
  const clientToolResults = trailing.length === 1 ? toolResultsOf(trailing[0]!.parts) : [];
  if (trailing.length === 1 && clientToolResults.length === 0) invalid('The last message must be the user\'s (role "user"), or the assistant\'s answered tool calls after it.');
  const lastParts = request.messages[lastUser]!.parts;
  const text = textOf(lastParts);
  const images = lastParts.filter((part) => part.type === 'file' && part.mediaType?.startsWith('image/')).map((part) => readImageUrl(part.url, 'messages.parts.url', part.mediaType));
  if (text === '') invalid('The last user message has no text part.');
  const history = request.messages.slice(0, lastUser).flatMap((message): ChatMessage[] => {
    if (message.role === 'system') return [];
    const content = textOf(message.parts);
    return content === '' ? [] : [{ role: message.role, content }];
  });
  const clientTools = (request.tools ?? []).map((tool): ClientTool => ({ name: tool.name, ...(tool.description ? { description: tool.description } : {}), ...(tool.parameters ? { parameters: tool.parameters } : {}) }));
  return {
    chatId: request.id, text, history: history.length > 0 ? history : undefined, model: request.model, onDisconnect: request.onDisconnect,
    ...(clientTools.length > 0 ? { clientTools } : {}), ...(clientToolResults.length > 0 ? { clientToolResults } : {}),
    ...(images.length > 0 ? { images } : {}),
  };
}

/** The tool parts of an assistant message that have an output (or an error) from the client. */
function toolResultsOf(parts: z.infer<typeof UiMessagePart>[]): ClientToolResult[] {
  return parts.flatMap((part): ClientToolResult[] => {
    const isTool = part.type.startsWith('tool-') || part.type === 'dynamic-tool';
    if (!isTool || !part.toolCallId || (part.state !== 'output-available' && part.state !== 'output-error')) return [];
    const toolName = part.type === 'dynamic-tool' ? (part.toolName ?? '') : part.type.slice('tool-'.length);
    const output = part.state === 'output-error' ? `Error: ${part.errorText ?? 'the tool failed'}` : typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
    return [{ toolCallId: part.toolCallId, toolName, input: (part.input ?? {}) as JsonValue, output }];
  });
}

/** The text parts of a UI message, joined: reasoning, tool and data parts are not conversation. */
function textOf(parts: z.infer<typeof UiMessagePart>[]): string {
  return parts.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text!.trim()).filter((text) => text !== '').join('\n');
}

function invalid(message: string): never {
  throw new AppError('validation_failed', { message: `messages: ${message}`, details: { fields: [{ field: 'messages', message }] } });
}
