/**
 * What the tray shows for an agent snapshot: an icon per agent status, a tooltip in words (the
 * icon's colour alone says nothing to a colour-blind agent or a screen reader), and the menu as
 * plain data, in the agent's language (issue 13). The adapter (tray.ts) turns this model into
 * Electron's Tray and Menu.
 */
import { wrapUpEndsAt } from '../../preload/wrap-up-rules';
import type { AgentSnapshot } from '../agent/snapshot';
import { recordInHand } from '../../preload/preview-rules';
import { createTranslator, type Language, type Translator } from '../../preload/i18n';
import { clockTime, formatLocale, isAfterCallWork, isSignedIn, liveCalls, otherParty, outage, outageWords } from './agent-view';

export type TrayStatus = 'offline' | 'ready' | 'not-ready' | 'after-call-work' | 'on-call' | 'preview-waiting';

export type TrayAction =
  | { type: 'show' }
  | { type: 'ready' }
  | { type: 'not-ready'; operationName?: string }
  | { type: 'get-record'; campaignName: string }
  | { type: 'install-update' }
  | { type: 'export-diagnostics' }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'item'; label: string; enabled: boolean; checked?: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; enabled: boolean; items: TrayMenuItem[] }
  | { kind: 'separator' };

export interface TrayState {
  status: TrayStatus;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayOptions {
  /** A downloaded update waits for a restart: offered in the menu (disabled during a call). */
  updateReady?: { version: string };
  /** The time now (epoch ms): an outage older than a minute escalates. Without it, none does. */
  now?: number;
  /**
   * The agent's regional locale for times ("Offline since 10:42" or "10:42 AM"), used when it is
   * one of `language` (en-GB for English); otherwise times follow the language.
   */
  locale?: string;
  /** The language the tooltip and the menu speak (issue 13); English without it. */
  language?: Language;
}

function status(snapshot: AgentSnapshot, options: TrayOptions, tr: Translator): { status: TrayStatus; words: string } {
  if (!isSignedIn(snapshot)) {
    return { status: 'offline', words: tr.t(snapshot.connection.state === 'connecting' ? 'desktop.tray.signingIn' : 'desktop.tray.offline') };
  }
  const agent = agentStatus(snapshot, tr, options);
  const current = outage(snapshot, options.now ?? Number.NEGATIVE_INFINITY);
  if (!current) return agent;
  // A minute without a confirmed state: the softphone may miss calls. Lead with that, and show the offline icon.
  if (current.escalated) {
    const words = tr.t('desktop.tray.outageFirst', { outage: outageWords(current, options.now ?? current.since, options.locale, tr.language), status: agent.words });
    return { status: 'offline', words };
  }
  if (current.state === 'resyncing') return { status: agent.status, words: tr.t('desktop.tray.checkingCalls', { status: agent.words }) };
  const time = clockTime(current.since, options.now ?? current.since, formatLocale(tr.language, options.locale));
  return { status: agent.status, words: tr.t('desktop.tray.reconnecting', { status: agent.words, time }) };
}

/** The agent's status as last known: a live call first, then a waiting record, then the agent state. */
function agentStatus(snapshot: AgentSnapshot, tr: Translator, options: TrayOptions): { status: TrayStatus; words: string } {
  const calls = liveCalls(snapshot);
  const first = calls[0];
  if (first) {
    // One message: the verb follows the call's state, "(+2 more)" the other calls (a plural).
    return { status: 'on-call', words: tr.t('desktop.tray.call', { state: first.state, party: otherParty(first, tr.language), more: calls.length - 1 }) };
  }
  const preview = snapshot.previewRecord;
  if (preview.phase === 'offered' && preview.record) {
    const campaign = preview.record.campaignName ?? preview.campaignName;
    const phoneNumber = preview.record.phoneNumber;
    return { status: 'preview-waiting', words: campaign ? tr.t('desktop.tray.recordWaitingCampaign', { campaign, phoneNumber }) : tr.t('desktop.tray.recordWaiting', { phoneNumber }) };
  }
  if (isAfterCallWork(snapshot)) {
    // The wrap-up time from the server (`WrapUpTime`): when it ends, as a clock time (a tray cannot tick every second).
    const endsAt = wrapUpEndsAt(snapshot);
    if (endsAt !== undefined && options.now !== undefined && endsAt > options.now) {
      const time = clockTime(endsAt, options.now, formatLocale(tr.language, options.locale), true);
      return { status: 'after-call-work', words: tr.t('desktop.tray.afterCallWorkUntil', { time }) };
    }
    return { status: 'after-call-work', words: tr.t('desktop.tray.afterCallWork') };
  }
  const userState = snapshot.device?.userState;
  if (userState?.state === 'Ready') return { status: 'ready', words: tr.t('desktop.tray.ready') };
  const configured = userState?.operationName !== undefined ? snapshot.user?.agentStates.find((r) => r.operationName === userState.operationName) : undefined;
  // The reason's name is the server's (configured by the contact center): not translated.
  const reason = configured?.displayName ?? userState?.reason;
  return { status: 'not-ready', words: reason ? tr.t('desktop.tray.notReadyReason', { reason }) : tr.t('desktop.tray.notReady') };
}

/** Campaigns where "Get record" makes sense: a preview session is open and no record is in hand. */
function recordCampaigns(snapshot: AgentSnapshot): string[] {
  if (recordInHand(snapshot.previewRecord)) return [];
  return Object.values(snapshot.campaigns)
    .filter((c) => c.previewSessionActive)
    .map((c) => c.name)
    .sort((a, b) => a.localeCompare(b));
}

export function trayState(snapshot: AgentSnapshot, options: TrayOptions = {}): TrayState {
  const tr = createTranslator(options.language ?? 'en');
  const app = tr.t('common.appName');
  const { status: current, words } = status(snapshot, options, tr);
  const connected = snapshot.connection.state === 'connected';
  const userState = snapshot.device?.userState;
  const isReady = connected && userState?.state === 'Ready';
  const isNotReady = connected && userState?.state === 'NotReady' && !isAfterCallWork(snapshot);
  const reasons = snapshot.user?.agentStates ?? [];
  const onCall = liveCalls(snapshot).length > 0;

  const notReadyItems: TrayMenuItem[] = [
    { kind: 'item', label: tr.t('desktop.tray.notReady'), enabled: connected, checked: isNotReady && userState?.operationName === undefined, action: { type: 'not-ready' } },
    ...reasons.map(
      (r): TrayMenuItem => ({
        kind: 'item',
        label: r.displayName,
        enabled: connected,
        checked: isNotReady && userState?.operationName === r.operationName,
        action: { type: 'not-ready', operationName: r.operationName },
      }),
    ),
  ];

  const campaigns = recordCampaigns(snapshot);
  const getRecord: TrayMenuItem =
    campaigns.length > 1
      ? {
          kind: 'submenu',
          label: tr.t('desktop.tray.getRecord'),
          enabled: connected,
          items: campaigns.map((name): TrayMenuItem => ({ kind: 'item', label: name, enabled: connected, action: { type: 'get-record', campaignName: name } })),
        }
      : {
          kind: 'item',
          label: campaigns[0] ? tr.t('desktop.tray.getRecordCampaign', { campaign: campaigns[0] }) : tr.t('desktop.tray.getRecord'),
          enabled: connected && campaigns.length === 1,
          action: { type: 'get-record', campaignName: campaigns[0] ?? '' },
        };

  const menu: TrayMenuItem[] = [];
  // Linux panels show no tooltips: during an outage, the menu says it on a line of its own.
  const down = outage(snapshot, options.now ?? Number.NEGATIVE_INFINITY);
  if (down) menu.push({ kind: 'item', label: outageWords(down, options.now ?? down.since, options.locale, tr.language), enabled: false, action: { type: 'show' } });
  menu.push(
    { kind: 'item', label: tr.t('desktop.tray.show', { app }), enabled: true, action: { type: 'show' } },
    { kind: 'separator' },
    { kind: 'item', label: tr.t('desktop.tray.ready'), enabled: connected, checked: isReady, action: { type: 'ready' } },
    { kind: 'submenu', label: tr.t('desktop.tray.notReady'), enabled: connected, items: notReadyItems },
    getRecord,
    { kind: 'separator' },
  );
  if (options.updateReady) {
    menu.push({
      kind: 'item',
      label: tr.t(onCall ? 'desktop.tray.restartToUpdateAfterCall' : 'desktop.tray.restartToUpdate', { version: options.updateReady.version }),
      enabled: !onCall,
      action: { type: 'install-update' },
    });
  }
  menu.push({ kind: 'item', label: tr.t('desktop.exportDiagnostics'), enabled: true, action: { type: 'export-diagnostics' } });
  menu.push({ kind: 'separator' });
  menu.push({ kind: 'item', label: tr.t('desktop.tray.quit'), enabled: true, action: { type: 'quit' } });

  // Windows truncates tray tooltips at 127 characters.
  const tooltip = tr.t('desktop.tray.tooltip', { app, status: words });
  return { status: current, tooltip: tooltip.length > 127 ? `${tooltip.slice(0, 126)}…` : tooltip, menu };
}

/**
 * The icon file for a status, relative to the tray icon folder. macOS gets template images (black
 * + alpha; the OS tints them for light and dark menu bars: the shape carries the state), Windows an
 * .ico with 16/32/48 px, Linux a PNG (with @2x beside it for HiDPI).
 */
export function trayIconFile(status: TrayStatus, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `${status}Template.png`;
  if (platform === 'win32') return `${status}.ico`;
  return `${status}.png`;
}
