/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { SoftphoneApi } from '../preload/contract';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the browser harness: the only way to reach main. */
    softphone: SoftphoneApi;
  }
}
export {};
