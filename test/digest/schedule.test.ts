import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DigestError } from '../../src/digest/errors.js';
import { cronPattern, formatDays, nextRunAfter, parseDays, parseTime, parseTimezone, timezoneSuggestions } from '../../src/digest/schedule.js';

function errorId(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    assert.ok(error instanceof DigestError, `expected a DigestError, got ${String(error)}`);
    return error.identifier;
  }
}

test('times in 24-hour and am/pm forms normalise to HH:MM', () => {
  const table: [string, string][] = [['09:00', '09:00'], ['9:00', '09:00'], ['21:30', '21:30'], ['9am', '09:00'], ['9:30 pm', '21:30'], ['12am', '00:00'], ['12:15pm', '12:15'], ['00:00', '00:00']];
  for (const [input, expected] of table) assert.equal(parseTime(input), expected, input);
});

test('bad times are InvalidTime errors that name the value', () => {
  for (const input of ['25:00', '9:60', 'nine', '', '9', '13pm', '0am']) {
    assert.equal(errorId(() => parseTime(input)), 'InvalidTime', input);
  }
  assert.throws(() => parseTime('25:00'), /"25:00".*hour/);
});

test('day specifications parse to cron day numbers, ranges wrapping', () => {
  const table: [string, number[]][] = [
    ['daily', [0, 1, 2, 3, 4, 5, 6]],
    ['weekdays', [1, 2, 3, 4, 5]],
    ['mon-fri', [1, 2, 3, 4, 5]],
    ['weekends', [0, 6]],
    ['mon,wed,fri', [1, 3, 5]],
    ['Monday, Wednesday and Friday', [1, 3, 5]],
    ['fri-mon', [0, 1, 5, 6]],
    ['tues thurs', [2, 4]],
    ['sun', [0]],
  ];
  for (const [input, expected] of table) assert.deepEqual(parseDays(input), expected, input);
});

test('days format canonically, Monday first', () => {
  assert.equal(formatDays(parseDays('mon-fri')), 'weekdays');
  assert.equal(formatDays(parseDays('sat,sun')), 'weekends');
  assert.equal(formatDays(parseDays('sun,fri,mon')), 'mon,fri,sun');
  assert.equal(formatDays(parseDays('every day')), 'daily');
});

test('bad days are InvalidDays errors naming the bad part', () => {
  for (const input of ['', 'someday', 'mon-funday', 'm', 'mon,,xyz']) assert.equal(errorId(() => parseDays(input)), 'InvalidDays', input);
  assert.throws(() => parseDays('mon,blursday'), /"blursday" is not a day/);
});

test('time zones are checked with Intl and spelled canonically', () => {
  assert.equal(parseTimezone('Europe/Berlin'), 'Europe/Berlin');
  assert.equal(parseTimezone('america/new_york'), 'America/New_York');
  assert.equal(parseTimezone('UTC'), 'UTC');
  for (const input of ['Mars/Olympus_Mons', '', 'Europe/Berlin; DROP']) assert.equal(errorId(() => parseTimezone(input)), 'InvalidTimezone', input);
});

test('the cron pattern has a seconds field and lists days only when not daily', () => {
  assert.equal(cronPattern('09:05', parseDays('daily')), '0 5 9 * * *');
  assert.equal(cronPattern('18:30', parseDays('mon-fri')), '0 30 18 * * 1,2,3,4,5');
});

test('09:00 in New York fires at 14:00 UTC before the March DST change and 13:00 UTC after', () => {
  const pattern = cronPattern('09:00', parseDays('daily'));
  // 2025: DST starts in the US on Sunday 9 March.
  assert.equal(new Date(nextRunAfter(pattern, 'America/New_York', Date.parse('2025-03-08T00:00:00Z'))!).toISOString(), '2025-03-08T14:00:00.000Z');
  assert.equal(new Date(nextRunAfter(pattern, 'America/New_York', Date.parse('2025-03-08T14:00:00Z'))!).toISOString(), '2025-03-09T13:00:00.000Z');
  assert.equal(new Date(nextRunAfter(pattern, 'America/New_York', Date.parse('2025-03-10T00:00:00Z'))!).toISOString(), '2025-03-10T13:00:00.000Z');
  // and back in November
  assert.equal(new Date(nextRunAfter(pattern, 'America/New_York', Date.parse('2025-11-03T00:00:00Z'))!).toISOString(), '2025-11-03T14:00:00.000Z');
});

test('weekday schedules skip the weekend in the local zone', () => {
  const pattern = cronPattern('08:00', parseDays('mon-fri'));
  // Friday 2025-03-07 08:00 Tokyo is 2025-03-06T23:00Z; after it comes Monday 10 March.
  assert.equal(new Date(nextRunAfter(pattern, 'Asia/Tokyo', Date.parse('2025-03-06T23:00:00Z'))!).toISOString(), '2025-03-09T23:00:00.000Z');
});

test('time-zone suggestions rank the exact name, then prefixes, then city parts; at most 25', () => {
  assert.equal(timezoneSuggestions('europe/paris')[0], 'Europe/Paris');
  const europe = timezoneSuggestions('Europe/');
  assert.equal(europe.length, 25);
  assert.ok(europe.every((z) => z.startsWith('Europe/')));
  assert.equal(timezoneSuggestions('new york')[0], 'America/New_York');
  const paris = timezoneSuggestions('par');
  assert.equal(paris[0], 'Europe/Paris');
  assert.deepEqual(timezoneSuggestions('zzzz'), []);
  assert.ok(timezoneSuggestions('').length <= 25);
  assert.equal(timezoneSuggestions('UTC')[0], 'UTC');
});
