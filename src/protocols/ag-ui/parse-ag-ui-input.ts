import type { Message, RunAgentInput } from '@ag-ui/core';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import type { ChatMessage } from '../../agents/agent/agent-definition.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../errors/parse-input.ts';

/** What a run needs from an AG-UI `RunAgentInput`. */
export type AgUiRunRequest = {
  input: RunAgentInput;
  /** The text of the last message, which must be the user's. */
  text: string;
  /** Earlier user and assistant turns the client holds; undefined when it sent none (the session's history applies). */
  history?: ChatMessage[];
  /** `forwardedProps.model`, when the client picks a model (`provider:model`). */
  model?: string;
};

const MAX_THREAD_ID = 200;

/**
 * Validates a request body with @ag-ui/core's own `RunAgentInputSchema` (422 naming each field) and reads
 * the user's input from its last message. The client's `tools` and `context` are accepted and not used:
 * the agent runs its own server-side tools.
 */
export function parseAgUiInput(body: unknown): AgUiRunRequest {
  const input = parseInput(RunAgentInputSchema, body) as RunAgentInput;
  if (input.threadId.trim() === '' || input.threadId.length > MAX_THREAD_ID) invalid('threadId', `threadId must be 1 to ${MAX_THREAD_ID} characters.`);
  const last = input.messages.at(-1);
  if (!last || last.role !== 'user') invalid('messages', 'The last message must be the user\'s (role "user").');
  const text = textOf(last).trim();
  if (text === '') invalid('messages', 'The last user message has no text.');
  const history = input.messages.slice(0, -1).flatMap((message): ChatMessage[] => {
    // A member's messages (attributed to a subagent) are the team's working notes, not the conversation.
    if ((message.role !== 'user' && message.role !== 'assistant') || 'subagentRunId' in message) return [];
    const content = textOf(message).trim();
    return content === '' ? [] : [{ role: message.role, content }];
  });
  const forwarded = input.forwardedProps as { model?: unknown } | undefined;
  const model = typeof forwarded?.model === 'string' && forwarded.model.trim() !== '' ? forwarded.model.trim() : undefined;
  return { input, text, history: history.length > 0 ? history : undefined, model };
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
