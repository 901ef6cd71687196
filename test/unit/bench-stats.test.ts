import { describe, expect, it } from 'vitest';
import { added, kb, matchInOrder, mb, ms, percentile, ratio, renderMarkdown, renderTable, summarize } from '../../bench/stats';

describe('bench stats', () => {
  it('percentile is nearest-rank: always a sample, never interpolated', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarize sorts, ignores NaN (unmatched) and reports n', () => {
    const s = summarize([5, Number.NaN, 1, 3, 2, 4]);
    expect(s).toEqual({ n: 5, min: 1, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
    expect(summarize([]).n).toBe(0);
    expect(summarize([]).p50).toBeNaN();
  });

  it('formats added ms, ratios and sizes', () => {
    expect(added(1.41, 1)).toBe('+0.41 ms');
    expect(added(1, 1.05)).toBe('−0.05 ms');
    expect(added(Number.NaN, 1)).toBe('n/a');
    expect(ratio(2.46, 2)).toBe('×1.23');
    expect(ratio(1, 0)).toBe('n/a');
    expect(ms(0.4149)).toBe('0.41 ms');
    expect(ms(12.34)).toBe('12.3 ms');
    expect(ms(1234.5)).toBe('1235 ms');
    expect(kb(61_440)).toBe('60.0 KB');
    expect(mb(5 * 1024 * 1024)).toBe('5.00 MB');
  });

  it('renders a fixed-width table with ✓ / ✗ only where there is a goal', () => {
    const table = renderTable([
      { figure: 'Core p50', value: '0.80 ms', floor: '0.60 ms', versus: '+0.20 ms', goal: '≤ +0.5 ms', pass: true },
      { figure: 'Screen p99', value: '20.0 ms', floor: '5.00 ms', versus: '+15.0 ms', goal: '≤ +8 ms', pass: false },
      { figure: 'Floor', value: '0.60 ms', floor: '—', versus: '—', goal: '—' },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]!.endsWith('✓')).toBe(true);
    expect(lines[3]!.endsWith('✗')).toBe(true);
    expect(lines[4]!.endsWith('—')).toBe(true);
    // Columns line up: "value" starts at the same column on every line.
    const col = lines[0]!.indexOf('value');
    expect([...lines[2]!].slice(col, col + 7).join('')).toBe('0.80 ms');
    expect(renderMarkdown([{ figure: 'a|b', value: '1', floor: '—', versus: '—', goal: '—' }])).toContain('a\\|b');
  });

  it('matches publications to observations per key, in order, skipping coalesced ones', () => {
    const published = [
      { key: 'A', value: 'Dialing', time: 0 },
      { key: 'A', value: 'Established', time: 10 },
      { key: 'A', value: 'Dialing', time: 20 },
      { key: 'B', value: 'Dialing', time: 30 },
      { key: 'A', value: 'Established', time: 40 },
    ];
    const observed = [
      { key: 'A', value: 'Dialing', time: 2 },
      // A/Established at 10 was coalesced away: the screen went straight to Dialing.
      { key: 'A', value: 'Dialing', time: 23 },
      { key: 'B', value: 'Dialing', time: 29.9 }, // calibration error within tolerance
      { key: 'A', value: 'Established', time: 41 },
    ];
    const lat = matchInOrder(published, observed, 0.5);
    expect(lat[0]).toBe(2);
    expect(lat[1]).toBeNaN();
    expect(lat[2]).toBe(3);
    expect(lat[3]).toBeCloseTo(-0.1);
    expect(lat[4]).toBe(1);
    // An observation earlier than the publication (beyond tolerance) is not its arrival.
    expect(matchInOrder([{ key: 'A', value: 'x', time: 10 }], [{ key: 'A', value: 'x', time: 5 }])).toEqual([Number.NaN]);
  });
});
