import { Ajv, type ValidateFunction } from 'ajv';
import { AppError } from '../../errors/app-error.ts';

/** A JSON Schema (draft-07 / 2019-09 subset Ajv compiles) the run's final answer must satisfy. */
export type OutputSchema = Record<string, unknown>;

// One validator instance for the process; compiled schemas are cached by object identity.
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<OutputSchema, ValidateFunction>();

function compile(schema: OutputSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Refuses (422) structured output for a team (its answer is a synthesis no schema reaches) or an invalid schema. */
export function assertOutputSchemaFor(target: { kind: 'agent' | 'team' }, schema: OutputSchema): void {
  if (target.kind === 'team') throw new AppError('invalid_output_schema', { message: 'Structured output (an output schema) is offered for agents, not teams.' });
  assertOutputSchema(schema);
}

/** Refuses (422) an output schema that is not a JSON Schema Ajv can compile, before any run starts. */
export function assertOutputSchema(schema: OutputSchema, field = 'output.schema'): void {
  try {
    compile(schema);
  } catch (error) {
    throw new AppError('invalid_output_schema', { message: `${field} is not a valid JSON Schema: ${(error as Error).message}`, details: { field } });
  }
}

/**
 * Checks the final answer on the server: it must be JSON, valid against `schema`. A failure ends the run as
 * `output_schema_mismatch` naming what was wrong, so a client never receives a "structured" answer that is not.
 */
export function checkStructuredOutput(output: string, schema: OutputSchema): void {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    throw new AppError('output_schema_mismatch', { message: 'The answer is not JSON, but the request asked for output matching a JSON Schema.' });
  }
  const validate = compile(schema);
  if (validate(value)) return;
  const problems = (validate.errors ?? []).slice(0, 10).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
  throw new AppError('output_schema_mismatch', { message: `The answer does not match the output schema: ${problems.join('; ')}.`, details: { errors: problems } });
}
