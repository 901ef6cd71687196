/**
 * Builds `window.softphone` over a transport: Electron IPC in the preload, a WebSocket in the
 * browser harness. Both speak the same contract, and main validates every call either way.
 */
import { commandNames, type EventName } from './channels';
import type { Events, Envelope, SoftphoneApi } from './contract';

export interface ContractTransport {
  invoke(command: string, args: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function createSoftphoneApi(transport: ContractTransport): SoftphoneApi {
  const api: Record<string, unknown> = {};
  for (const name of commandNames) {
    // Only the payload crosses: never an event object, never the transport itself.
    api[name] = (args: unknown) => transport.invoke(name, args ?? {});
  }
  api.on = <E extends EventName>(event: E, listener: (payload: Events[E]) => void) =>
    transport.subscribe(event, (payload) => listener(payload as Events[E]));
  return Object.freeze(api) as SoftphoneApi;
}
