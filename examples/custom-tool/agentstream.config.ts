// A config module: `agentstream serve` (or `npm start`) run in this folder loads it.
// Your own tool (a JSON Schema here; a zod schema works too) and an agent that uses it.
import { defineAgent, defineTool } from 'agentstream';

export const reverseText = defineTool({
  name: 'reverse_text',
  description: 'Reverses a text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: async ({ text }: { text: string }, { signal }: { signal: AbortSignal }) => {
    signal.throwIfAborted();
    return [...text].reverse().join('');
  },
});

export default {
  tools: [reverseText],
  agents: [defineAgent({ id: 'reverser', name: 'Reverser', instructions: 'Reverse what you are given.', tools: ['reverse_text'] })],
};
