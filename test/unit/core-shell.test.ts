// The core is a plain mapping of contract commands onto the session; a shell may bring its own
// sign-in (the desktop remembers it and enforces IT's locks) without wrapping the session.
import { describe, expect, it, vi } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import { initialSnapshot } from '../../main/agent/snapshot';
import { browserShellHandlers, createSoftphoneCore } from '../../main/app/core';

function fakeSession(): AgentSession & { signIn: ReturnType<typeof vi.fn> } {
  return {
    snapshot: initialSnapshot(0),
    onDidChange: () => ({ dispose: () => undefined }),
    signIn: vi.fn(async () => undefined),
  } as unknown as AgentSession & { signIn: ReturnType<typeof vi.fn> };
}

const APP = { version: '0.0.0', defaultServerUrl: '', shell: 'browser' } as const;
const ARGS = { serverUrl: 'https://gws.example', username: 'agent1', password: 'secret' };

describe('core and shell', () => {
  it('signs in through the session itself by default', async () => {
    const session = fakeSession();
    const core = createSoftphoneCore(session, APP as never);
    expect(await core.router.invoke('signIn', ARGS)).toEqual({ ok: true, value: undefined });
    expect(session.signIn).toHaveBeenCalledWith(ARGS);
  });

  it("uses the shell's own sign-in when it brings one, and the session is not wrapped", async () => {
    const session = fakeSession();
    const shellSignIn = vi.fn(async () => undefined);
    const core = createSoftphoneCore(session, APP as never, undefined, { ...browserShellHandlers, signIn: shellSignIn });
    expect(await core.router.invoke('signIn', ARGS)).toEqual({ ok: true, value: undefined });
    expect(shellSignIn).toHaveBeenCalledWith(ARGS);
    expect(session.signIn).not.toHaveBeenCalled();
  });

  it('routerWith serves the desktop commands built after the core, around the same session commands', async () => {
    const session = fakeSession();
    const core = createSoftphoneCore(session, APP as never);
    // The core alone: the desktop commands say they are not in this shell.
    expect(await core.router.invoke('getSettings', {})).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED_IN_STATE' } });
    const shellSignIn = vi.fn(async () => undefined);
    const settings = { values: {}, locked: [], hotkeyProblems: [] };
    const router = core.routerWith({ ...browserShellHandlers, getSettings: () => settings as never, signIn: shellSignIn });
    expect(await router.invoke('getSettings', {})).toEqual({ ok: true, value: settings });
    expect(await router.invoke('signIn', ARGS)).toEqual({ ok: true, value: undefined });
    expect(shellSignIn).toHaveBeenCalledWith(ARGS);
    // The first router is unchanged: nothing was filled in later.
    expect(await core.router.invoke('getSettings', {})).toMatchObject({ ok: false });
  });
});
