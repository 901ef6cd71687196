/**
 * The desktop shell in the agent's language (issue 13): the tray's menu and tooltip, the OS
 * toasts and their buttons, refusals and the quit question, each with real words (plurals where a
 * count is shown), and the controller following a change of language at once.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import type { AgentSnapshot, OutboundRecordSnapshot } from '../../main/agent/snapshot';
import { silentLogger } from '../../main/gws/logger';
import { formatLocale } from '../../main/desktop/agent-view';
import type { DesktopControllerDeps, NotifierPort } from '../../main/desktop/controller';
import { DesktopController } from '../../main/desktop/controller';
import { hotkeyDecision } from '../../main/desktop/hotkey-rules';
import type { DesktopNotification, NotificationActionId } from '../../main/desktop/notification-rules';
import {
  DEFAULT_NOTIFICATION_TOGGLES,
  hotkeysNotActiveNotification,
  notificationActionLabels,
  notificationsFor,
  outageNotifications,
  refusedNotification,
} from '../../main/desktop/notification-rules';
import { quitDecision } from '../../main/desktop/quit-decision';
import type { TrayMenuItem, TrayState } from '../../main/desktop/tray-state';
import { trayState } from '../../main/desktop/tray-state';
import type { Language } from '../../preload/i18n';
import { T0, call, campaign, inOutage, signedIn, withCalls, withRecord } from './desktop-fixtures';

const labels = (menu: TrayMenuItem[]) => menu.map((item) => (item.kind === 'separator' ? '—' : item.label));

function customerRecord(handle: number): OutboundRecordSnapshot {
  return { recordHandle: handle, phoneNumber: '+12125550100', campaignName: 'Renewals_Push', timeZone: 'America/New_York', otherFields: { customer_name: 'Grace Hopper' }, userData: {}, wire: {} };
}

function offered(snapshot: AgentSnapshot, record: OutboundRecordSnapshot, since: number): AgentSnapshot {
  return { ...snapshot, previewRecord: { phase: 'offered', since, campaignName: 'Renewals_Push', record, chainedRecords: [] } };
}

/** 15:00 UTC on Monday 1 July 2024: 11:00 in New York. */
const NY_MORNING = Date.UTC(2024, 6, 1, 15, 0);

describe('the tray in Spanish', () => {
  it('has the menu in Spanish; reason names, campaigns and the app name stay as they are', () => {
    const snapshot = { ...signedIn('Ready'), campaigns: { Spring: campaign('Spring') } };
    const state = trayState(snapshot, { language: 'es', updateReady: { version: '1.2.0' } });
    expect(labels(state.menu)).toEqual([
      'Mostrar GWS Softphone',
      '—',
      'Disponible',
      'No disponible',
      'Obtener registro (Spring)',
      '—',
      'Reiniciar para actualizar (1.2.0)',
      'Exportar diagnósticos…',
      '—',
      'Salir',
    ]);
    const notReady = state.menu.find((item) => item.kind === 'submenu' && item.label === 'No disponible');
    expect(notReady?.kind === 'submenu' && labels(notReady.items)).toEqual(['No disponible', 'Break', 'Lunch']);
    expect(state.tooltip).toBe('GWS Softphone — Disponible');
    expect(trayState(signedIn('NotReady', { workMode: 'AfterCallWork' }), { language: 'es' }).tooltip).toBe('GWS Softphone — Trabajo posterior a la llamada');
    expect(trayState(signedIn('NotReady', { reason: 'Lunch' }), { language: 'es' }).tooltip).toBe('GWS Softphone — No disponible (Lunch)');
  });

  it('counts the other calls with a plural, and names the first call by its state', () => {
    const two = withCalls(signedIn('Ready'), call('c1', 'Ringing'), call('c2', 'Held', { startedAt: T0 + 1 }));
    expect(trayState(two, { language: 'es' }).tooltip).toBe('GWS Softphone — Llamada entrante de Carol Customer (+15551234567) (+1 más)');
    expect(trayState(withCalls(signedIn('Ready'), call('c1', 'Held')), { language: 'es' }).tooltip).toBe('GWS Softphone — En espera con Carol Customer (+15551234567)');
    // French shows the plural in the word itself.
    const three = withCalls(two, call('c1', 'Established'), call('c2', 'Held', { startedAt: T0 + 1 }), call('c3', 'Held', { startedAt: T0 + 2 }));
    expect(trayState(two, { language: 'fr' }).tooltip).toMatch(/\(\+1 autre\)$/);
    expect(trayState(three, { language: 'fr' }).tooltip).toBe('GWS Softphone — En communication avec Carol Customer (+15551234567) (+2 autres)');
    // English is unchanged.
    expect(trayState(three).tooltip).toBe('GWS Softphone — On a call with Carol Customer (+15551234567) (+2 more)');
  });

  it('says an outage in Spanish, the time written the Spanish way', () => {
    const at = new Date(2024, 6, 1, 22, 5).getTime();
    const state = trayState(inOutage(signedIn('Ready'), 'reconnecting', at), { now: at + 5_000, language: 'es', locale: 'en-US' });
    // An English (US) system locale does not put "10:05 p. m." in a Spanish sentence: the time follows the language.
    expect(state.tooltip).toBe('GWS Softphone — Disponible (sin conexión desde 22:05, reconectando…)');
    expect(labels(state.menu)[0]).toBe('Sin conexión desde 22:05 — reconectando…');
  });
});

