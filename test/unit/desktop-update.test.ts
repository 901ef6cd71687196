import { describe, expect, it } from 'vitest';
import type { Clock } from '../../main/agent/session';
import { silentLogger } from '../../main/gws/logger';
import type { UpdateConfig } from '../../main/desktop/update-decision';
import { CHECK_INTERVAL_MS, compareVersions, updateConfig, updateDecision } from '../../main/desktop/update-decision';
import type { AppUpdateInfo, UpdaterEvent, UpdaterPort } from '../../main/desktop/update-service';
import { UpdateService } from '../../main/desktop/update-service';
import { call, signedIn, withCalls } from './desktop-fixtures';

const packaged = { isPackaged: true, platform: 'win32' as const };
const on = updateConfig({}, packaged);
const idle = signedIn('Ready');
const onCall = withCalls(idle, call('c1', 'Established'));

describe('updateConfig', () => {
  it('follows the policy: feed, channel, disabled, pinned; never downgrades', () => {
    expect(updateConfig({ updates: { feedUrl: 'https://u.corp/', channel: 'beta', pinnedVersion: '1.2.3' } }, packaged)).toEqual({
      enabled: true,
      feedUrl: 'https://u.corp/',
      channel: 'beta',
      ring: 'broad',
      allowPrerelease: true,
      allowDowngrade: false,
      pinnedVersion: '1.2.3',
    });
    expect(updateConfig({ updates: { disabled: true } }, packaged)).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('IT') });
    expect(updateConfig({}, { isPackaged: false, platform: 'win32' }).enabled).toBe(false);
    expect(updateConfig({}, { isPackaged: true, platform: 'linux' }).enabled).toBe(false);
    expect(updateConfig({}, { isPackaged: true, platform: 'linux', appImage: '/home/a/GWS.AppImage' }).enabled).toBe(true);
  });

  it('compares versions', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.2.0-beta.1', '1.2.0')).toBe(-1);
    expect(compareVersions('v1.2.0', '1.2.0')).toBe(0);
  });
});

describe('updateDecision', () => {
  const base = { currentVersion: '1.0.0', now: 10 * CHECK_INTERVAL_MS };

  it('checks at start and every 4 hours', () => {
    expect(updateDecision({ ...base, phase: 'idle' }, idle, on)).toEqual({ kind: 'check' });
    expect(updateDecision({ ...base, phase: 'idle', lastCheckAt: base.now - CHECK_INTERVAL_MS + 1 }, idle, on)).toEqual({ kind: 'wait' });
    expect(updateDecision({ ...base, phase: 'error', lastCheckAt: base.now - CHECK_INTERVAL_MS }, idle, on)).toEqual({ kind: 'check' });
  });

  it('downloads newer versions only, and only the pinned one', () => {
    expect(updateDecision({ ...base, phase: 'available', version: '1.1.0' }, idle, on)).toEqual({ kind: 'download', version: '1.1.0' });
    expect(updateDecision({ ...base, phase: 'available', version: '0.9.0' }, idle, on)).toMatchObject({ kind: 'ignore' });
    const pinned: UpdateConfig = { ...on, pinnedVersion: '1.1.0' };
    expect(updateDecision({ ...base, phase: 'available', version: '1.2.0' }, idle, pinned)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('1.1.0') });
    expect(updateDecision({ ...base, phase: 'available', version: '1.1.0' }, idle, pinned)).toMatchObject({ kind: 'download' });
    expect(updateDecision({ ...base, currentVersion: '1.3.0', phase: 'available', version: '1.1.0' }, idle, pinned)).toMatchObject({ kind: 'ignore' });
  });

  it('never restarts during a call', () => {
    const ready = { ...base, phase: 'downloaded' as const, version: '1.1.0' };
    expect(updateDecision(ready, onCall, on)).toEqual({ kind: 'offer-restart', version: '1.1.0' });
    expect(updateDecision({ ...ready, restartRequested: true }, onCall, on)).toMatchObject({ kind: 'restart-blocked' });
    expect(updateDecision({ ...ready, restartRequested: true }, withCalls(idle, call('c1', 'Ringing')), on)).toMatchObject({ kind: 'restart-blocked' });
    expect(updateDecision({ ...ready, restartRequested: true }, idle, on)).toEqual({ kind: 'restart', version: '1.1.0' });
  });

  it('does nothing when IT disabled updates', () => {
    expect(updateDecision({ ...base, phase: 'downloaded', version: '2.0.0', restartRequested: true }, idle, updateConfig({ updates: { disabled: true } }, packaged))).toMatchObject({
      kind: 'disabled',
    });
  });
});

class FakeClock implements Clock {
  t = 0;
  timers: { at: number; fn: () => void }[] = [];
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t !== handle);
  };
  advance(ms: number) {
    this.t += ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= this.t);
      if (!due.length) break;
      this.timers = this.timers.filter((t) => t.at > this.t);
      for (const t of due) t.fn();
    }
  }
}

function fakePort() {
  let listener: (e: UpdaterEvent) => void = () => {};
  const calls: string[] = [];
  const port: UpdaterPort = {
    configure: (c) => void calls.push(`configure:${c.feedUrl ?? ''}`),
    check: () => (calls.push('check'), Promise.resolve()),
    download: () => (calls.push('download'), Promise.resolve()),
    quitAndInstall: () => void calls.push('install'),
    onEvent: (l) => ((listener = l), () => {}),
  };
  return { port, calls, emit: (e: UpdaterEvent) => listener(e) };
}

describe('UpdateService', () => {
  it('checks at start and every 4 h, downloads, offers restart, refuses it during a call', () => {
    const clock = new FakeClock();
    const { port, calls, emit } = fakePort();
    const published: AppUpdateInfo[] = [];
    let snapshot = onCall;
    const service = new UpdateService({ port, config: { ...on, feedUrl: 'https://u/' }, currentVersion: '1.0.0', snapshot: () => snapshot, publish: (u) => published.push(u), clock, log: silentLogger });
    service.start();
    expect(calls).toEqual(['configure:https://u/', 'check']);
    emit({ type: 'not-available' });
    clock.advance(CHECK_INTERVAL_MS - 1);
    expect(calls.filter((c) => c === 'check')).toHaveLength(1);
    clock.advance(30 * 60 * 1000);
    expect(calls.filter((c) => c === 'check')).toHaveLength(2);
    emit({ type: 'available', version: '1.1.0' });
    expect(calls.at(-1)).toBe('download');
    emit({ type: 'downloaded', version: '1.1.0' });
    expect(published.at(-1)).toEqual({ state: 'ready', version: '1.1.0' });
    expect(service.requestRestart().kind).toBe('restart-blocked');
    expect(calls).not.toContain('install');
    snapshot = idle;
    expect(service.requestRestart().kind).toBe('restart');
    expect(calls.at(-1)).toBe('install');
    service.dispose();
  });

  it('publishes "disabled" and never touches the updater when IT turned updates off', () => {
    const { port, calls } = fakePort();
    const published: AppUpdateInfo[] = [];
    new UpdateService({ port, config: updateConfig({ updates: { disabled: true } }, packaged), currentVersion: '1.0.0', snapshot: () => idle, publish: (u) => published.push(u), clock: new FakeClock(), log: silentLogger }).start();
    expect(calls).toEqual([]);
    expect(published).toEqual([{ state: 'disabled', message: 'Updates are turned off by your IT department.' }]);
  });
});
