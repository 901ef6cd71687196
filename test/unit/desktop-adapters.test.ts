/** The thin Electron adapters, against a mocked `electron` (no binary on this machine). */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const appListeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const trays: { image: unknown; tooltip?: string; menu?: unknown; listeners: Record<string, () => void>; setImage: (i: unknown) => void }[] = [];
  const notifications: { options: Record<string, unknown>; listeners: Record<string, (...a: unknown[]) => void>; shown: boolean }[] = [];
  return {
    appListeners,
    trays,
    notifications,
    app: {
      on: (event: string, fn: (...args: unknown[]) => void) => appListeners.set(event, [...(appListeners.get(event) ?? []), fn]),
      setAsDefaultProtocolClient: vi.fn(() => true),
      setLoginItemSettings: vi.fn(),
      getLoginItemSettings: vi.fn(() => ({ wasOpenedAtLogin: false })),
      isPackaged: true,
    },
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })) },
    nativeImage: { createFromPath: vi.fn((path: string) => ({ path, setTemplateImage: vi.fn() })) },
    Tray: class {
      listeners: Record<string, () => void> = {};
      tooltip?: string;
      menu?: unknown;
      constructor(public image: unknown) {
        trays.push(this);
      }
      on(event: string, fn: () => void) {
        this.listeners[event] = fn;
      }
      setImage(image: unknown) {
        this.image = image;
      }
      setToolTip(text: string) {
        this.tooltip = text;
      }
      setContextMenu(menu: unknown) {
        this.menu = menu;
      }
      destroy() {}
    },
    Notification: class {
      static isSupported(): boolean {
        return true;
      }
      listeners: Record<string, (...a: unknown[]) => void> = {};
      shown = false;
      constructor(public options: Record<string, unknown>) {
        notifications.push(this);
      }
      on(event: string, fn: (...a: unknown[]) => void) {
        this.listeners[event] = fn;
      }
      show() {
        this.shown = true;
      }
    },
  };
});
vi.mock('electron', () => ({ ...electron, default: electron }));

import { createNotifier } from '../../main/desktop/electron/notifier';
import { listenForPhoneLinks } from '../../main/desktop/electron/protocol';
import { createTray } from '../../main/desktop/electron/tray';
import { trayState } from '../../main/desktop/tray-state';
import { signedIn } from './desktop-fixtures';

beforeEach(() => {
  electron.trays.length = 0;
  electron.notifications.length = 0;
});

describe('tray adapter', () => {
  it('builds the Tray and Menu from the model and routes clicks to actions', () => {
    const actions: unknown[] = [];
    const tray = createTray('/icons', (a) => actions.push(a));
    tray.render(trayState(signedIn('Ready')));
    const t = electron.trays[0]!;
    expect(t.tooltip).toBe('GWS Softphone — Ready');
    const template = (t.menu as { template: { label?: string; click?: () => void; submenu?: unknown[]; type?: string; checked?: boolean }[] }).template;
    expect(template.map((i) => i.label ?? i.type)).toEqual(['Show GWS Softphone', 'separator', 'Ready', 'Not Ready', 'Get record', 'separator', 'Export diagnostics…', 'separator', 'Quit']);
    expect(template[2]).toMatchObject({ type: 'checkbox', checked: true });
    template.find((i) => i.label === 'Quit')!.click!();
    t.listeners.click!();
    expect(actions).toEqual([{ type: 'quit' }, { type: 'show' }]);
    tray.render(trayState(signedIn('NotReady')));
    expect(electron.trays).toHaveLength(1);
    expect((t.image as { path: string }).path).toMatch(/not-ready\.(png|ico)$|not-readyTemplate\.png$/);
  });
});

describe('notification adapter', () => {
  it('maps a notification and its button presses', () => {
    const notifier = createNotifier();
    const click = vi.fn();
    const action = vi.fn();
    notifier.show({ key: 'ringing:c1', kind: 'incoming-call', title: 'Incoming call', body: 'from X', callId: 'c1', actions: ['answer', 'decline'], urgency: 'critical' }, { click, action });
    const n = electron.notifications[0]!;
    expect(n.shown).toBe(true);
    expect(n.options).toMatchObject({ title: 'Incoming call', body: 'from X', urgency: 'critical', silent: false, timeoutType: 'never' });
    n.listeners.click!();
    expect(click).toHaveBeenCalled();
    if (process.platform === 'linux') expect(n.options.actions).toEqual([]);
    else {
      n.listeners.action!({ actionIndex: 1 });
      expect(action).toHaveBeenCalledWith('decline');
    }
  });
});

describe('phone link adapter', () => {
  it('registers tel: and callto:, queues early links and hears second instances and open-url', () => {
    const links = listenForPhoneLinks();
    links.register();
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('tel');
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('callto');
    const openUrl = electron.appListeners.get('open-url')!.at(-1)!;
    const preventDefault = vi.fn();
    openUrl({ preventDefault }, 'tel:+1 555 0100');
    const got: string[] = [];
    links.setHandler((u) => got.push(u));
    electron.appListeners.get('second-instance')!.at(-1)!({}, ['/opt/app', '--flag', 'callto://+44 20']);
    expect(got).toEqual(['tel:+1 555 0100', 'callto://+44 20']);
    expect(preventDefault).toHaveBeenCalled();
  });
});
