/** Issue 12 #8: `FocusKeeper` (focus follows the work) on a bare DOM, as Chromium moves focus. */
import './setup';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@testing-library/svelte';
import { FocusKeeper } from '../../renderer/lib/focus';

function button(testid: string, campaign?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.testid = testid;
  b.textContent = testid;
  if (campaign) b.dataset.campaign = campaign;
  return b;
}

/** The MutationObserver callback and the check it queues are microtasks: one macrotask turn runs both. */
function flushObserver(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}

let keeper: FocusKeeper | null = null;
afterEach(() => {
  keeper?.dispose();
  keeper = null;
  document.body.replaceChildren();
});

function mount(...children: HTMLElement[]): HTMLElement {
  const root = document.createElement('main');
  root.append(...children);
  document.body.append(root);
  keeper = new FocusKeeper(root);
  return root;
}

describe('FocusKeeper', () => {
  it('moves focus to what came next, never to a control that was already there', async () => {
    const mine = button('start-session', 'A');
    const other = button('start-session', 'B');
    const root = mount(mine, other);
    mine.focus();
    // Start session: the button goes, Get record comes (another campaign's Start session was there all along).
    const next = button('get-record', 'A');
    mine.replaceWith(next);
    await waitFor(() => expect(next).toHaveFocus());
    expect(root.contains(other)).toBe(true);
  });

  it('gives focus back to a control that was disabled and came back (as Chromium drops it to the page)', async () => {
    const select = document.createElement('select');
    select.dataset.testid = 'agent-state';
    mount(select);
    select.focus();
    // Chromium's focus fixup: a control that is disabled loses focus to the page.
    select.blur();
    select.disabled = true;
    await flushObserver();
    expect(document.body).toHaveFocus();
    select.disabled = false;
    await waitFor(() => expect(select).toHaveFocus());
  });

  it('leaves focus on the page when the agent put it there', async () => {
    const dial = button('dial');
    const root = mount(dial);
    dial.focus();
    dial.blur();
    root.append(button('get-record'));
    await flushObserver();
    expect(document.body).toHaveFocus();
  });
});