describe('toasts in Spanish', () => {
  it('announces a preview record in Spanish, with the customer time in Spanish and Spanish buttons', () => {
    const ready = signedIn('Ready');
    const [toast] = notificationsFor(ready, offered(ready, customerRecord(7), NY_MORNING), DEFAULT_NOTIFICATION_TOGGLES, 'en-GB', 'es');
    expect(toast).toEqual({
      key: 'record:7',
      kind: 'preview-record',
      title: 'Registro: Grace Hopper',
      body: 'Grace Hopper · +12125550100\nHora local: lun, 11:00\nCampaña: Renewals_Push',
      recordHandle: 7,
      actions: ['dial', 'reject'],
      urgency: 'normal',
    });
    expect(notificationActionLabels('es')).toEqual({ answer: 'Contestar', decline: 'Rechazar', dial: 'Marcar', reject: 'Rechazar' });
    expect(notificationsFor(ready, withRecord(ready, 42), DEFAULT_NOTIFICATION_TOGGLES, undefined, 'es')).toMatchObject([
      { title: 'Registro', body: '+442071234567\nHora local desconocida\nCampaña: Spring' },
    ]);
  });

  it('words calls, outages and refusals in Spanish, with plurals for counts', () => {
    const ready = signedIn('Ready');
    expect(notificationsFor(ready, withCalls(ready, call('c1', 'Ringing')), DEFAULT_NOTIFICATION_TOGGLES, undefined, 'es')).toMatchObject([
      { title: 'Llamada entrante', body: 'Llamada entrante de Carol Customer (+15551234567)' },
    ]);
    const at = new Date(2024, 6, 1, 10, 42).getTime();
    expect(outageNotifications(inOutage(ready, 'reconnecting', at), at + 60_000, DEFAULT_NOTIFICATION_TOGGLES, 'es-MX', 'es')).toMatchObject([
      // A Mexican system locale keeps its 12-hour clock in a Spanish sentence.
      { title: 'Sigues sin conexión', body: expect.stringMatching(/^Sin conexión desde 10:42\sa\.\s?m\. — las llamadas aún pueden sonar en tu teléfono\. Contéstalas allí/u) },
    ]);
    expect(hotkeysNotActiveNotification(['a.'], 1, 'es').title).toBe('Una tecla de acceso rápido global no está activa');
    expect(hotkeysNotActiveNotification(['a.', 'b.'], 1, 'es')).toMatchObject({
      title: '2 teclas de acceso rápido globales no están activas',
      body: 'a. b. Consulta Configuración → Teclas de acceso rápido globales.',
    });
    const refusal = hotkeyDecision('dialRecord', ready, { now: T0, language: 'es' });
    expect(refusal).toEqual({ kind: 'refuse', what: 'dial the preview record', reason: 'No tienes ningún registro asignado.' });
    if (refusal.kind === 'refuse') expect(refusedNotification(refusal.what, refusal.reason, 1, 'es').title).toBe('No se pudo marcar el registro');
  });

  it('asks before quitting during calls in Spanish, one call or several', () => {
    const one = quitDecision(withCalls(signedIn('Ready'), call('c1', 'Held')), 'es');
    expect(one).toMatchObject({ kind: 'confirm', message: '¿Salir de GWS Softphone durante una llamada?', stayButton: 'Quedarse', quitButton: 'Salir' });
    expect(one.kind === 'confirm' && one.detail).toMatch(/^Hay una llamada en curso con Carol Customer \(\+15551234567\)\. Al salir/);
    const two = quitDecision(withCalls(signedIn('Ready'), call('c1', 'Dialing'), call('c2', 'Established')), 'es');
    expect(two.kind === 'confirm' && two.detail).toMatch(/^Hay llamadas en curso \(2 llamadas\)\./);
  });
});

