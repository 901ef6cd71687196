/**
 * Wraps ipcMain once (STYLE.md 2): only our window's main frame, showing our page, may invoke; the
 * payload then goes through the validated router. Events go to that window only.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNEL, eventChannel, type EventName } from '../../../preload/channels';
import type { Envelope, Events } from '../../../preload/contract';
import type { Router } from '../../ipc/router';
import { isAppUrl } from '../window-policy';

export function serveIpc(getWindow: () => BrowserWindow | undefined, router: Router, rendererIndexUrl: string): () => void {
  const handler = async (event: IpcMainInvokeEvent, command: unknown, args: unknown): Promise<Envelope<unknown>> => {
    const window = getWindow();
    const frame = event.senderFrame;
    const trusted =
      window !== undefined &&
      !window.isDestroyed() &&
      event.sender === window.webContents &&
      frame !== null &&
      frame === event.sender.mainFrame &&
      isAppUrl(frame.url, rendererIndexUrl);
    if (!trusted) return { ok: false, error: { code: 'VALIDATION', message: 'Refused: the request did not come from the app window.' } };
    return router.invoke(command, args);
  };
  ipcMain.handle(INVOKE_CHANNEL, handler);
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

export function sendToWindow<E extends EventName>(window: BrowserWindow | undefined, event: E, payload: Events[E]): void {
  if (window && !window.isDestroyed()) window.webContents.send(eventChannel(event), payload);
}
