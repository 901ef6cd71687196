import { describe, expect, it } from 'vitest';
import { WAKE_COALESCE_MS, WakeRule } from '../../main/desktop/wake-rules';

describe('wake rule (OS resume / unlock / network change → session.wake)', () => {
  it('tells the session once for a resume followed by an unlock, and again for a later wake', () => {
    let now = 1_000;
    const told: string[] = [];
    const rule = new WakeRule({ now: () => now }, (reason) => told.push(reason));
    expect(rule.event('resume')).toBe(true);
    now += 800;
    expect(rule.event('unlock-screen')).toBe(false);
    now += WAKE_COALESCE_MS;
    expect(rule.event('unlock-screen')).toBe(true);
    expect(told).toEqual(['resume', 'unlock-screen']);
  });
});
