/**
 * Issue 13, preview pacing as the peers offer it: the automatic Dial's countdown on an offered
 * record (IT's policy or Workspace's option), shown on the card, announced, cancelled with one key;
 * and a distinct sound for a pushed record. The "never dials after a cancel / offline / outside
 * hours" rules are proven with a manual clock in test/unit/preview-pacer.test.ts.
 */
import { DEFAULT_SCENARIO_FILE, loadScenarioFile, type Scenario } from '../../sim';
import { test, expect } from './support/softphone';
import { ANY_HOUR } from './support/environment';

function withWorkspaceOptions(options: Record<string, string>): Scenario {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
  scenario.workspaceOptions = { ...scenario.workspaceOptions, ...options };
  return scenario;
}

test.describe('automatic dial set by IT', () => {
  test.use({ workRules: { ...ANY_HOUR, previewAutoDialSeconds: 3 } });

  test('counts down on the card, is announced, then dials the record once', async ({ softphone }) => {
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    const countdown = softphone.recordCard.getByRole('group', { name: 'Automatic dial' });
    await expect(countdown).toBeVisible();
    await expect(countdown.getByRole('status')).toHaveText('This record will be dialed automatically in 3 seconds. Press Escape to cancel.');
    await expect(countdown).toContainText(/Dialing in [1-3] seconds?/);
    await softphone.expectAccessible();
    await softphone.screenshot('06-auto-dial-countdown');
    await softphone.waitForCallState('Established');
    await softphone.waitForRecordPhase('on-call');
    expect(softphone.operations('Dial')).toHaveLength(1);
    await expect(countdown).toHaveCount(0);
  });

  test('Escape cancels it: the record stays offered for the agent to dial', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    const countdown = softphone.recordCard.getByRole('group', { name: 'Automatic dial' });
    await expect(countdown).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(countdown).toHaveCount(0);
    await expect.poll(() => softphone.env.session.snapshot.previewRecord.autoDial).toBeUndefined();
    await softphone.waitForRecordPhase('offered');
    // The agent dials when ready: one Dial, theirs.
    await softphone.recordCard.getByTestId('dial').click();
    await softphone.waitForCallState('Established');
    expect(softphone.operations('Dial')).toHaveLength(1);
  });
});

test.describe('automatic dial set by a Workspace option', () => {
  test.use({ simOptions: { scenario: withWorkspaceOptions({ 'outbound.timed-preview-auto-dial': '2' }) } });

  test('outbound.timed-preview-auto-dial dials the offered record', async ({ softphone }) => {
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    await expect(softphone.recordCard.getByRole('group', { name: 'Automatic dial' })).toBeVisible();
    await softphone.waitForCallState('Established');
    expect(softphone.operations('Dial')).toHaveLength(1);
  });
});

test.describe('the pushed record’s sound', () => {
  test.use({ simOptions: { scenario: withWorkspaceOptions({ 'outbound-callback.ringing-bell': 'WARNING|7|0' }) } });

  test('a pushed record sounds the configured alert; a record the agent asked for does not', async ({ softphone }) => {
    const { page } = softphone;
    // Count what the page plays through Web Audio (no speakers in CI): oscillators and their pitches.
    await page.addInitScript(() => {
      const played: number[] = [];
      (window as unknown as { played: number[] }).played = played;
      const original = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        const osc = original.call(this);
        const set = osc.frequency.setValueAtTime.bind(osc.frequency);
        osc.frequency.setValueAtTime = (value: number, time: number) => {
          played.push(value);
          return set(value, time);
        };
        return osc;
      };
    });
    const played = () => page.evaluate(() => (window as unknown as { played: number[] }).played.slice());

    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    await softphone.recordCard.getByTestId('reject-record').click();
    await softphone.waitForNoRecord();
    expect(await played()).toEqual([]);

    await softphone.startPreviewSession('Renewals_Push');
    await softphone.waitForRecordPhase('offered');
    expect(softphone.env.session.snapshot.previewRecord.pushed).toBe(true);
    // WARNING: two alternating tones, twice.
    await expect.poll(played).toEqual([880, 660, 880, 660]);
  });
});
