// The XMLHttpRequest of cometd-nodejs-client, imported directly so that each agent session gets its
// own cookie storage (the adapter's default store is global per process and keyed by host only).
declare module 'cometd-nodejs-client/src/XMLHttpRequest.js' {
  export interface NodeXhrCookies {
    storeCookie?(uri: URL, header: string, callback: (failure: Error | null, cookie?: unknown) => void): void;
    retrieveCookies?(context: unknown, uri: URL, callback: (failure: Error | null, cookies: string[]) => void): void;
  }
  export class XMLHttpRequest {
    static UNSENT: number;
    constructor(options?: { cookies?: NodeXhrCookies; logLevel?: 'debug' | 'info' });
    readonly readyState: number;
    readonly responseText: string;
    readonly status: number;
    readonly statusText: string;
    withCredentials: boolean;
    context: unknown;
    onload: (() => void) | undefined;
    onerror: ((error?: unknown) => void) | undefined;
    onabort: (() => void) | undefined;
    open(method: string, uri: string | URL, async?: boolean): void;
    setRequestHeader(name: string, value: string): void;
    send(data?: string): void;
    abort(): void;
  }
}
