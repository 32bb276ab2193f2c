import { z } from 'zod';
import type { AgentRef, JsonValue } from '../events/run-event.ts';

/** What a tool gets besides its input. Tools that can stop early should honour `signal`. */
export type ToolContext = { signal: AbortSignal; runId: string; agent: AgentRef };

/** A tool an agent can call. `parameters` is the JSON Schema the model sees; `parse` validates what it sent. */
export type Tool = {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Where the tool comes from: `builtin`, or `mcp:<server>` for a tool bridged from an MCP server. */
  source: string;
  parse(input: unknown): unknown;
  execute(input: unknown, context: ToolContext): Promise<JsonValue>;
  /**
   * false: a call that was started and never seen to finish (its worker died) is not run again; the run ends
   * `run.failed` code `worker_lost` instead. For tools with effects that must not happen twice. Default true.
   */
  retry?: boolean;
  /**
   * true: the tool only changes the run's own memory (a team's plan), so a resumed run calls it again to
   * rebuild that memory instead of taking its recorded result. Default false.
   */
  pure?: boolean;
};

export type ToolSpec<S extends z.ZodType> = {
  name: string;
  description: string;
  inputSchema: S;
  execute(input: z.infer<S>, context: ToolContext): Promise<JsonValue> | JsonValue;
  retry?: boolean;
  pure?: boolean;
};

/** Builds a built-in tool from a zod schema: the schema both validates the input and describes it to the model. */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): Tool {
  // `io: 'input'` describes what the model sends: a field with a default stays optional for it.
  const parameters = z.toJSONSchema(spec.inputSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  delete parameters.$schema;
  return {
    name: spec.name,
    description: spec.description,
    parameters,
    source: 'builtin',
    parse: (input) => spec.inputSchema.parse(input),
    execute: async (input, context) => spec.execute(input as z.infer<S>, context),
    ...(spec.retry === undefined ? {} : { retry: spec.retry }),
    ...(spec.pure === undefined ? {} : { pure: spec.pure }),
  };
}
