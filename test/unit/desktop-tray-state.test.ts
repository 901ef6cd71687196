import { describe, expect, it } from 'vitest';
import { initialSnapshot, type AgentSnapshot } from '../../main/agent/snapshot';
import type { TrayMenuItem } from '../../main/desktop/tray-state';
import { clockTime } from '../../main/desktop/agent-view';
import { trayIconFile, trayState } from '../../main/desktop/tray-state';
import { T0, call, campaign, inOutage, localAt, signedIn, withCalls, withConnection, withRecord } from './desktop-fixtures';

function find(menu: TrayMenuItem[], label: string): TrayMenuItem | undefined {
  return menu.find((i) => i.kind !== 'separator' && i.label.startsWith(label));
}

describe('trayState', () => {
  it('says when the wrap-up time runs out in After Call Work (the server’s WrapUpTime), in the agent’s language', () => {
    const acw = signedIn('NotReady', { workMode: 'AfterCallWork' });
    // The call ended 5 s after the agent entered After Call Work, with 30 s of wrap-up time.
    const history = [{ ...({} as AgentSnapshot['callHistory'][number]), id: 'c1', endedAt: T0 + 5_000, wrapUpTime: 30 }];
    const snapshot: AgentSnapshot = { ...acw, callHistory: history };
    const endsAt = T0 + 35_000;
    const time = clockTime(endsAt, T0 + 10_000, 'en-GB', true);
    expect(trayState(snapshot, { now: T0 + 10_000, locale: 'en-GB' }).tooltip).toBe(`GWS Softphone — After Call Work — wrap-up ends at ${time}`);
    expect(trayState(snapshot, { now: T0 + 10_000, language: 'es', locale: 'en-GB' }).tooltip).toContain('el cierre termina a las');
    // Once it has run out (or without a time), only the state.
    expect(trayState(snapshot, { now: endsAt + 1 }).tooltip).toBe('GWS Softphone — After Call Work');
    expect(trayState(acw, { now: T0 + 10_000 }).tooltip).toBe('GWS Softphone — After Call Work');
  });

  it('shows offline with everything but Show/Quit disabled before sign-in', () => {
    const state = trayState(initialSnapshot(T0));
    expect(state.status).toBe('offline');
    expect(state.tooltip).toBe('GWS Softphone — Offline (not signed in)');
    expect(find(state.menu, 'Ready')).toMatchObject({ enabled: false });
    expect(find(state.menu, 'Not Ready')).toMatchObject({ kind: 'submenu', enabled: false });
    expect(find(state.menu, 'Show')).toMatchObject({ enabled: true, action: { type: 'show' } });
    expect(find(state.menu, 'Quit')).toMatchObject({ enabled: true, action: { type: 'quit' } });
  });

  it('names each agent state in words', () => {
    expect(trayState(signedIn('Ready'))).toMatchObject({ status: 'ready', tooltip: 'GWS Softphone — Ready' });
    expect(trayState(signedIn('NotReady', { reason: 'Lunch' }))).toMatchObject({ status: 'not-ready', tooltip: 'GWS Softphone — Not Ready (Lunch)' });
    expect(trayState(signedIn('NotReady', { workMode: 'AfterCallWork' }))).toMatchObject({ status: 'after-call-work', tooltip: 'GWS Softphone — After Call Work' });
    expect(trayState(signedIn('AfterCallWork'))).toMatchObject({ status: 'after-call-work' });
    expect(trayState(withConnection(signedIn('Ready'), 'reconnecting', T0 + 9)).tooltip).toBe(`GWS Softphone — Ready (offline since ${clockTime(T0 + 9, T0 + 9)}, reconnecting…)`);
  });

  it('says since when the agent is offline, and that the calls are being checked once the link is back', () => {
    const at = localAt(10, 42);
    const offline = trayState(inOutage(signedIn('Ready'), 'reconnecting', at), { now: at + 5_000, locale: 'en-GB' });
    expect(offline).toMatchObject({ status: 'ready', tooltip: 'GWS Softphone — Ready (offline since 10:42, reconnecting…)' });
    expect(offline.menu[0]).toMatchObject({ kind: 'item', label: 'Offline since 10:42 — reconnecting…', enabled: false });
    expect(find(offline.menu, 'Ready')).toMatchObject({ enabled: false });

    const resyncing = trayState(inOutage(withCalls(signedIn('Ready'), call('c1', 'Established')), 'resyncing', at, at + 20_000), { now: at + 21_000, locale: 'en-GB' });
    expect(resyncing).toMatchObject({ status: 'on-call', tooltip: 'GWS Softphone — On a call with Carol Customer (+15551234567) (reconnected, checking calls…)' });
    expect(resyncing.menu[0]).toMatchObject({ label: 'Reconnected — checking calls…', enabled: false });
    expect(find(resyncing.menu, 'Not Ready')).toMatchObject({ enabled: false });
  });

  it('escalates after a minute: the offline icon, and that calls may still ring on the phone', () => {
    const at = localAt(10, 42);
    const snapshot = inOutage(withCalls(signedIn('Ready'), call('c1', 'Established')), 'reconnecting', at, at + 30_000);
    expect(trayState(snapshot, { now: at + 59_999, locale: 'en-GB' }).status).toBe('on-call');
    const escalated = trayState(snapshot, { now: at + 60_000, locale: 'en-GB' });
    expect(escalated.status).toBe('offline');
    expect(escalated.tooltip).toBe('GWS Softphone — Offline since 10:42 — calls may still ring on your phone · On a call with Carol Customer (+15551234567)');
    expect(escalated.tooltip.length).toBeLessThanOrEqual(127);
    expect(escalated.menu[0]).toMatchObject({ label: 'Offline since 10:42 — calls may still ring on your phone', enabled: false });
    // Still re-reading after a minute: the same escalation, in the words of a link that is back.
    const stuck = trayState(inOutage(signedIn('Ready'), 'resyncing', at, at + 50_000), { now: at + 61_000, locale: 'en-GB' });
    expect(stuck).toMatchObject({ status: 'offline', tooltip: 'GWS Softphone — Not confirmed since 10:42 — calls may still ring on your phone · Ready' });
    // Without a clock nothing escalates; connected again, the words are gone.
    expect(trayState(snapshot).status).toBe('on-call');
    expect(trayState(withCalls(signedIn('Ready'), call('c1', 'Established')), { now: at + 120_000 }).menu[0]).toMatchObject({ label: 'Show GWS Softphone' });
  });

  it('writes the time as the locale does (24 h or AM/PM), with the date when it was not today', () => {
    const at = localAt(10, 42);
    expect(clockTime(at, at, 'en-GB')).toBe('10:42');
    expect(clockTime(at, at, 'en-US')).toMatch(/^10:42\sAM$/u);
    expect(clockTime(localAt(22, 5), localAt(22, 5), 'en-US')).toMatch(/^10:05\sPM$/u);
    expect(clockTime(at, at + 86_400_000, 'en-GB')).toBe('1 Jul, 10:42');
    expect(clockTime(at, at, 'not a locale!')).toMatch(/10:42/);
  });

  it('puts a live call before the agent state, and a waiting record before Ready', () => {
    const ringing = trayState(withCalls(signedIn('Ready'), call('c1', 'Ringing')));
    expect(ringing).toMatchObject({ status: 'on-call', tooltip: 'GWS Softphone — Incoming call from Carol Customer (+15551234567)' });
    const two = trayState(withCalls(signedIn('Ready'), call('c1', 'Established'), call('c2', 'Held', { startedAt: T0 + 1 })));
    expect(two.tooltip).toContain('On a call with Carol Customer (+15551234567) (+1 more)');
    const released = trayState(withCalls(signedIn('Ready'), call('c1', 'Released')));
    expect(released.status).toBe('ready');
    const waiting = trayState(withRecord(signedIn('Ready'), 42));
    expect(waiting).toMatchObject({ status: 'preview-waiting', tooltip: 'GWS Softphone — Preview record waiting (Spring): +442071234567' });
  });

  it('offers Ready, the not-ready reasons and checks the current one', () => {
    const state = trayState(signedIn('NotReady', { reason: 'Break', operationName: 'TakeBreak' }));
    const notReady = find(state.menu, 'Not Ready');
    expect(notReady?.kind).toBe('submenu');
    if (notReady?.kind !== 'submenu') return;
    expect(notReady.items.map((i) => (i.kind === 'item' ? [i.label, i.checked, i.action] : null))).toEqual([
      ['Not Ready', false, { type: 'not-ready' }],
      ['Break', true, { type: 'not-ready', operationName: 'TakeBreak' }],
      ['Lunch', false, { type: 'not-ready', operationName: 'OutToLunch' }],
    ]);
    expect(find(state.menu, 'Ready')).toMatchObject({ enabled: true, checked: false, action: { type: 'ready' } });
  });

  it('offers Get record only with an open preview session and no record in hand', () => {
    const none = trayState(signedIn('Ready'));
    expect(find(none.menu, 'Get record')).toMatchObject({ enabled: false });
    const one = trayState({ ...signedIn('Ready'), campaigns: { Spring: campaign('Spring') } });
    expect(find(one.menu, 'Get record')).toMatchObject({ label: 'Get record (Spring)', enabled: true, action: { type: 'get-record', campaignName: 'Spring' } });
    const two = trayState({ ...signedIn('Ready'), campaigns: { Spring: campaign('Spring'), Autumn: campaign('Autumn'), Off: campaign('Off', false) } });
    const submenu = find(two.menu, 'Get record');
    expect(submenu?.kind === 'submenu' && submenu.items.map((i) => i.kind === 'item' && i.label)).toEqual(['Autumn', 'Spring']);
    const inHand = trayState(withRecord({ ...signedIn('Ready'), campaigns: { Spring: campaign('Spring') } }, 7));
    expect(find(inHand.menu, 'Get record')).toMatchObject({ enabled: false });
  });

  it('offers "Restart to update" only outside a call', () => {
    expect(find(trayState(signedIn('Ready'), { updateReady: { version: '1.2.0' } }).menu, 'Restart to update')).toMatchObject({ enabled: true, action: { type: 'install-update' } });
    expect(find(trayState(withCalls(signedIn('Ready'), call('c1', 'Established')), { updateReady: { version: '1.2.0' } }).menu, 'Restart to update')).toMatchObject({
      enabled: false,
    });
    expect(find(trayState(signedIn('Ready')).menu, 'Restart to update')).toBeUndefined();
  });

  it('keeps tooltips within the Windows limit', () => {
    const long = withCalls(signedIn('Ready'), call('c1', 'Established', { participants: [{ phoneNumber: '1', name: 'x'.repeat(300) }] }));
    expect(trayState(long).tooltip.length).toBeLessThanOrEqual(127);
  });

  it('picks template images on macOS, .ico on Windows, PNG on Linux', () => {
    expect(trayIconFile('ready', 'darwin')).toBe('readyTemplate.png');
    expect(trayIconFile('on-call', 'win32')).toBe('on-call.ico');
    expect(trayIconFile('offline', 'linux')).toBe('offline.png');
  });
});
