import './setup';
import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import WrapUpForm from '../../renderer/components/WrapUpForm.svelte';
import { FALLBACK_CALL_RESULTS } from '../../renderer/lib/call-results';
import { installSoftphone, makeCall, makePreview, makeRecord } from './fixtures';

const RESULTS = ['Answer', 'Busy', 'NoAnswer', 'AnsweringMachine', 'WrongParty'];
const wrapUp = () => makePreview({ phase: 'wrap-up', callId: 'call-1' });

describe('WrapUpForm', () => {
  it('preselects Answer when the customer was reached', () => {
    installSoftphone();
    render(WrapUpForm, { preview: wrapUp(), callResults: RESULTS, established: true });
    expect(screen.getByTestId('call-result')).toHaveValue('Answer');
  });

  it('preselects NoAnswer when the call never connected', () => {
    installSoftphone();
    render(WrapUpForm, { preview: wrapUp(), callResults: RESULTS, established: false });
    expect(screen.getByTestId('call-result')).toHaveValue('NoAnswer');
  });

  it("preselects the call's GSW_CALL_RESULT (a number) when OCS set one", () => {
    installSoftphone();
    const call = makeCall({ state: 'Released', userData: { GSW_CALL_RESULT: 6 } });
    render(WrapUpForm, { preview: wrapUp(), callResults: RESULTS, established: false, call });
    expect(screen.getByTestId('call-result')).toHaveValue('Busy');
  });

  it("uses the record's GSW_CALL_RESULT by name, but not Unknown", () => {
    installSoftphone();
    const preview = makePreview({ phase: 'wrap-up', record: makeRecord({ userData: { GSW_CALL_RESULT: 'AnsweringMachine' } }) });
    render(WrapUpForm, { preview, callResults: RESULTS, established: true });
    expect(screen.getByTestId('call-result')).toHaveValue('AnsweringMachine');
  });

  it('completes with the preselected result', async () => {
    const softphone = installSoftphone();
    render(WrapUpForm, { preview: wrapUp(), callResults: RESULTS, established: true });
    await fireEvent.click(screen.getByTestId('complete'));
    expect(softphone.completeRecord).toHaveBeenCalledWith({ recordHandle: 101, callResult: 'Answer' });
  });

  it('completes and gets the next record with the chosen result and a note', async () => {
    const softphone = installSoftphone();
    render(WrapUpForm, { preview: wrapUp(), callResults: RESULTS, established: true });
    await fireEvent.change(screen.getByTestId('call-result'), { target: { value: 'WrongParty' } });
    await fireEvent.input(screen.getByTestId('call-note'), { target: { value: '  Spoke to the neighbour.  ' } });
    const next = screen.getByTestId('complete-next');
    expect(next).toHaveAttribute('aria-keyshortcuts', 'Control+N');
    await fireEvent.click(next);
    expect(softphone.completeRecord).toHaveBeenCalledWith({
      recordHandle: 101,
      callResult: 'WrongParty',
      note: 'Spoke to the neighbour.',
      getNext: true,
    });
  });

  it('is disabled while completing', () => {
    installSoftphone();
    render(WrapUpForm, { preview: makePreview({ phase: 'completing' }), callResults: RESULTS, established: true });
    expect(screen.getByTestId('complete')).toBeDisabled();
    expect(screen.getByTestId('complete-next')).toBeDisabled();
  });

  it('offers the standard OCS names as a fallback list', () => {
    installSoftphone();
    render(WrapUpForm, { preview: wrapUp(), callResults: FALLBACK_CALL_RESULTS, established: false });
    expect(screen.getByRole('option', { name: 'Answering machine' })).toBeInTheDocument();
    expect(screen.getByTestId('call-result')).toHaveValue('NoAnswer');
  });

  it("#3 preselects the server's result kept after the call is gone, and says why the call ended", () => {
    installSoftphone();
    // The record's call left the snapshot; the core kept its release data (GSW_CALL_RESULT 6).
    render(WrapUpForm, { preview: makePreview({ phase: 'wrap-up', callId: 'call-1', serverCallResult: 'Busy' }), callResults: RESULTS, established: false });
    expect(screen.getByTestId('call-result')).toHaveValue('Busy');
    expect(screen.getByTestId('call-end-reason')).toHaveTextContent('The line was busy.');
  });

  it('#3 an answering machine is preselected and said as such', () => {
    installSoftphone();
    render(WrapUpForm, { preview: makePreview({ phase: 'wrap-up', callId: 'call-1', serverCallResult: 'AnsweringMachine' }), callResults: RESULTS, established: false });
    expect(screen.getByTestId('call-result')).toHaveValue('AnsweringMachine');
    expect(screen.getByTestId('call-end-reason')).toHaveTextContent('An answering machine answered.');
  });

  it('#13 offers no "Complete and get next" on a push campaign (records come by themselves)', () => {
    installSoftphone();
    render(WrapUpForm, { preview: wrapUp(), callResults: RESULTS, established: true, dialingMode: 'PushPreview' });
    expect(screen.queryByTestId('complete-next')).toBeNull();
    expect(screen.getByTestId('complete')).toBeEnabled();
  });
});
