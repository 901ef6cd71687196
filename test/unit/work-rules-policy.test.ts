// IT policy `workRules` (issue 12 #2, #7): parsed strictly, locked, and the documented example is valid.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy, resolveSettings } from '../../main/desktop/policy';
import { resolveWorkRules } from '../../main/agent/work-rules';

describe('policy workRules', () => {
  it('parses After Call Work and calling hours, and locks them', () => {
    const status = parsePolicy(JSON.stringify({ workRules: { afterCallWork: false, afterComplete: 'ready', callingHours: { start: '09:00', end: '20:00', outside: 'block' } } }), 'p.json');
    expect(status.state).toBe('applied');
    if (status.state !== 'applied') return;
    expect(resolveWorkRules(status.policy.workRules)).toEqual({ afterCallWork: false, afterComplete: 'ready', callingHours: { start: '09:00', end: '20:00', outside: 'block' } });
    expect(resolveSettings({}, status.policy).locked).toContain('workRules');
  });

  it('refuses an unreadable time or mode, naming the key', () => {
    const bad = parsePolicy(JSON.stringify({ workRules: { callingHours: { start: '8am', outside: 'sometimes' } } }), 'p.json');
    expect(bad.state).toBe('invalid');
    if (bad.state === 'invalid') {
      expect(bad.problem).toContain('workRules.callingHours.start');
      expect(bad.problem).toContain('workRules.callingHours.outside');
    }
  });

  it('the example in docs/it-deployment.md is a valid policy', () => {
    const doc = readFileSync('docs/it-deployment.md', 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1] ?? '';
    const status = parsePolicy(example, 'doc');
    expect(status.state).toBe('applied');
    if (status.state === 'applied') expect(status.policy.workRules?.callingHours?.outside).toBe('ask');
  });
});
