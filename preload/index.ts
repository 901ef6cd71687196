/**
 * The preload: exposes `window.softphone` (one function per command, `on` returning an
 * unsubscribe) and never `ipcRenderer` itself. It runs sandboxed, so it is bundled into one
 * CommonJS file that requires only 'electron'.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createSoftphoneApi } from './api';
import { INVOKE_CHANNEL, eventChannel, eventNames, type EventName } from './channels';
import type { Envelope } from './contract';

const api = createSoftphoneApi({
  invoke: (command, args) => ipcRenderer.invoke(INVOKE_CHANNEL, command, args) as Promise<Envelope<unknown>>,
  subscribe(event: EventName, listener) {
    if (!eventNames.includes(event)) throw new Error(`Unknown event: ${String(event)}`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(event), wrapped);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('softphone', api);
