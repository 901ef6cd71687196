/**
 * Keyboard focus that follows the work (issue 12 #8). Buttons vanish or disable as the call and the
 * record move on (Start session → Get record, Dial → the call, Hang up → the after-call form,
 * Complete → the next record); the browser then drops focus to the page and a keyboard agent must
 * Tab from the top. `FocusKeeper` notices that the focused control went away, and puts focus on
 * what the agent needs next, once it is there.
 */

/** What comes next, most specific first; each must be enabled to take focus. */
const NEXT_FOCUS: readonly string[] = [
  '[data-testid=wrap-up] [data-testid=call-result]:not(:disabled)',
  '[data-testid=record-card] [data-testid=dial]:not(:disabled)',
  '[data-testid=call]:not([data-call-state=Released])',
  '[data-testid=get-record]:not(:disabled)',
  '[data-testid=start-session]:not(:disabled)',
];

/** How long after losing focus a control that appears may still take it. */
const RESCUE_WINDOW_MS = 15_000;

function unusable(el: Element | null): boolean {
  return !el || !el.isConnected || el === el.ownerDocument.body || (el as HTMLButtonElement).disabled === true;
}

export class FocusKeeper {
  private last: HTMLElement | null = null;
  private lostAt: number | null = null;
  /**
   * What could take focus while focus was still fine: not the work that came next (another
   * campaign's Start session, a call that was already there).
   */
  private stale = new Set<Element>();
  private scheduled = false;
  private readonly observer: MutationObserver;

  constructor(
    private readonly root: HTMLElement,
    private readonly now: () => number = Date.now,
  ) {
    this.observer = new MutationObserver(() => this.schedule());
    this.observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'data-call-state', 'data-phase'] });
    root.ownerDocument.addEventListener('focusin', this.onFocusIn);
  }

  dispose(): void {
    this.observer.disconnect();
    this.root.ownerDocument.removeEventListener('focusin', this.onFocusIn);
  }

  private readonly onFocusIn = (event: FocusEvent) => {
    const target = event.target;
    if (target instanceof HTMLElement && this.root.contains(target)) {
      this.last = target;
      this.lostAt = null;
      this.stale = new Set(this.candidates());
    }
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.check();
    });
  }

  /** Public for tests: runs after every DOM change of the workspace. */
  check(): void {
    const doc = this.root.ownerDocument;
    if (!unusable(doc.activeElement)) {
      // Focus is on a live control: what could take it now is not "what came next" later.
      this.stale = new Set(this.candidates());
      this.lostAt = null;
      return;
    }
    if (!this.last) return;
    if (!unusable(this.last)) {
      // The control came back (the state control re-enabled, a Dial that failed): focus returns to
      // it. Unless focus was never lost: the agent moved it away on purpose (clicked the page).
      if (this.lostAt !== null) {
        this.lostAt = null;
        this.last.focus();
      }
      return;
    }
    this.lostAt ??= this.now();
    if (this.now() - this.lostAt > RESCUE_WINDOW_MS) {
      this.last = null;
      this.lostAt = null;
      return;
    }
    const next = this.candidates().find((el) => !this.stale.has(el));
    if (next) {
      next.focus();
      next.scrollIntoView?.({ block: 'nearest' });
    }
  }

  private candidates(): HTMLElement[] {
    return NEXT_FOCUS.flatMap((selector) => [...this.root.querySelectorAll<HTMLElement>(selector)]);
  }
}

/**
 * Escape closes the open panel (keypad, transfer, reschedule, edit, do not call) that holds focus,
 * else the last one open, through its own toggle (`aria-expanded` + `aria-controls`), and puts focus
 * back on that toggle. False if nothing was open.
 */
export function closeOpenPanel(doc: Document = document): boolean {
  const toggles = [...doc.querySelectorAll<HTMLButtonElement>('button[aria-expanded="true"][aria-controls]:not(:disabled)')];
  if (toggles.length === 0) return false;
  const active = doc.activeElement;
  const holder = toggles.find((toggle) => {
    if (toggle === active) return true;
    return (toggle.getAttribute('aria-controls') ?? '').split(/\s+/).some((id) => {
      const panel = id ? doc.getElementById(id) : null;
      return panel !== null && active !== null && panel.contains(active);
    });
  });
  const toggle = holder ?? toggles[toggles.length - 1]!;
  toggle.click();
  toggle.focus();
  return true;
}
