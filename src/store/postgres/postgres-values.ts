import type pg from 'pg';

export type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

export function json(value: unknown): string | null {
  // JSONB refuses the \u0000 escape as TEXT refuses the character (see `storableText`).
  return value === undefined || value === null ? null : JSON.stringify(value, (_key, entry: unknown) => typeof entry === 'string' ? storableText(entry) : entry);
}

/**
 * PostgreSQL text cannot hold U+0000. Requests carrying one are refused at the edge (422); what a model or a
 * tool produced is stored with U+FFFD in its place instead of failing the run. Event bodies need nothing:
 * they are JSON, where the character is the six-character escape.
 */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  return text !== null && text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
