import type { MultitaskPolicy } from '../multitask-policy.ts';

/** An agent as configured: what it is told, which model it uses by default, which tools it may call. */
export type AgentDefinition = {
  id: string;
  name: string;
  description: string;
  instructions: string;
  /** `provider:model`; absent means the server's default model. */
  model?: string;
  /** Built-in tool names, and MCP tools as `<server>__<tool>`. */
  tools: string[];
  /** MCP servers (by configured name) whose every tool this agent gets. */
  mcpServers?: string[];
  /** Upper bound on model calls in one run (each tool round is one more). */
  maxSteps?: number;
  /**
   * false: a run cut off (its worker died) while this agent was working is not resumed past it; it ends
   * `run.failed` code `worker_lost`. For agents whose work must not happen twice. Default true.
   */
  retry?: boolean;
  /** Calls that wait for a person's approval before they run: every tool (`true`) or the tools named. Default none. */
  requireApproval?: boolean | string[];
  /** Double-texting: what a message for a session whose run is still going does (see `runs/session-policy.ts`). Default `reject`. */
  multitask?: MultitaskPolicy;
};

/** One turn of conversation history fed to the model. */
export type ChatMessage = { role: 'user' | 'assistant'; content: string };

export const BUILTIN_AGENTS: AgentDefinition[] = [
  {
    id: 'assistant',
    name: 'Assistant',
    description: 'A general assistant with every built-in tool: calculator, clock, sales data and knowledge search.',
    instructions:
      'You are a helpful assistant. Use the tools when they help: calculator for arithmetic, clock for the date and time, sales_data for questions about sales, revenue or units, knowledge_search to look facts up. Answer concisely and cite tool results.',
    tools: ['calculator', 'clock', 'sales_data', 'knowledge_search'],
  },
  {
    id: 'chat',
    name: 'Chat',
    description: 'A conversational agent without tools.',
    instructions: 'You are a friendly conversational assistant. Answer clearly and briefly.',
    tools: [],
  },
  {
    id: 'supervised',
    name: 'Supervised assistant',
    description: 'The assistant with a person in the loop: every tool call waits for your approval, and it may ask you a question (ask_user).',
    instructions:
      'You are a careful assistant. Use the tools when they help: calculator for arithmetic, clock for the date and time, sales_data for sales figures, knowledge_search to look facts up, ask_user when only the user can tell you something. Every tool call is approved by the user first.',
    tools: ['calculator', 'clock', 'sales_data', 'knowledge_search', 'ask_user'],
    requireApproval: true,
  },
];
