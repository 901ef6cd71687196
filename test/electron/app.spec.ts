/**
 * The desktop shell itself, through Playwright's `_electron`: sign in and dial a preview record in
 * the real Electron window. These run where the Electron binary is installed (an online
 * `npm install`); here, where it cannot be downloaded, they are skipped with the reason printed.
 */
import { test, expect, _electron as electron, type ElectronApplication } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim';

const require = createRequire(import.meta.url);

function electronBinary(): string | undefined {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const bin = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const reason = 'Electron binary not installed on this machine (offline install): the desktop shell tests need `npm install` on a machine that can reach GitHub';
if (!binary) console.log(`[electron tests skipped] ${reason}`);

test.describe('desktop shell', () => {
  test.skip(!binary, reason);

  let sim: Simulator;
  let app: ElectronApplication;

  test.beforeEach(async () => {
    sim = await startSimulator({ port: 0, control: true, quiet: true, timings: { answerMs: 400 } });
    app = await electron.launch({
      executablePath: binary!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, GWS_SERVER_URL: sim.url },
    });
  });

  test.afterEach(async () => {
    await app?.close();
    await sim?.close();
  });

  test('the window is hardened and signs in, then dials a preview record', async () => {
    const page = await app.firstWindow();
    // Node stays out of the page (nodeIntegration off, sandbox on); only the contract is exposed.
    const exposure = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      return { require: typeof g.require, process: typeof g.process, softphone: typeof g.softphone };
    });
    expect(exposure).toEqual({ require: 'undefined', process: 'undefined', softphone: 'object' });

    await page.getByLabel('Username').fill('agent1');
    await page.getByLabel('Password').fill('agent1');
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByTestId('campaigns')).toBeVisible();
    const campaign = page.getByTestId('campaign').filter({ hasText: 'Preview' }).first();
    await campaign.getByRole('button', { name: /start/i }).click();
    await campaign.getByRole('button', { name: /get record/i }).click();
    await page.getByTestId('preview-record').getByRole('button', { name: /^dial/i }).click();
    await expect(page.locator('[data-testid=call][data-call-state=Established]')).toBeVisible();
    const dials = sim.control.requests().filter((r) => r.method === 'POST' && (r.body as { operationName?: string })?.operationName === 'Dial');
    expect(dials).toHaveLength(1);
  });
});
