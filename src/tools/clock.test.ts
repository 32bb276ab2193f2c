import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockTool, createClockTool } from './clock.ts';

const context = { signal: new AbortController().signal, runId: 'run-1', agent: { id: 'a', name: 'A', role: 'agent' as const, path: [] } };
// A Monday noon in UTC; New York is on daylight time (since 9 March 2025), Kolkata never shifts.
const pinned = createClockTool(() => new Date('2025-03-10T12:00:00.000Z'));
const readClock = (input: unknown) => pinned.execute(pinned.parse(input), context);

describe('clockTool', () => {
  it('defaults to UTC', async () => {
    assert.deepEqual(await readClock({}), {
      timeZone: 'UTC', iso: '2025-03-10T12:00:00+00:00', date: '2025-03-10', time: '12:00:00', weekday: 'Monday', utcOffset: '+00:00',
    });
  });

  it('reads the same instant in two zones', async () => {
    assert.deepEqual(await readClock({ timeZone: 'Asia/Kolkata' }), {
      timeZone: 'Asia/Kolkata', iso: '2025-03-10T17:30:00+05:30', date: '2025-03-10', time: '17:30:00', weekday: 'Monday', utcOffset: '+05:30',
    });
    assert.deepEqual(await readClock({ timeZone: 'America/New_York' }), {
      timeZone: 'America/New_York', iso: '2025-03-10T08:00:00-04:00', date: '2025-03-10', time: '08:00:00', weekday: 'Monday', utcOffset: '-04:00',
    });
  });

  it('crosses the date line to the next day', async () => {
    const result = await readClock({ timeZone: 'Pacific/Auckland' }) as Record<string, string>;
    assert.equal(result.date, '2025-03-11');
    assert.equal(result.time, '01:00:00');
    assert.equal(result.weekday, 'Tuesday');
    assert.equal(result.utcOffset, '+13:00');
  });

  it('writes midnight as 00, not 24', async () => {
    const midnight = createClockTool(() => new Date('2025-01-01T00:00:05.000Z'));
    const result = await midnight.execute(midnight.parse({}), context) as Record<string, string>;
    assert.equal(result.time, '00:00:05');
    assert.equal(result.weekday, 'Wednesday');
  });

  it('canonicalises the case of a zone name', async () => {
    assert.equal((await readClock({ timeZone: 'europe/paris' }) as Record<string, string>).timeZone, 'Europe/Paris');
  });

  it('names an unknown zone in its error', async () => {
    await assert.rejects(readClock({ timeZone: 'Mars/Olympus_Mons' }), {
      name: 'AppError', code: 'bad_request', message: /Unknown time zone "Mars\/Olympus_Mons"/,
    });
  });

  it('rejects a malformed input in the schema', () => {
    assert.throws(() => pinned.parse({ timeZone: '' }), { name: 'ZodError' });
    assert.throws(() => pinned.parse({ timeZone: 5 }), { name: 'ZodError' });
  });

  it('reads the real time by default', async () => {
    const before = Date.now();
    const result = await clockTool.execute(clockTool.parse({}), context) as Record<string, string>;
    const read = Date.parse(result.iso);
    assert.ok(read >= Math.floor(before / 1000) * 1000 && read <= Date.now(), `${result.iso} is now`);
  });
});
