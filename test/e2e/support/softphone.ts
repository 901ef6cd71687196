/**
 * The Playwright runner for the agent desktop: intention-named actions and waits (STYLE.md 10), so
 * a spec reads like what an agent does. Selectors are the test hooks documented in docs/ui.md.
 */
import { expect, test as base, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { ANY_HOUR, startEnvironment, type E2eEnvironment } from './environment';
import type { WorkRulesInput } from '../../../main/agent/work-rules';
import type { SimulatorOptions } from '../../../sim';

export const SCREENSHOTS = join('test-results', 'screenshots');

export class Softphone {
  constructor(
    readonly page: Page,
    readonly env: E2eEnvironment,
  ) {}

  get sim() {
    return this.env.sim;
  }

  async open() {
    await this.page.goto(this.env.harness.url);
    await expect(this.page.getByTestId('sign-in')).toBeVisible();
  }

  async signIn(username = 'agent1', password = username) {
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByLabel('Password', { exact: true }).press('Enter');
  }

  async waitForConnected() {
    await expect(this.page.locator('[data-testid=connection][data-connection-state=connected]')).toBeVisible();
  }

  /** `state:<operationName>` chooses a configured agent state (a Not Ready reason). */
  async setState(value: 'ready' | 'not-ready' | 'acw' | `state:${string}`) {
    await this.page.getByTestId('agent-state').selectOption(value);
  }

  async waitForUserState(state: string) {
    await expect(this.page.locator(`[data-testid=agent-state][data-user-state=${state}]`)).toBeVisible();
  }

  campaign(name: string): Locator {
    return this.page.locator(`[data-testid=campaign][data-campaign="${name}"]`);
  }

  async startPreviewSession(name: string) {
    await this.campaign(name).getByTestId('start-session').click();
    await expect(this.campaign(name)).toHaveAttribute('data-session-active', 'true');
  }

  async getRecord(name: string) {
    await this.campaign(name).getByTestId('get-record').click();
    await this.waitForRecordPhase('offered');
  }

  get recordCard(): Locator {
    return this.page.getByTestId('record-card');
  }

  async waitForRecordPhase(phase: string) {
    await expect(this.page.locator(`[data-testid=record-card][data-phase=${phase}]`)).toBeVisible();
  }

  async waitForNoRecord() {
    await expect(this.page.getByTestId('no-record')).toBeVisible();
  }

  call(state?: string): Locator {
    return this.page.locator(state ? `[data-testid=call][data-call-state=${state}]` : '[data-testid=call]');
  }

  callById(id: string): Locator {
    return this.page.locator(`[data-testid=call][data-call-id="${id}"]`);
  }

  get banner(): Locator {
    return this.page.getByTestId('offline-banner');
  }

  async waitForConnectionState(state: string) {
    await expect(this.page.locator(`[data-testid=connection][data-connection-state=${state}]`)).toBeVisible();
  }

  /** Types a number on the manual dial pad and presses Enter. */
  async dialManually(phoneNumber: string) {
    await this.page.getByTestId('dial-pad-number').fill(phoneNumber);
    await this.page.getByTestId('dial-pad-number').press('Enter');
  }

  async waitForCallState(state: string) {
    await expect(this.call(state)).toBeVisible();
  }

  async waitForNoCall() {
    await expect(this.call()).toHaveCount(0);
  }

  /** The REST operations the simulator received, by name (its request log is the proof). */
  operations(name?: string): { path: string; body: Record<string, unknown> }[] {
    return this.sim.control
      .requests()
      .filter((r) => r.method === 'POST' && typeof r.body === 'object' && r.body !== null)
      .map((r) => ({ path: r.path, body: r.body as Record<string, unknown> }))
      .filter((r) => name === undefined || r.body.operationName === name);
  }

  async waitForOperation(name: string, count = 1) {
    await expect.poll(() => this.operations(name).length).toBe(count);
  }

  agentTruth(userName = 'agent1') {
    const agent = this.sim.control.state().agents.find((a) => a.userName === userName);
    if (!agent) throw new Error(`no agent ${userName} in the simulator`);
    return agent;
  }

  /** A full-page screenshot; `width` narrows the window for it (a small window beside other apps), then restores it. */
  async screenshot(name: string, options: { width?: number } = {}) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const before = this.page.viewportSize();
    if (options.width !== undefined && before) await this.page.setViewportSize({ width: options.width, height: before.height });
    try {
      await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    } finally {
      if (options.width !== undefined && before) await this.page.setViewportSize(before);
    }
  }

  /** axe-core: no serious or critical violation on what is shown now. */
  async expectAccessible() {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }

  /** Open the app and sign in as agent1, connected. */
  async signedIn() {
    await this.open();
    await this.signIn();
    await this.waitForConnected();
  }

  /** Signed in and Ready. */
  async ready() {
    await this.signedIn();
    await this.setState('ready');
    await this.waitForUserState('Ready');
  }

  /** Sign in as agent1, go Ready and open the preview campaign's session. */
  async readyOnPreviewCampaign(campaign = 'Collections_Preview') {
    await this.ready();
    await this.startPreviewSession(campaign);
  }

  /** Ready, then an inbound call rung by the simulator and answered: the established call's card. */
  async answeredInboundCall(from = '+14155550199'): Promise<Locator> {
    await this.ready();
    this.sim.control.inboundCall({ to: 'agent1', from });
    await this.waitForCallState('Ringing');
    await this.call('Ringing').getByRole('button', { name: 'Answer' }).click();
    await this.waitForCallState('Established');
    return this.call('Established');
  }

  /** Signed in, a number dialled from the pad and answered by the far end: that call's card (by id). */
  async establishedManualCall(phoneNumber = '5559876'): Promise<Locator> {
    await this.signedIn();
    await this.dialManually(phoneNumber);
    await this.waitForCallState('Established');
    return this.callById((await this.call('Established').getAttribute('data-call-id'))!);
  }

  /** The preview record of the campaign dialled, answered, hung up: the agent in After Call Work. */
  async recordCallInAfterCallWork(campaign = 'Collections_Preview') {
    await this.readyOnPreviewCampaign(campaign);
    await this.getRecord(campaign);
    await this.waitForRecordPhase('offered');
    await this.recordCard.getByRole('button', { name: 'Dial' }).click();
    await this.waitForCallState('Established');
    await this.call('Established').getByRole('button', { name: 'Hang up' }).click();
    await this.waitForOperation('AfterCallWork');
  }
}

export const test = base.extend<{ simOptions: SimulatorOptions; workRules: WorkRulesInput; softphone: Softphone }>({
  simOptions: [{}, { option: true }],
  /** IT's work rules for the session (default: calls at any hour, so no test depends on the time of day). */
  workRules: [ANY_HOUR, { option: true }],
  softphone: async ({ page, simOptions, workRules }, use) => {
    const env = await startEnvironment(simOptions, workRules);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await use(new Softphone(page, env));
    await env.close();
    expect(dialogs, 'no dialog may ever open').toEqual([]);
  },
});

export { expect };