describe('formatLocale', () => {
  it("keeps the agent's region when it is of their language, else writes times in the language", () => {
    expect(formatLocale('en', 'en-GB')).toBe('en-GB');
    expect(formatLocale('es', 'es_MX')).toBe('es-MX');
    expect(formatLocale('en', 'en-!!')).toBe('en');
    expect(formatLocale('es', 'en-US')).toBe('es');
    expect(formatLocale('de', undefined)).toBe('de');
  });
});

describe('the controller follows the language', () => {
  function harness(language: { current: Language }) {
    let snapshot: AgentSnapshot = signedIn('Ready');
    let listener: (s: AgentSnapshot, changes: (keyof AgentSnapshot)[]) => void = () => {};
    const session = {
      get snapshot() {
        return snapshot;
      },
      onDidChange: (l: (s: AgentSnapshot, changes: (keyof AgentSnapshot)[]) => void) => ((listener = l), { dispose: () => {} }),
    } satisfies Partial<AgentSession>;
    const shown: { n: DesktopNotification; labels?: Record<NotificationActionId, string> }[] = [];
    const notifier: NotifierPort = { supported: true, show: (n, _h, options) => void shown.push({ n, ...(options && { labels: options.actionLabels }) }) };
    const trays: TrayState[] = [];
    const deps: DesktopControllerDeps = {
      session: session as unknown as DesktopControllerDeps['session'],
      core: { emit: vi.fn() },
      tray: { render: (s) => void trays.push(s) },
      notifier,
      window: { show: vi.fn(), raise: vi.fn() },
      settings: () => ({ notifications: DEFAULT_NOTIFICATION_TOGGLES, raiseOnRing: false }),
      requestQuit: vi.fn(),
      installUpdate: vi.fn(),
      exportDiagnostics: vi.fn(),
      log: silentLogger,
      now: () => T0,
      language: () => language.current,
    };
    const controller = new DesktopController(deps);
    controller.start();
    const push = (next: AgentSnapshot) => {
      snapshot = next;
      listener(next, []);
    };
    return { controller, trays, shown, push };
  }

  it('re-renders the tray when the language changes, and words toasts and refusals in it', () => {
    const language: { current: Language } = { current: 'en' };
    const h = harness(language);
    expect(h.trays.at(-1)?.tooltip).toBe('GWS Softphone — Ready');
    language.current = 'es';
    h.controller.languageChanged();
    expect(h.trays.at(-1)?.tooltip).toBe('GWS Softphone — Disponible');
    expect(labels(h.trays.at(-1)!.menu).at(-1)).toBe('Salir');
    h.push(withCalls(signedIn('Ready'), call('c1', 'Ringing')));
    expect(h.shown.at(-1)).toMatchObject({ n: { title: 'Llamada entrante' }, labels: { answer: 'Contestar', decline: 'Rechazar' } });
    h.controller.handleHotkey('holdRetrieve');
    expect(h.shown.at(-1)?.n).toMatchObject({ title: 'No se pudo poner en espera ni recuperar la llamada', body: 'La llamada no se puede poner en espera ni recuperar ahora.' });
    expect(h.controller.testNotification()).toBe(true);
    expect(h.shown.at(-1)?.n).toMatchObject({ title: 'GWS Softphone', body: 'Las notificaciones funcionan: así se anunciarán las llamadas entrantes.' });
  });
});
