// bench/clock.ts afternoonZone: the Dial figure's records live where it is mid-afternoon, whatever
// the hour the benchmark runs at (their card would ask before dialling outside calling hours).
import { describe, expect, it } from 'vitest';
import { afternoonZone } from '../../bench/clock';

describe('afternoonZone', () => {
  it('is an IANA zone where it is 14:00-something, at every hour of the day', () => {
    for (let hour = 0; hour < 24; hour++) {
      const at = new Date(Date.UTC(2026, 11, 2, hour, 30));
      const zone = afternoonZone(at);
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at);
      expect(local, `${zone} at ${hour}:30 UTC`).toBe('14');
    }
  });
});
