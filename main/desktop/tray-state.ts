/**
 * What the tray shows for an agent snapshot: an icon per agent status, a tooltip in words (the
 * icon's colour alone says nothing to a colour-blind agent or a screen reader), and the menu as
 * plain data. The adapter (tray.ts) turns this model into Electron's Tray and Menu.
 */
import type { AgentSnapshot } from '../agent/snapshot';
import { recordInHand } from '../../preload/preview-rules';
import { clockTime, isAfterCallWork, isSignedIn, liveCalls, otherParty, outage, outageWords } from './agent-view';

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
  /** The agent's locale for times ("Offline since 10:42" or "10:42 AM"); the default locale without it. */
  locale?: string;
}

const APP = 'GWS Softphone';

function status(snapshot: AgentSnapshot, options: TrayOptions): { status: TrayStatus; words: string } {
  if (!isSignedIn(snapshot)) {
    return { status: 'offline', words: snapshot.connection.state === 'connecting' ? 'Signing in…' : 'Offline (not signed in)' };
  }
  const agent = agentStatus(snapshot);
  const current = outage(snapshot, options.now ?? Number.NEGATIVE_INFINITY);
  if (!current) return agent;
  // A minute without a confirmed state: the softphone may miss calls. Lead with that, and show the offline icon.
  if (current.escalated) return { status: 'offline', words: `${outageWords(current, options.now ?? current.since, options.locale)} · ${agent.words}` };
  const aside = current.state === 'resyncing' ? 'reconnected, checking calls…' : `offline since ${clockTime(current.since, options.now ?? current.since, options.locale)}, reconnecting…`;
  return { status: agent.status, words: `${agent.words} (${aside})` };
}

/** The agent's status as last known: a live call first, then a waiting record, then the agent state. */
function agentStatus(snapshot: AgentSnapshot): { status: TrayStatus; words: string } {
  const calls = liveCalls(snapshot);
  const first = calls[0];
  if (first) {
    const more = calls.length > 1 ? ` (+${calls.length - 1} more)` : '';
    const verb = first.state === 'Ringing' ? 'Incoming call from' : first.state === 'Dialing' ? 'Dialling' : first.state === 'Held' ? 'On hold with' : 'On a call with';
    return { status: 'on-call', words: `${verb} ${otherParty(first)}${more}` };
  }
  const preview = snapshot.previewRecord;
  if (preview.phase === 'offered' && preview.record) {
    const campaign = preview.record.campaignName ?? preview.campaignName;
    return { status: 'preview-waiting', words: `Preview record waiting${campaign ? ` (${campaign})` : ''}: ${preview.record.phoneNumber}` };
  }
  if (isAfterCallWork(snapshot)) return { status: 'after-call-work', words: 'After Call Work' };
  const userState = snapshot.device?.userState;
  if (userState?.state === 'Ready') return { status: 'ready', words: 'Ready' };
  const configured = userState?.operationName !== undefined ? snapshot.user?.agentStates.find((r) => r.operationName === userState.operationName) : undefined;
  const reason = configured?.displayName ?? userState?.reason;
  return { status: 'not-ready', words: `Not Ready${reason ? ` (${reason})` : ''}` };
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
  const { status: current, words } = status(snapshot, options);
  const connected = snapshot.connection.state === 'connected';
  const userState = snapshot.device?.userState;
  const isReady = connected && userState?.state === 'Ready';
  const isNotReady = connected && userState?.state === 'NotReady' && !isAfterCallWork(snapshot);
  const reasons = snapshot.user?.agentStates ?? [];
  const onCall = liveCalls(snapshot).length > 0;

  const notReadyItems: TrayMenuItem[] = [
    { kind: 'item', label: 'Not Ready', enabled: connected, checked: isNotReady && userState?.operationName === undefined, action: { type: 'not-ready' } },
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
          label: 'Get record',
          enabled: connected,
          items: campaigns.map((name): TrayMenuItem => ({ kind: 'item', label: name, enabled: connected, action: { type: 'get-record', campaignName: name } })),
        }
      : {
          kind: 'item',
          label: campaigns[0] ? `Get record (${campaigns[0]})` : 'Get record',
          enabled: connected && campaigns.length === 1,
          action: { type: 'get-record', campaignName: campaigns[0] ?? '' },
        };

  const menu: TrayMenuItem[] = [];
  // Linux panels show no tooltips: during an outage, the menu says it on a line of its own.
  const down = outage(snapshot, options.now ?? Number.NEGATIVE_INFINITY);
  if (down) menu.push({ kind: 'item', label: outageWords(down, options.now ?? down.since, options.locale), enabled: false, action: { type: 'show' } });
  menu.push(
    { kind: 'item', label: `Show ${APP}`, enabled: true, action: { type: 'show' } },
    { kind: 'separator' },
    { kind: 'item', label: 'Ready', enabled: connected, checked: isReady, action: { type: 'ready' } },
    { kind: 'submenu', label: 'Not Ready', enabled: connected, items: notReadyItems },
    getRecord,
    { kind: 'separator' },
  );
  if (options.updateReady) {
    menu.push({
      kind: 'item',
      label: onCall ? `Restart to update (${options.updateReady.version}) after the call` : `Restart to update (${options.updateReady.version})`,
      enabled: !onCall,
      action: { type: 'install-update' },
    });
  }
  menu.push({ kind: 'item', label: 'Export diagnostics…', enabled: true, action: { type: 'export-diagnostics' } });
  menu.push({ kind: 'separator' });
  menu.push({ kind: 'item', label: 'Quit', enabled: true, action: { type: 'quit' } });

  // Windows truncates tray tooltips at 127 characters.
  const tooltip = `${APP} — ${words}`;
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
