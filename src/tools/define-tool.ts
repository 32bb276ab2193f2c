import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import type { AgentRef, JsonValue } from '../events/run-event.ts';

/** What a tool gets besides its input. Tools that can stop early should honour `signal`. */
export type ToolContext = { signal: AbortSignal; runId: string; agent: AgentRef };

/** A tool an agent can call. `parameters` is the JSON Schema the model sees; `parse` validates what it sent. */
export type Tool = {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Where the tool comes from: `builtin`, `code` (defined by the user with `defineTool`), or `mcp:<server>`. */
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
  /** true: every call waits for a person's approval first (human in the loop), whichever agent makes it. Default false. */
  requireApproval?: boolean;
  /** true: the call is a question for a person (`ask_user`); their answer is its result and `execute` is never called. */
  asksPerson?: boolean;
};

/** A JSON Schema object, as a tool's `inputSchema` may be given instead of a zod schema. */
export type JsonSchema = { type?: string; properties?: Record<string, unknown>; required?: readonly string[]; [key: string]: unknown };

export type ToolSpec<S extends z.ZodType | JsonSchema> = {
  name: string;
  description: string;
  /** A zod schema or a JSON Schema: it both validates the model's arguments and describes them to the model. */
  inputSchema: S;
  execute(input: S extends z.ZodType ? z.infer<S> : Record<string, any>, context: ToolContext): Promise<JsonValue> | JsonValue;
  /** Longest a call may take (ms); then its `signal` aborts and the call is `tool.failed`. Default: no limit but the run's. */
  timeoutMs?: number;
  /** Internal: built-ins say `builtin`; tools from user code default to `code`. */
  source?: string;
  retry?: boolean;
  pure?: boolean;
  requireApproval?: boolean;
};

/** The error a tool's input validation throws; the agent loop turns it into `tool.failed` and the run goes on. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Builds a tool from a zod schema or a JSON Schema plus an async function of its arguments and an AbortSignal. */
export function defineTool<S extends z.ZodType | JsonSchema>(spec: ToolSpec<S>): Tool {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(spec.name)) throw new TypeError(`Tool name '${spec.name}' must use letters, digits, _ and - (at most 64).`);
  const { parameters, parse } = isZodSchema(spec.inputSchema) ? fromZod(spec.inputSchema) : fromJsonSchema(spec.name, spec.inputSchema as JsonSchema);
  const timeoutMs = spec.timeoutMs;
  return {
    name: spec.name,
    description: spec.description,
    parameters,
    source: spec.source ?? 'code',
    ...(spec.retry === undefined ? {} : { retry: spec.retry }),
    ...(spec.pure === undefined ? {} : { pure: spec.pure }),
    ...(spec.requireApproval ? { requireApproval: true } : {}),
    parse,
    execute: async (input, context) => {
      if (!timeoutMs) return spec.execute(input as never, context);
      return withTimeout(spec.name, timeoutMs, context, (signal) => spec.execute(input as never, { ...context, signal }));
    },
  };
}

function isZodSchema(schema: unknown): schema is z.ZodType {
  return schema instanceof z.ZodType || (typeof schema === 'object' && schema !== null && '_zod' in schema);
}

function fromZod(schema: z.ZodType) {
  // `io: 'input'` describes what the model sends: a field with a default stays optional for it.
  const parameters = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  delete parameters.$schema;
  return { parameters, parse: (input: unknown) => schema.parse(input) };
}

function fromJsonSchema(name: string, schema: JsonSchema) {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new TypeError(`Tool '${name}': inputSchema is not a valid JSON Schema: ${(error as Error).message}`);
  }
  const parameters = { ...schema };
  delete parameters.$schema;
  return {
    parameters,
    parse: (input: unknown) => {
      if (validate(input)) return input;
      throw new ToolInputError(`Invalid input for ${name}: ${(validate.errors ?? []).map(describeIssue).join('; ')}`);
    },
  };
}

function describeIssue(issue: ErrorObject): string {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'input';
  return `${path}: ${issue.message ?? 'is invalid'}`;
}

/** Runs `work` with a signal that aborts on the run's signal or after `timeoutMs`, whichever comes first. */
async function withTimeout(name: string, timeoutMs: number, context: ToolContext, work: (signal: AbortSignal) => Promise<JsonValue> | JsonValue): Promise<JsonValue> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([context.signal, timeout]);
  let onAbort: (() => void) | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    onAbort = () => reject(context.signal.aborted ? context.signal.reason : new AppError('tool_failed', { message: `${name} timed out after ${timeoutMs} ms.` }));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve(work(signal)), timedOut]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
