/**
 * The sign-in screen in the agent's language (issue 13): its words, the error in words and the
 * sign-out reason follow `setLanguage`, and `<html lang>` says which language the page is in.
 */
import './setup';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import SignIn from '../../renderer/screens/SignIn.svelte';
import { setLanguage } from '../../renderer/state/i18n.svelte';
import { installSoftphone, makeApp, NOW } from './fixtures';

const offline = { state: 'offline' as const, since: NOW };

afterEach(() => {
  setLanguage('en');
});

describe('the sign-in screen in Spanish', () => {
  it('names the form, its fields and its button in Spanish, and sets <html lang>', () => {
    installSoftphone();
    setLanguage('es');
    render(SignIn, { app: makeApp(), connection: offline });
    expect(document.documentElement.lang).toBe('es');
    expect(screen.getByRole('heading', { name: 'Iniciar sesión' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Iniciar sesión' })).toBeEnabled();
    expect(screen.getByLabelText('URL del servidor')).toHaveValue('http://127.0.0.1:8090');
    expect(screen.getByLabelText('Usuario')).toBeInTheDocument();
    expect(screen.getByLabelText('Contraseña')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Puesto (opcional)' })).toBeInTheDocument();
    expect(screen.getByText('Versión 0.1.0')).toBeInTheDocument();
  });

  it('says why the agent was signed out in Spanish; the raw reason stays behind Detalles', () => {
    installSoftphone();
    setLanguage('es');
    render(SignIn, { app: makeApp(), connection: { state: 'signed-out', reason: '402::Unknown client', since: NOW } });
    expect(screen.getByTestId('signed-out-reason')).toHaveTextContent('El servidor finalizó tu sesión. Vuelve a iniciar sesión para recibir llamadas.');
    expect(screen.getByText('Detalles').closest('details')).toHaveTextContent('Sesión cerrada: 402::Unknown client');
  });

  it('shows a wrong password and a field problem in Spanish', async () => {
    const softphone = installSoftphone();
    softphone.signIn.mockResolvedValueOnce({ ok: false, error: { code: 'AUTH_FAILED', message: 'statusCode 20' } });
    softphone.signIn.mockResolvedValueOnce({
      ok: false,
      error: { code: 'VALIDATION', message: 'Invalid signIn', issues: [{ path: 'username', message: 'must not be empty' }] },
    });
    setLanguage('es');
    render(SignIn, { app: makeApp(), connection: offline });
    await fireEvent.input(screen.getByLabelText('Usuario'), { target: { value: 'agent1' } });
    await fireEvent.input(screen.getByLabelText('Contraseña'), { target: { value: 'secret' } });
    await fireEvent.submit(screen.getByTestId('sign-in'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Usuario o contraseña incorrectos. Comprueba tu usuario y tu contraseña y vuelve a iniciar sesión.',
    );
    await fireEvent.submit(screen.getByTestId('sign-in'));
    await tick();
    await tick();
    expect(screen.getByRole('alert')).toHaveTextContent('El campo «Usuario» no puede estar vacío.');
  });

  it('follows a change of language at once', async () => {
    installSoftphone();
    setLanguage('es');
    render(SignIn, { app: makeApp(), connection: offline });
    expect(screen.getByRole('button', { name: 'Iniciar sesión' })).toBeInTheDocument();
    setLanguage('de');
    await tick();
    expect(document.documentElement.lang).toBe('de');
    expect(screen.getByRole('button', { name: 'Anmelden' })).toBeInTheDocument();
    setLanguage('en');
    await tick();
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });
});
