// Issue 13, where the logic lives in the renderer: the wrap-up countdown and the Ready-after-wrap-up
// setting in the header, Do Not Disturb, recording, single-step conference, the disposition picker
// (call panel and after-call form) and the call's attached data in words.
import './setup';
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, fireEvent, within } from '@testing-library/svelte';
import axe from 'axe-core';
import AppHeader from '../../renderer/components/AppHeader.svelte';
import CallPanel from '../../renderer/components/CallPanel.svelte';
import WrapUpForm from '../../renderer/components/WrapUpForm.svelte';
import { clock } from '../../renderer/state/clock.svelte';
import { attachedData, wrapUpEndsAt } from '../../renderer/lib/wrap-up';
import type { AgentSnapshot, CallHistoryEntry } from '../../renderer/lib/types';
import { installSoftphone, makeCall, makePreview, makeSnapshot } from './fixtures';

const DISPOSITIONS = { key: 'DispositionCode', values: ['Sale', 'NoSale', 'Callback'] };

async function seriousViolations(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

function ended(endedAt: number, wrapUpTime?: number): CallHistoryEntry {
  return { callId: 'c0', number: '+12125550101', callType: 'Outbound', result: 'Answered', startedAt: endedAt - 60_000, durationSec: 60, endedAt, ...(wrapUpTime !== undefined && { wrapUpTime }) };
}

/** In After Call Work since `acwSince`, the last call ended at `endedAt` with `wrapUpTime` seconds. */
function inWrapUp(endedAt: number, wrapUpTime: number | undefined, acwSince = endedAt + 500, extra: Partial<AgentSnapshot> = {}): AgentSnapshot {
  const base = makeSnapshot();
  return {
    ...base,
    device: { ...base.device!, userState: { state: 'NotReady', workMode: 'AfterCallWork', displayName: 'AfterCallWork', since: acwSince } },
    callHistory: [ended(endedAt, wrapUpTime)],
    ...extra,
  };
}

describe('the wrap-up window', () => {
  it('ends WrapUpTime after the call, only in After Call Work begun within it, with no live call', () => {
    const t = 1_000_000;
    expect(wrapUpEndsAt(inWrapUp(t, 30))).toBe(t + 30_000);
    expect(wrapUpEndsAt(inWrapUp(t, undefined))).toBeUndefined();
    expect(wrapUpEndsAt(inWrapUp(t, 0))).toBeUndefined();
    expect(wrapUpEndsAt(inWrapUp(t, 30, t + 31_000))).toBeUndefined();
    expect(wrapUpEndsAt(inWrapUp(t, 30, t + 500, { calls: { c1: makeCall() } }))).toBeUndefined();
    expect(wrapUpEndsAt({ ...inWrapUp(t, 30), device: makeSnapshot().device })).toBeUndefined();
  });

  describe('in the header', () => {
    beforeEach(() => {
      clock.now = Date.now();
    });

    it('offers Ready, Not Ready, each configured reason and After Call Work', () => {
      installSoftphone();
      render(AppHeader, { agent: makeSnapshot(), app: null, online: true });
      const state = screen.getByRole('combobox', { name: 'Agent state' });
      expect(within(state).getAllByRole('option').map((o) => o.textContent)).toEqual(['Ready', 'Not Ready', 'Not Ready – Lunch', 'Not Ready – Break', 'After Call Work']);
    });

    it('counts the time left down and lets the agent go back to Ready by itself', async () => {
      const softphone = installSoftphone();
      render(AppHeader, { agent: inWrapUp(Date.now() - 5_000, 30), app: null, online: true });
      const left = screen.getByRole('timer', { name: /^Wrap-up time left/ });
      expect(left.textContent).toMatch(/^Wrap-up 0:2[45] left$/);
      const auto = screen.getByRole('checkbox', { name: 'Ready when wrap-up ends' });
      expect(auto).not.toBeChecked();
      await fireEvent.click(auto);
      expect(softphone.setReadyAfterWrapUp).toHaveBeenCalledWith({ enabled: true });
      expect(await seriousViolations()).toEqual([]);
    });

    it('shows no countdown without a WrapUpTime, and a setting IT locked as read-only', () => {
      installSoftphone();
      const agent = inWrapUp(Date.now() - 5_000, undefined);
      render(AppHeader, { agent: { ...agent, workRules: { afterCallWork: true, afterComplete: 'previous', callingHours: { start: '08:00', end: '21:00', outside: 'ask' }, readyAfterWrapUp: { enabled: true, locked: true } } }, app: null, online: true });
      expect(screen.queryByRole('timer', { name: /^Wrap-up time left/ })).toBeNull();
      const auto = screen.getByRole('checkbox', { name: /Ready when wrap-up ends/ });
      expect(auto).toBeChecked();
      expect(auto).toBeDisabled();
      expect(screen.getByText('(set by IT)')).toBeInTheDocument();
    });

    it('is not there outside After Call Work', () => {
      installSoftphone();
      render(AppHeader, { agent: makeSnapshot(), app: null, online: true });
      expect(screen.queryByTestId('after-call-work')).toBeNull();
    });

    it('toggles Do Not Disturb when the device offers it', async () => {
      const softphone = installSoftphone();
      const base = makeSnapshot();
      const { rerender } = render(AppHeader, { agent: base, app: null, online: true });
      expect(screen.queryByRole('button', { name: 'Do Not Disturb' })).toBeNull();
      await rerender({ agent: { ...base, device: { ...base.device!, capabilities: ['DoNotDisturbOn'] } }, app: null, online: true });
      const dnd = screen.getByRole('button', { name: 'Do Not Disturb' });
      expect(dnd).toHaveAttribute('aria-pressed', 'false');
      await fireEvent.click(dnd);
      expect(softphone.setDoNotDisturb).toHaveBeenCalledWith({ on: true });
      await rerender({ agent: { ...base, device: { ...base.device!, doNotDisturb: true, capabilities: ['DoNotDisturbOff'] } }, app: null, online: true });
      expect(screen.getByRole('button', { name: 'Do Not Disturb' })).toHaveAttribute('aria-pressed', 'true');
    });
  });
});

describe('the call panel', () => {
  it('starts recording, then shows the indicator and Stop recording', async () => {
    const softphone = installSoftphone();
    const { rerender } = render(CallPanel, { call: makeCall({ capabilities: ['Hangup', 'Hold', 'StartCallRecording'] }) });
    expect(screen.queryByTestId('recording-indicator')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Start recording' }));
    expect(softphone.startCallRecording).toHaveBeenCalledWith({ callId: 'call-1' });
    await rerender({ call: makeCall({ capabilities: ['Hangup', 'Hold', 'StopCallRecording'], recordingState: 'Recording', recording: true }) });
    expect(screen.getByRole('status')).toHaveTextContent('Recording');
    expect(screen.queryByRole('button', { name: 'Start recording' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(softphone.stopCallRecording).toHaveBeenCalledWith({ callId: 'call-1' });
    await rerender({ call: makeCall({ capabilities: ['Hangup', 'Hold', 'StartCallRecording'], recordingState: 'Stopped', recording: false }) });
    expect(screen.queryByTestId('recording-indicator')).toBeNull();
  });

  it('offers a single-step conference when the capability is there, and only then', async () => {
    const softphone = installSoftphone();
    const { rerender } = render(CallPanel, { call: makeCall({ capabilities: ['Hangup', 'SingleStepConference'] }) });
    await fireEvent.click(screen.getByRole('button', { name: 'Transfer / Conference' }));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Transfer or conference to' }), { target: { value: '5002' } });
    expect(screen.queryByRole('button', { name: 'Blind transfer' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Single-step conference' }));
    expect(softphone.singleStepConference).toHaveBeenCalledWith({ callId: 'call-1', phoneNumber: '5002' });
    await rerender({ call: makeCall({ capabilities: ['Hangup', 'SingleStepTransfer'] }) });
    expect(screen.queryByRole('button', { name: 'Single-step conference' })).toBeNull();
  });

  it('sets a disposition on a live call and shows the one the call carries', async () => {
    const softphone = installSoftphone();
    const { rerender } = render(CallPanel, { call: makeCall(), dispositions: DISPOSITIONS });
    const picker = screen.getByRole('combobox', { name: 'Disposition' });
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a disposition', 'Sale', 'NoSale', 'Callback']);
    await fireEvent.change(picker, { target: { value: 'Sale' } });
    expect(softphone.setCallDisposition).toHaveBeenCalledWith({ callId: 'call-1', disposition: 'Sale' });
    await rerender({ call: makeCall({ userData: { DispositionCode: 'Callback' } }), dispositions: DISPOSITIONS });
    expect(screen.getByRole('combobox', { name: 'Disposition' })).toHaveValue('Callback');
  });

  it('has no picker without configured dispositions, nor on a ringing call', async () => {
    installSoftphone();
    const { rerender } = render(CallPanel, { call: makeCall(), dispositions: { key: 'DispositionCode', values: [] } });
    expect(screen.queryByRole('combobox', { name: 'Disposition' })).toBeNull();
    await rerender({ call: makeCall({ state: 'Ringing', capabilities: ['Answer'], establishedAt: undefined }), dispositions: DISPOSITIONS });
    expect(screen.queryByRole('combobox', { name: 'Disposition' })).toBeNull();
  });

  it('shows attached data in words: the customer first, the campaign in words, the plumbing behind its own toggle', () => {
    installSoftphone();
    const userData = {
      GSW_CALL_ATTEMPT_GUID: '1b2c', GSW_CAMPAIGN_NAME: 'Collections_Preview', GSW_CALL_RESULT: 7, InteractionType: 'Outbound',
      account_number: 'AC-100234', DispositionCode: 'Sale',
    };
    render(CallPanel, { call: makeCall({ userData }), dispositions: DISPOSITIONS });
    const data = screen.getByTestId('call-user-data');
    expect(within(data).getByText('Call data (6)')).toBeInTheDocument();
    const rows = within(data).getAllByRole('row');
    expect(rows.slice(0, 4).map((r) => r.textContent)).toEqual(['DispositionSale', 'Account numberAC-100234', 'CampaignCollections_Preview', 'Call resultNo answer']);
    const technical = screen.getByTestId('call-user-data-technical');
    expect(within(technical).getByText('Technical details (2)')).toBeInTheDocument();
    expect(attachedData(userData, 'DispositionCode').technical.map((r) => r.key)).toEqual(['GSW_CALL_ATTEMPT_GUID', 'InteractionType']);
  });
});

describe('the after-call form', () => {
  it('sets the disposition on the record\'s call (released or not) and counts the time left', async () => {
    clock.now = Date.now();
    const softphone = installSoftphone();
    render(WrapUpForm, {
      preview: makePreview({ phase: 'wrap-up', callId: 'call-9' }),
      callResults: ['Answer', 'Busy'],
      established: true,
      dispositions: DISPOSITIONS,
      wrapUpEndsAt: Date.now() + 20_500,
    });
    const form = screen.getByTestId('wrap-up');
    expect(within(form).getByRole('timer', { name: /^Wrap-up time left 0:(19|20)$/ })).toBeInTheDocument();
    await fireEvent.change(within(form).getByRole('combobox', { name: 'Disposition' }), { target: { value: 'NoSale' } });
    expect(softphone.setCallDisposition).toHaveBeenCalledWith({ callId: 'call-9', disposition: 'NoSale' });
    expect(await screen.findByRole('combobox', { name: 'Disposition' })).toHaveValue('NoSale');
  });
});
