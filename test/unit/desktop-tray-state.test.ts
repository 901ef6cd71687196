import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../main/agent/snapshot';
import type { TrayMenuItem } from '../../main/desktop/tray-state';
import { trayIconFile, trayState } from '../../main/desktop/tray-state';
import { T0, call, campaign, signedIn, withCalls, withConnection, withRecord } from './desktop-fixtures';

function find(menu: TrayMenuItem[], label: string): TrayMenuItem | undefined {
  return menu.find((i) => i.kind !== 'separator' && i.label.startsWith(label));
}

describe('trayState', () => {
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
    expect(trayState(withConnection(signedIn('Ready'), 'reconnecting', T0 + 9)).tooltip).toBe('GWS Softphone — Ready — reconnecting…');
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
