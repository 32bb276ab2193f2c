import type { z } from 'zod';
import { AppError } from './app-error.ts';

/** Validates a body or query with a zod schema; failures become 422 naming each field and why. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
  throw new AppError('validation_failed', {
    message: fields.map((field) => `${field.field}: ${field.message}`).join('; '),
    details: { fields },
  });
}

/** `Last-Event-ID` header or `?after=`: a non-negative integer seq, 0 when absent. */
export function parseAfterSeq(header: string | string[] | undefined, query: unknown): number {
  const raw = typeof header === 'string' && header !== '' ? header : typeof query === 'string' && query !== '' ? query : undefined;
  if (raw === undefined) return 0;
  if (!/^\d{1,15}$/.test(raw.trim())) throw new AppError('invalid_last_event_id', { message: `Last-Event-ID (or ?after) must be a non-negative integer, got '${raw.slice(0, 40)}'.` });
  return Number(raw.trim());
}
