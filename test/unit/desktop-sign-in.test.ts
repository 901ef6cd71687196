import { describe, expect, it, vi } from 'vitest';
import type { AgentSession, SignInParams } from '../../main/agent/session';
import { silentLogger } from '../../main/gws/logger';
import { resolveSettings } from '../../main/desktop/policy';
import type { Policy } from '../../main/desktop/policy';
import type { SecretCipher } from '../../main/desktop/settings';
import { SettingsRepository, memorySettingsBackend } from '../../main/desktop/settings';
import { rememberingSignIn, signInWithRememberedPassword } from '../../main/desktop/sign-in-memory';

const cipher: SecretCipher = {
  isAvailable: () => Promise.resolve(true),
  encrypt: (p) => Promise.resolve(Uint8Array.from(Buffer.from(p).reverse())),
  decrypt: (d) => Promise.resolve(Buffer.from(d).reverse().toString()),
};

function setup(policy: Policy = {}, user: Record<string, unknown> = {}) {
  const backend = memorySettingsBackend(user);
  const repository = new SettingsRepository(backend, cipher);
  const signIn = vi.fn((_p: SignInParams) => Promise.resolve());
  const session = { signIn, signOut: vi.fn() } as unknown as AgentSession;
  const deps = { repository, resolved: () => resolveSettings(repository.user(), policy), log: silentLogger };
  return { backend, repository, signIn, session, wrapped: { signIn: rememberingSignIn(session, deps) }, deps };
}

describe('sign-in memory', () => {
  it('remembers server, user, place and — when asked — the encrypted password', async () => {
    const h = setup({}, { rememberPassword: true });
    await h.wrapped.signIn({ serverUrl: 'https://gws.example', username: 'agent1', password: 'hunter2', place: 'P1' });
    expect(h.repository.user()).toMatchObject({ serverUrl: 'https://gws.example', username: 'agent1', place: 'P1' });
    expect(JSON.stringify(h.backend.store)).not.toContain('hunter2');
    await expect(h.repository.password()).resolves.toBe('hunter2');
  });

  it('refuses a server the policy locked, and forces the locked place', async () => {
    const h = setup({ serverUrl: 'https://gws.corp.example/', place: 'Locked_1' });
    await expect(h.wrapped.signIn({ serverUrl: 'https://evil.example', username: 'a', password: 'p' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await h.wrapped.signIn({ serverUrl: 'https://gws.corp.example', username: 'a', password: 'p' });
    expect(h.signIn).toHaveBeenLastCalledWith({ serverUrl: 'https://gws.corp.example', username: 'a', password: 'p', place: 'Locked_1' });
    expect(h.repository.user().serverUrl).toBeUndefined();
  });

  it('signs in at start with the remembered password only when everything is there', async () => {
    const h = setup({}, { rememberPassword: true, serverUrl: 'https://gws.example', username: 'agent1' });
    await expect(signInWithRememberedPassword(h.wrapped, h.deps)).resolves.toBe(false);
    await h.repository.rememberPassword('hunter2', true);
    await expect(signInWithRememberedPassword(h.wrapped, h.deps)).resolves.toBe(true);
    expect(h.signIn).toHaveBeenLastCalledWith({ serverUrl: 'https://gws.example', username: 'agent1', password: 'hunter2' });
  });
});
