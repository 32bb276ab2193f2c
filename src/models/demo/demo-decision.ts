import type { JSONObject } from '@ai-sdk/provider';

/** One tool call the demo model has decided to make. */
export type PlannedToolCall = { toolName: string; input: JSONObject };

/**
 * What one demo step does: call tools or answer. `thinking` is streamed as reasoning first;
 * an empty `thinking` means no reasoning block (the benchmark variant).
 */
export type DemoDecision =
  | { kind: 'tool-calls'; thinking: string; calls: PlannedToolCall[] }
  | { kind: 'answer'; thinking: string; text: string };
