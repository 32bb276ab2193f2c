import { z } from 'zod';
import { defineTool, type Tool } from './define-tool.ts';

/** The name agents list in their tools to be able to ask the person behind the run a question. */
export const ASK_USER_TOOL = 'ask_user';

/**
 * A question for the person behind the run: the run pauses (`run.awaiting_input`, kind `question`) until
 * `POST /v1/runs/{id}/input` brings the answer, which becomes the call's result `{ answer }`.
 */
export const askUserTool: Tool = {
  ...defineTool({
    name: ASK_USER_TOOL,
    description: 'Ask the user a question and wait for their answer. Use it when you need information or a choice only the user can give.',
    inputSchema: z.object({ question: z.string().min(1).describe('The question, as the user should read it.') }),
    source: 'builtin',
    execute: () => {
      // The agent loop answers the call from the person's input; reaching this means it was called outside a run.
      throw new Error('ask_user is answered by a person, not executed.');
    },
  }),
  asksPerson: true,
};
