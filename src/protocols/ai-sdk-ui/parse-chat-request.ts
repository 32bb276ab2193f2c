import { z } from 'zod';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';

const UiMessagePart = z.looseObject({ type: z.string(), text: z.string().optional() });
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
});

/** What a run needs from a chat request. */
export type ChatRunRequest = { chatId: string; text: string; history?: ChatMessage[]; model?: string; onDisconnect: 'continue' | 'cancel' };

/** Validates the body (422 naming each field) and reads the user's input from the last message. */
export function parseChatRequest(body: unknown): ChatRunRequest {
  const request = parseInput(ChatRequestBody, body);
  const last = request.messages.at(-1)!;
  if (last.role !== 'user') invalid('The last message must be the user\'s (role "user").');
  const text = textOf(last.parts);
  if (text === '') invalid('The last user message has no text part.');
  const history = request.messages.slice(0, -1).flatMap((message): ChatMessage[] => {
    if (message.role === 'system') return [];
    const content = textOf(message.parts);
    return content === '' ? [] : [{ role: message.role, content }];
  });
  return { chatId: request.id, text, history: history.length > 0 ? history : undefined, model: request.model, onDisconnect: request.onDisconnect };
}

/** The text parts of a UI message, joined: reasoning, tool and data parts are not conversation. */
function textOf(parts: z.infer<typeof UiMessagePart>[]): string {
  return parts.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text!.trim()).filter((text) => text !== '').join('\n');
}

function invalid(message: string): never {
  throw new AppError('validation_failed', { message: `messages: ${message}`, details: { fields: [{ field: 'messages', message }] } });
}
