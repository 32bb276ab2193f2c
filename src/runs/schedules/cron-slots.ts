import { CronExpressionParser } from 'cron-parser';
import { AppError } from '../../errors/app-error.ts';

// Cron slots through cron-parser (https://github.com/harrisiirak/cron-parser), the parser BullMQ's job schedulers use.

/** Throws 422 `invalid_timezone` unless `timezone` is an IANA zone this runtime knows (Intl's own list). */
export function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new AppError('invalid_timezone', { message: `'${timezone}' is not an IANA time zone (e.g. UTC, Europe/Paris).`, details: { field: 'timezone' } });
  }
}

/**
 * Throws 422 `invalid_cron` unless `cron` is a five-field expression cron-parser accepts. Six fields (seconds) are
 * refused: a schedule starts whole runs, and one a second is a mistake more often than a plan.
 */
export function assertCron(cron: string, timezone: string): void {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0].startsWith('@')) {
    throw new AppError('invalid_cron', { message: `cron must have five fields (minute hour day-of-month month day-of-week), got '${cron}'.`, details: { field: 'cron', reason: `${fields.length} fields` } });
  }
  try {
    CronExpressionParser.parse(cron, { tz: timezone, strict: false }).next();
  } catch (error) {
    throw new AppError('invalid_cron', { message: `cron '${cron}' is not valid: ${(error as Error).message}`, details: { field: 'cron', reason: (error as Error).message } });
  }
}

/** The first slot strictly after `afterMs`, as an ISO-8601 UTC string. */
export function nextSlot(cron: string, timezone: string, afterMs: number): string {
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(afterMs) }).next().toISOString()!;
}

/** The latest slot at or before `atMs`. */
export function latestSlot(cron: string, timezone: string, atMs: number): string {
  // cron-parser's `prev` is strictly before its current date: one millisecond on makes a slot at `atMs` count.
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(atMs + 1) }).prev().toISOString()!;
}
