import { clockOffset, ClockSettingError, fixedClock, utcDay } from '../../../lib/clock.js';

describe('the one clock', () => {
  const real = Date.parse('2026-12-07T09:00:00Z');

  test('RMQ_COMPOSE_NOW unset or empty: the real clock', () => {
    expect(clockOffset(undefined, real)).toBe(0);
    expect(clockOffset('', real)).toBe(0);
  });

  test('a date or an instant starts the clock there (it then runs on)', () => {
    expect(real + clockOffset('2029-12-31', real)).toBe(Date.parse('2029-12-31T00:00:00Z'));
    expect(real + clockOffset('2027-01-15T08:00:00Z', real)).toBe(Date.parse('2027-01-15T08:00:00Z'));
    expect(real + clockOffset('2027-01-15T08:00+02:00', real)).toBe(Date.parse('2027-01-15T06:00:00Z'));
  });

  test('anything else is refused with the variable, the value and the format', () => {
    for (const bad of ['yesterday', '2027-13-45', '1700000000', '2027-01-15 08:00']) {
      expect(() => clockOffset(bad, real)).toThrow(ClockSettingError);
    }
    expect(() => clockOffset('tomorrow', real)).toThrow(
      'RMQ_COMPOSE_NOW="tomorrow" is not a date: give an ISO date or instant such as 2027-01-15 or 2027-01-15T08:00:00Z, or unset it',
    );
  });

  test('a fixed clock and its UTC day', () => {
    expect(utcDay(fixedClock('2026-11-29T23:30:00-05:00'))).toBe('2026-11-30');
    expect(fixedClock(0)()).toBe(0);
    expect(() => fixedClock('soon')).toThrow();
  });
});
