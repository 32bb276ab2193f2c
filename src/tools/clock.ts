import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { defineTool, type Tool } from './define-tool.ts';

/** Reads one instant's wall-clock fields in a time zone; throws a `bad_request` naming an unknown zone. */
function readWallClock(instant: Date, timeZone: string) {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'long', timeZoneName: 'longOffset',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  } catch (error) {
    throw new AppError('bad_request', {
      message: `Unknown time zone "${timeZone}". Use an IANA name such as "UTC", "Europe/Paris" or "Asia/Kolkata".`,
      cause: error,
    });
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  // `longOffset` renders "GMT+05:30", or a bare "GMT" when the offset is zero.
  const utcOffset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  // ICU resolves some current names to legacy ones (Asia/Kolkata -> Asia/Calcutta); keep the caller's
  // name then, and take the resolved one only to fix its case ("utc" -> "UTC").
  const resolved = format.resolvedOptions().timeZone;
  return {
    timeZone: resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    weekday: parts.weekday,
    utcOffset,
  };
}

/**
 * The current date and time in an IANA time zone. `now` is injectable so tests can pin the instant.
 * `iso` is the same instant written with the zone's offset (e.g. `2025-03-10T17:30:00+05:30`).
 */
export function createClockTool(now: () => Date = () => new Date()): Tool {
  return defineTool({
    source: 'builtin',
    name: 'clock',
    description:
      'Returns the current date, time, weekday and UTC offset in a time zone. Use it whenever the answer ' +
      'depends on today\'s date or the current time ("what day is it", "how many days until", "time in Tokyo"). ' +
      'Pass an IANA time zone name; defaults to UTC.',
    inputSchema: z.object({
      timeZone: z.string().trim().min(1).max(64).optional()
        .describe('IANA time zone name, e.g. "UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo". Default "UTC".'),
    }),
    execute: ({ timeZone = 'UTC' }) => {
      const instant = now();
      const clock = readWallClock(instant, timeZone);
      return {
        timeZone: clock.timeZone,
        iso: `${clock.date}T${clock.time}${clock.utcOffset}`,
        date: clock.date,
        time: clock.time,
        weekday: clock.weekday,
        utcOffset: clock.utcOffset,
      };
    },
  });
}

/** The clock tool reading the real system time. */
export const clockTool: Tool = createClockTool();
