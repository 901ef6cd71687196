/**
 * tel: and callto: links on all three OSes: register the app as their handler, then hear about
 * links from `open-url` (macOS, also before ready), the first launch's argv and a second
 * instance's argv (Windows and Linux).
 */
import { app } from 'electron';
import { resolve } from 'node:path';
import { PHONE_LINK_SCHEMES, phoneLinkFromArgv } from '../phone-link';

/**
 * Must be called before `app.whenReady()` resolves so macOS `open-url` at launch is not lost;
 * links arriving before `deliver` is set are queued.
 */
export function listenForPhoneLinks(): { register(): void; setHandler(handler: (url: string) => void): void } {
  const queue: string[] = [];
  let handler: ((url: string) => void) | undefined;
  const push = (url: string) => (handler ? handler(url) : void queue.push(url));

  app.on('open-url', (event, url) => {
    event.preventDefault();
    push(url);
  });
  app.on('second-instance', (_event, argv) => {
    const url = phoneLinkFromArgv(argv);
    if (url) push(url);
  });
  const first = phoneLinkFromArgv(process.argv);
  if (first) queue.push(first);

  return {
    register() {
      for (const scheme of PHONE_LINK_SCHEMES) {
        // In development Electron runs as `electron path/to/app`: pass the app path so the OS starts us, not bare Electron.
        if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(scheme, process.execPath, [resolve(process.argv[1])]);
        else app.setAsDefaultProtocolClient(scheme);
      }
    },
    setHandler(next) {
      handler = next;
      for (const url of queue.splice(0)) next(url);
    },
  };
}
