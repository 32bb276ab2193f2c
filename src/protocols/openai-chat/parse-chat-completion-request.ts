import { z } from 'zod';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const RequestMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
});

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
});

/** What a run needs from a chat completion request. */
export type ChatCompletionRequest = { model: string; text: string; history?: ChatMessage[]; stream: boolean; includeUsage: boolean };

/**
 * Validates the body and splits `messages` into the last user message (the run's input) and the earlier
 * user/assistant turns (its history). System and developer messages are not passed on: the agent keeps
 * its own instructions. Tool messages belong to client-side tools, which these agents do not use.
 */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const request = parseInput(ChatCompletionBody, body);
  const last = request.messages.at(-1)!;
  if (last.role !== 'user') invalid('The last message must be the user\'s (role "user").');
  const text = textOf(last.content);
  if (text === '') invalid('The last user message has no text.');
  const history = request.messages.slice(0, -1).flatMap((message): ChatMessage[] => {
    if (message.role !== 'user' && message.role !== 'assistant') return [];
    const content = textOf(message.content);
    return content === '' ? [] : [{ role: message.role, content }];
  });
  return {
    model: request.model, text, history: history.length > 0 ? history : undefined,
    stream: request.stream === true, includeUsage: request.stream_options?.include_usage === true,
  };
}

function textOf(content: string | z.infer<typeof ContentPart>[] | null | undefined): string {
  if (typeof content === 'string') return content.trim();
  if (!Array.isArray(content)) return '';
  return content.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text!.trim()).filter((text) => text !== '').join('\n');
}

function invalid(message: string): never {
  throw new AppError('validation_failed', { message: `messages: ${message}`, details: { fields: [{ field: 'messages', message }] } });
}
