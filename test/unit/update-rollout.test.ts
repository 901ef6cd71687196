import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/gws/logger';
import type { Clock } from '../../main/agent/session';
import type { UpdateConfig, UpdaterState } from '../../main/desktop/update-decision';
import { isWrappingUp, rolloutBucket, updateConfig, updateDecision } from '../../main/desktop/update-decision';
import type { UpdaterEvent, UpdaterPort } from '../../main/desktop/update-service';
import { UpdateService } from '../../main/desktop/update-service';
import { call, signedIn, withCalls, withRecord } from './desktop-fixtures';

const packaged = { isPackaged: true, platform: 'win32' as const };
const broad = updateConfig({}, packaged);
const early = updateConfig({ updates: { ring: 'early' } }, packaged);
const idle = signedIn('Ready');
const available = (extra: Partial<UpdaterState> = {}): UpdaterState => ({ phase: 'available', currentVersion: '1.0.0', version: '1.1.0', now: 0, ...extra });

describe('staged rollouts', () => {
  it('the ring comes from the policy; broad is the default', () => {
    expect(broad.ring).toBe('broad');
    expect(early.ring).toBe('early');
  });

  it('broad: downloads only when the machine is inside the feed’s stagingPercentage', () => {
    expect(updateDecision(available({ stagingPercentage: 10, rolloutBucket: 9.99 }), idle, broad)).toEqual({ kind: 'download', version: '1.1.0' });
    expect(updateDecision(available({ stagingPercentage: 10, rolloutBucket: 10 }), idle, broad)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('staged rollout at 10%') });
    expect(updateDecision(available({ stagingPercentage: 0, rolloutBucket: 0 }), idle, broad)).toMatchObject({ kind: 'ignore' });
    expect(updateDecision(available({ stagingPercentage: 100, rolloutBucket: 99.9 }), idle, broad)).toMatchObject({ kind: 'download' });
    expect(updateDecision(available({ rolloutBucket: 99.9 }), idle, broad)).toMatchObject({ kind: 'download' }); // no percentage: everyone
  });

  it('early: takes a release at once whatever the percentage', () => {
    expect(updateDecision(available({ stagingPercentage: 0, rolloutBucket: 50 }), idle, early)).toEqual({ kind: 'download', version: '1.1.0' });
  });

  it('a pinned version is IT’s decision: staging does not hold it back; other versions stay ignored', () => {
    const pinned: UpdateConfig = { ...broad, pinnedVersion: '1.1.0' };
    expect(updateDecision(available({ stagingPercentage: 5, rolloutBucket: 80 }), idle, pinned)).toMatchObject({ kind: 'download' });
    expect(updateDecision(available({ version: '1.2.0', stagingPercentage: 100 }), idle, pinned)).toMatchObject({ kind: 'ignore', reason: 'IT pinned version 1.1.0' });
  });

  it('a pin older than the installed version never downgrades, and says so', () => {
    const pinned: UpdateConfig = { ...early, pinnedVersion: '1.1.0' };
    const decision = updateDecision(available({ currentVersion: '1.3.0', version: '1.1.0' }), idle, pinned);
    expect(decision).toEqual({ kind: 'ignore', version: '1.1.0', reason: 'IT pinned version 1.1.0, older than the installed 1.3.0: never a downgrade' });
    expect(updateDecision(available({ currentVersion: '1.3.0', version: '1.4.0' }), idle, pinned)).toMatchObject({ kind: 'ignore' });
  });

  it('disabled wins over everything', () => {
    const off = updateConfig({ updates: { disabled: true, ring: 'early', pinnedVersion: '1.1.0' } }, packaged);
    expect(updateDecision(available({ stagingPercentage: 100 }), idle, off)).toMatchObject({ kind: 'disabled' });
  });

  it('the bucket is stable per installation and spread over 0–100', () => {
    expect(rolloutBucket('a1b2')).toBe(rolloutBucket('a1b2'));
    const buckets = Array.from({ length: 2000 }, (_, i) => rolloutBucket(`install-${i}`));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
    const inside = buckets.filter((b) => b < 10).length / buckets.length;
    expect(inside).toBeGreaterThan(0.07);
    expect(inside).toBeLessThan(0.13);
  });
});

describe('never applied during a call or a wrap-up', () => {
  const ready: UpdaterState = { phase: 'downloaded', currentVersion: '1.0.0', version: '1.1.0', now: 0, restartRequested: true };

  it('blocks the restart during a call, After Call Work and a record in wrap-up', () => {
    expect(updateDecision(ready, withCalls(idle, call('c1', 'Held')), broad)).toMatchObject({ kind: 'restart-blocked', reason: expect.stringContaining('call') });
    expect(updateDecision(ready, signedIn('AfterCallWork'), broad)).toMatchObject({ kind: 'restart-blocked', reason: expect.stringContaining('Wrap-up') });
    expect(updateDecision(ready, signedIn('NotReady', { workMode: 'AfterCallWork' }), broad)).toMatchObject({ kind: 'restart-blocked' });
    expect(updateDecision(ready, withRecord(idle, 1, 'wrap-up'), broad)).toMatchObject({ kind: 'restart-blocked' });
    expect(updateDecision(ready, withRecord(idle, 1, 'completing'), broad)).toMatchObject({ kind: 'restart-blocked' });
    expect(isWrappingUp(withRecord(idle, 1, 'offered'))).toBe(false);
    expect(updateDecision(ready, withRecord(idle, 1, 'done'), broad)).toEqual({ kind: 'restart', version: '1.1.0' });
  });
});

describe('UpdateService with a staged feed', () => {
  const clock: Clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined };

  function service(config: UpdateConfig, installationId: string) {
    let listener: (e: UpdaterEvent) => void = () => {};
    const calls: string[] = [];
    const port: UpdaterPort = {
      configure: () => void calls.push('configure'),
      check: () => (calls.push('check'), Promise.resolve()),
      download: () => (calls.push('download'), Promise.resolve()),
      quitAndInstall: () => void calls.push('install'),
      onEvent: (l) => ((listener = l), () => {}),
      installationId: () => installationId,
    };
    const s = new UpdateService({ port, config, currentVersion: '1.0.0', snapshot: () => idle, publish: () => {}, clock, log: silentLogger });
    s.start();
    return { calls, emit: (e: UpdaterEvent) => listener(e) };
  }

  // Two installation ids on either side of a 50 % rollout.
  const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
  const inside = ids.find((id) => rolloutBucket(id) < 50) ?? '';
  const outside = ids.find((id) => rolloutBucket(id) >= 50) ?? '';

  it('downloads on a machine inside the percentage, not outside it, and takes it at the next check once the feed reaches 100 %', () => {
    const a = service(broad, inside);
    a.emit({ type: 'available', version: '1.1.0', stagingPercentage: 50 });
    expect(a.calls).toContain('download');
    const b = service(broad, outside);
    b.emit({ type: 'available', version: '1.1.0', stagingPercentage: 50 });
    expect(b.calls).not.toContain('download');
    b.emit({ type: 'available', version: '1.1.0' });
    expect(b.calls).toContain('download');
    const c = service(early, outside);
    c.emit({ type: 'available', version: '1.1.0', stagingPercentage: 1 });
    expect(c.calls).toContain('download');
  });
});
