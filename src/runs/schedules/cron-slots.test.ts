import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../errors/app-error.ts';
import { assertCron, assertTimezone, latestSlot, nextSlot } from './cron-slots.ts';

const at = (iso: string) => Date.parse(iso);
const codeOf = (work: () => void) => {
  try {
    work();
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
  return 'accepted';
};

describe('cron slots', () => {
  it('reads the cron in its time zone, across a daylight-saving change', () => {
    // Paris moves to summer time on 2030-03-31: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    assert.equal(nextSlot('0 9 * * *', 'Europe/Paris', at('2030-03-30T06:00:00.000Z')), '2030-03-30T08:00:00.000Z');
    assert.equal(nextSlot('0 9 * * *', 'Europe/Paris', at('2030-03-30T12:00:00.000Z')), '2030-03-31T07:00:00.000Z');
    assert.equal(nextSlot('0 9 * * *', 'UTC', at('2030-03-30T12:00:00.000Z')), '2030-03-31T09:00:00.000Z');
  });

  it('the next slot is strictly after, the latest slot is at or before', () => {
    assert.equal(nextSlot('*/5 * * * *', 'UTC', at('2030-01-01T00:05:00.000Z')), '2030-01-01T00:10:00.000Z');
    assert.equal(latestSlot('*/5 * * * *', 'UTC', at('2030-01-01T00:05:00.000Z')), '2030-01-01T00:05:00.000Z');
    assert.equal(latestSlot('*/5 * * * *', 'UTC', at('2030-01-01T00:09:59.999Z')), '2030-01-01T00:05:00.000Z');
  });

  it('accepts five-field expressions and known zones; refuses the rest with their own codes', () => {
    assert.equal(codeOf(() => assertCron('0 9 * * mon-fri', 'UTC')), 'accepted');
    assert.equal(codeOf(() => assertCron('*/15 8-18 * jan,feb *', 'America/New_York')), 'accepted');
    for (const cron of ['', '* * * *', '0 0 9 * * *', '@daily', '61 * * * *', '0 24 * * *', '* * 32 * *', 'x y z a b']) {
      assert.equal(codeOf(() => assertCron(cron, 'UTC')), 'invalid_cron', cron);
    }
    assert.equal(codeOf(() => assertTimezone('Asia/Tokyo')), 'accepted');
    for (const zone of ['Nowhere/City', 'GMT+25', '']) assert.equal(codeOf(() => assertTimezone(zone)), 'invalid_timezone', zone);
  });
});
