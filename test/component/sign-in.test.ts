import './setup';
import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { tick } from 'svelte';
import SignIn from '../../renderer/screens/SignIn.svelte';
import { deferred, installSoftphone, makeApp, NOW } from './fixtures';

const offline = { state: 'offline' as const, since: NOW };

async function fillAndPressEnter() {
  await fireEvent.input(screen.getByLabelText('Username'), { target: { value: ' agent1 ' } });
  await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'secret' } });
  await fireEvent.keyDown(screen.getByLabelText('Password'), { key: 'Enter' });
  await tick();
  await tick();
}

describe('SignIn', () => {
  it('prefills the default server URL and submits on Enter', async () => {
    const softphone = installSoftphone();
    render(SignIn, { app: makeApp({ defaultPlace: 'Place_5001' }), connection: offline });
    expect(screen.getByLabelText('Server URL')).toHaveValue('http://127.0.0.1:8090');
    await fillAndPressEnter();
    expect(softphone.signIn).toHaveBeenCalledTimes(1);
    expect(softphone.signIn).toHaveBeenCalledWith({
      serverUrl: 'http://127.0.0.1:8090',
      username: 'agent1',
      password: 'secret',
      place: 'Place_5001',
    });
  });

  it('shows a wrong password in words', async () => {
    const softphone = installSoftphone();
    softphone.signIn.mockResolvedValue({ ok: false, error: { code: 'AUTH_FAILED', message: 'statusCode 20' } });
    render(SignIn, { app: makeApp(), connection: offline });
    await fillAndPressEnter();
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password');
  });

  it('shows an unreachable server and an untrusted certificate in words', async () => {
    const softphone = installSoftphone();
    softphone.signIn.mockResolvedValueOnce({ ok: false, error: { code: 'UNREACHABLE', message: 'connect ECONNREFUSED 127.0.0.1:8090' } });
    softphone.signIn.mockResolvedValueOnce({ ok: false, error: { code: 'CERT_UNTRUSTED', message: 'self-signed certificate' } });
    render(SignIn, { app: makeApp(), connection: offline });
    await fillAndPressEnter();
    expect(await screen.findByRole('alert')).toHaveTextContent('Server not reachable');
    await fireEvent.submit(screen.getByTestId('sign-in'));
    await tick();
    await tick();
    expect(screen.getByRole('alert')).toHaveTextContent('Certificate not trusted');
  });

  it('disables the form while signing in', async () => {
    const softphone = installSoftphone();
    const reply = deferred<{ ok: true; value: undefined }>();
    softphone.signIn.mockImplementation(() => reply.promise);
    render(SignIn, { app: makeApp(), connection: offline });
    await fillAndPressEnter();
    expect(screen.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
    expect(screen.getByLabelText('Password')).toBeDisabled();
    await fireEvent.submit(screen.getByTestId('sign-in'));
    expect(softphone.signIn).toHaveBeenCalledTimes(1);
    reply.resolve({ ok: true, value: undefined });
  });

  it('says why the agent was signed out', () => {
    installSoftphone();
    render(SignIn, { app: makeApp(), connection: { state: 'signed-out', reason: '402::Unknown client', since: NOW } });
    // In words; the server's reason only behind Details.
    expect(screen.getByTestId('signed-out-reason')).toHaveTextContent('The server ended your session. Sign in again to take calls.');
    expect(screen.getByText('Details').closest('details')).toHaveTextContent('Signed out: 402::Unknown client');
  });

  it('keeps a server URL locked by policy read-only', () => {
    installSoftphone();
    render(SignIn, { app: makeApp({ locked: ['serverUrl'] }), connection: offline });
    expect(screen.getByLabelText('Server URL')).toHaveAttribute('readonly');
  });
});

describe('SignIn validation errors', () => {
  it('names the offending field in words', async () => {
    const softphone = installSoftphone();
    softphone.signIn.mockResolvedValue({
      ok: false,
      error: { code: 'VALIDATION', message: 'Invalid signIn', issues: [{ path: 'serverUrl', message: 'must be an http:// or https:// URL' }] },
    });
    render(SignIn, { app: makeApp(), connection: offline });
    await fillAndPressEnter();
    expect(await screen.findByRole('alert')).toHaveTextContent('Please check the input');
    expect(screen.getByRole('alert')).toHaveTextContent('Server URL must be an http:// or https:// URL');
  });
});
