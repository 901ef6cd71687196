// Calling hours (issue 12 #7): the window arithmetic the record card and reschedule form rely on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insideWindow, minutesIn, minutesOfDay, outsideCallingHours } from '../../renderer/lib/calling-hours';

const minute = fc.integer({ min: 0, max: 1439 });

describe('calling hours', () => {
  it('property: a window and the window from its end to its start split the day (except an all-day window)', () => {
    fc.assert(
      fc.property(minute, minute, minute, (m, start, end) => {
        fc.pre(start !== end);
        expect(insideWindow(m, start, end)).toBe(!insideWindow(m, end, start));
      }),
    );
  });

  it('property: a same-day window is exactly [start, end); start = end is any time', () => {
    fc.assert(
      fc.property(minute, minute, minute, (m, a, b) => {
        const [start, end] = a < b ? [a, b] : [b, a];
        if (start === end) expect(insideWindow(m, start, end)).toBe(true);
        else expect(insideWindow(m, start, end)).toBe(m >= start && m < end);
      }),
    );
  });

  it('reads the customer\'s wall clock in their zone; an unknown zone is never "outside"', () => {
    const at = Date.UTC(2024, 6, 1, 22, 37); // 00:37 in Paris (CEST)
    expect(minutesIn(at, 'Europe/Paris')).toBe(37);
    const hours = { start: '08:00', end: '21:00', outside: 'ask' as const };
    expect(outsideCallingHours(at, 'Europe/Paris', hours)).toBe(true);
    expect(outsideCallingHours(at, 'America/New_York', hours)).toBe(false); // 18:37
    expect(outsideCallingHours(at, 'Mars/Olympus_Mons', hours)).toBe(false);
    expect(outsideCallingHours(at, 'Europe/Paris', { ...hours, end: 'late' })).toBe(false);
    expect(minutesOfDay('21:00')).toBe(1260);
    expect(minutesOfDay('24:00')).toBeUndefined();
  });
});
