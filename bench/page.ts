/**
 * What the benchmark installs in the page (through page.evaluate, once): a MutationObserver that
 * logs every `[data-testid=call]` whose `data-call-state` appears or changes, and a capturing click
 * listener that logs clicks on the record card's Dial. Both stamp `performance.now()` of the page
 * and push to arrays read in one go at the end: nothing crosses CDP per message.
 */
import type { Page } from 'playwright-core';

/** [callId, state, page performance.now()] */
export type CallObservation = [string, string, number];

interface BenchGlobals {
  __bench: { calls: CallObservation[]; dialClicks: number[]; observer: MutationObserver };
}

export async function installObservers(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as Partial<BenchGlobals>;
    if (w.__bench) return;
    const calls: CallObservation[] = [];
    const dialClicks: number[] = [];
    const log = (el: Element, t: number) => {
      const id = el.getAttribute('data-call-id');
      const state = el.getAttribute('data-call-state');
      if (id !== null && state !== null) calls.push([id, state, t]);
    };
    const observer = new MutationObserver((records) => {
      const t = performance.now();
      for (const r of records) {
        if (r.type === 'attributes') {
          const el = r.target as Element;
          if (el.getAttribute('data-testid') === 'call') log(el, t);
          continue;
        }
        for (const node of r.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (node.matches('[data-testid=call]')) log(node, t);
          for (const el of node.querySelectorAll('[data-testid=call]')) log(el, t);
        }
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-call-state'] });
    window.addEventListener(
      'click',
      (e) => {
        const target = e.target instanceof Element ? e.target : null;
        if (target?.closest('[data-testid=dial]')) dialClicks.push(performance.now());
      },
      true,
    );
    w.__bench = { calls, dialClicks, observer };
  });
}

/** Observations since index `from` (and the new length). */
export async function readCallLog(page: Page, from = 0): Promise<{ entries: CallObservation[]; length: number }> {
  return page.evaluate((start) => {
    const b = (window as unknown as BenchGlobals).__bench;
    return { entries: b.calls.slice(start), length: b.calls.length };
  }, from);
}

export async function callLogLength(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as BenchGlobals).__bench.calls.length);
}

export async function readDialClicks(page: Page): Promise<number[]> {
  return page.evaluate(() => [...(window as unknown as BenchGlobals).__bench.dialClicks]);
}

/** The states the DOM shows now, by call id. */
export async function domCallStates(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const el of document.querySelectorAll('[data-testid=call]')) {
      const id = el.getAttribute('data-call-id');
      if (id !== null) out[id] = el.getAttribute('data-call-state') ?? '';
    }
    return out;
  });
}

/** Page times at which `changes` messages arrived (see the init script in env.ts), from index `from`. */
export async function readChangeArrivals(page: Page, from = 0): Promise<{ entries: number[]; length: number }> {
  return page.evaluate((start) => {
    const stamps = (window as unknown as { __benchWs?: number[] }).__benchWs ?? [];
    return { entries: stamps.slice(start), length: stamps.length };
  }, from);
}
