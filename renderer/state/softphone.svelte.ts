/**
 * THE renderer state: the agent snapshot and app info, fed by one subscription to
 * `window.softphone` (STYLE.md 7). Main sends the full snapshot once on request, then only the
 * changed top-level keys.
 */
import type { AgentSnapshot, AppInfo, SoftphoneApi } from '../lib/types';
import { errorSentence } from '../lib/errors';
import { dismissFailure } from './commands.svelte';
import { tr } from './i18n.svelte';

interface SoftphoneState {
  agent: AgentSnapshot | null;
  app: AppInfo | null;
  /** Why the first snapshot could not be read (shown with a retry). */
  loadError: string | null;
  /**
   * `lastError.at` the agent dismissed (the snapshot keeps the error; we only hide it). Kept in
   * sessionStorage so a dismissed error stays dismissed across a reload of the window.
   */
  dismissedErrorAt: number | null;
  /** The call a notification or tray click asked to bring forward. */
  focusCallId: string | null;
  /** When the agent's last live call ended: time in state counts from it, not through calls (issue 12 #13). */
  lastCallEndedAt: number | null;
}

const DISMISSED_KEY = 'softphone.dismissedErrorAt';

export const softphone: SoftphoneState = $state({
  agent: null,
  app: null,
  loadError: null,
  dismissedErrorAt: readDismissed(),
  focusCallId: null,
  lastCallEndedAt: null,
});

function readDismissed(): number | null {
  try {
    const value = Number(globalThis.sessionStorage?.getItem(DISMISSED_KEY));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/** The manual dial pad's number; `prefill-dial` writes it and asks for focus. */
export const dialPad = $state({ number: '', focusRequest: 0 });

let api: SoftphoneApi | null = null;

/** Subscribes once and reads the first snapshot. Returns the unsubscribe (for tests and HMR). */
export function connectSoftphone(softphoneApi: SoftphoneApi = window.softphone): () => void {
  api = softphoneApi;
  const unsubscribe = [
    softphoneApi.on('changes', applyChanges),
    softphoneApi.on('app', (info) => {
      softphone.app = info;
    }),
    softphoneApi.on('focus-call', ({ callId }) => {
      softphone.focusCallId = callId;
    }),
    softphoneApi.on('prefill-dial', ({ phoneNumber }) => {
      dialPad.number = phoneNumber;
      dialPad.focusRequest += 1;
    }),
  ];
  void loadSnapshot();
  return () => unsubscribe.forEach((off) => off());
}

/**
 * Merges a patch of changed top-level keys. A patch that arrives before the first snapshot is
 * dropped: events and the getSnapshot reply travel in order on the same channel, so the snapshot
 * already contains it.
 */
export function applyChanges(patch: Partial<AgentSnapshot>): void {
  const agent = softphone.agent;
  if (!agent) return;
  // Signing in or out: a failed command of the session before is no longer true (issue 12 #9).
  const state = patch.connection?.state;
  if ((state === 'signed-out' || state === 'connecting') && state !== agent.connection.state) dismissFailure();
  if (patch.calls && liveCallCount(agent.calls) > 0 && liveCallCount(patch.calls) === 0) softphone.lastCallEndedAt = Date.now();
  for (const key of Object.keys(patch) as (keyof AgentSnapshot)[]) {
    const value = patch[key];
    if (value !== undefined) (agent as unknown as Record<string, unknown>)[key] = value;
  }
}

/** Calls still up (a Released call stays listed until GWS drops it). */
export function liveCallCount(calls: AgentSnapshot['calls']): number {
  return Object.values(calls).filter((call) => call.state !== 'Released').length;
}

export async function loadSnapshot(): Promise<void> {
  if (!api) return;
  try {
    const envelope = await api.getSnapshot({});
    if (envelope.ok) {
      softphone.agent = envelope.value.agent;
      softphone.app = envelope.value.app;
      softphone.loadError = null;
    } else {
      softphone.loadError = errorSentence(envelope.error, undefined, tr());
    }
  } catch (thrown) {
    softphone.loadError = thrown instanceof Error ? thrown.message : String(thrown);
  }
}

export function dismissLastError(): void {
  softphone.dismissedErrorAt = softphone.agent?.lastError?.at ?? null;
  // Cleared in the core as well; hidden here at once (and kept hidden if the core cannot be told).
  void api?.clearError({}).catch(() => undefined);
  try {
    if (softphone.dismissedErrorAt !== null) globalThis.sessionStorage?.setItem(DISMISSED_KEY, String(softphone.dismissedErrorAt));
  } catch {
    // Storage refused (private mode): the dismissal holds until the window reloads.
  }
}
