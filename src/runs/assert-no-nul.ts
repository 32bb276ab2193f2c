import { AppError } from '../errors/app-error.ts';
import type { StartRunRequest } from './run-manager.ts';

/**
 * U+0000 has no place in a prompt, an id or metadata, and PostgreSQL cannot store it in text at all: refused
 * here, for every wire format and every store alike, rather than accepted on one store and a 500 on the other.
 */
export function assertNoNulCharacters(request: StartRunRequest): void {
  const fields: { field: string; message: string }[] = [];
  const check = (field: string, text: string | undefined) => {
    if (text?.includes('\u0000')) fields.push({ field, message: 'must not contain NUL (U+0000) characters' });
  };
  check('input', request.input);
  check('sessionId', request.sessionId);
  check('model', request.model);
  request.history?.forEach((message, index) => check(`history.${index}.content`, message.content));
  if (containsNul(request.metadata)) fields.push({ field: 'metadata', message: 'must not contain NUL (U+0000) characters' });
  if (fields.length === 0) return;
  throw new AppError('validation_failed', { message: fields.map((field) => `${field.field}: ${field.message}`).join('; '), details: { fields } });
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, entry]) => key.includes('\u0000') || containsNul(entry));
  return false;
}
