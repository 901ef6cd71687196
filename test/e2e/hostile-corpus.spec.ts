/**
 * Every field the agent desktop shows, filled with the hostile corpus (test/fixtures/hostile-corpus.ts,
 * ≥ 50 XSS and layout-breaking payloads): record fields (customer name, notes, every custom field,
 * the free-text phone number), the campaign description, the agent's first and last name, the
 * not-ready reason names, an inbound call's caller and its user data. The agent gets several records
 * (Get record, Reject, Get record …) and takes a call. Throughout: no dialog (the fixture fails the
 * test on any), no request to any host but the harness, no element injected, no horizontal overflow,
 * and the Dial button visible and clickable.
 */
import type { Page } from '@playwright/test';
import { loadScenarioFile, DEFAULT_SCENARIO_FILE } from '../../sim';
import { HOSTILE_CORPUS } from '../fixtures/hostile-corpus';
import { test, expect, type Softphone } from './support/softphone';

const CAMPAIGN = 'Collections_Preview';
const value = (id: string): string => {
  const found = HOSTILE_CORPUS.find((p) => p.id === id);
  if (!found) throw new Error(`no corpus entry ${id}`);
  return found.value;
};
/** Payloads small enough for single-line places (names, options). */
const SHORT = HOSTILE_CORPUS.filter((p) => p.value.length < 2_000);
const ALL_FIELDS = Object.fromEntries(HOSTILE_CORPUS.map((p) => [`x_${p.id}`, p.value]));
const REJECTS = 4;

function hostileScenario() {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
  const agent = scenario.agents.find((a) => a.userName === 'agent1')!;
  agent.firstName = value('svg-onload');
  agent.lastName = value('long-word');
  scenario.agentStates = SHORT.slice(0, 8).map((p, i) => ({ operationName: `Reason${i}`, displayName: p.value, state: 'NotReady', reason: `Reason${i}` }));
  const campaign = scenario.campaigns.find((c) => c.name === CAMPAIGN)!;
  campaign.description = `${value('style-attr')} ${value('long-words')}`;
  campaign.records.forEach((record, i) => {
    const name = SHORT[i % SHORT.length]!;
    const notes = SHORT[(i + 7) % SHORT.length]!;
    // Every record carries the whole corpus as custom fields; names and notes rotate.
    record.fields = { ...record.fields, ...ALL_FIELDS, customer_name: name.value, notes: notes.value, customerName: name.value };
    // A free-text phone number on records that are not dialled first.
    if (i >= 2) record.phoneNumber = SHORT[(i + 3) % SHORT.length]!.value;
  });
  return scenario;
}

test.use({ simOptions: { scenario: hostileScenario() } });

/** Elements or attributes no payload may create (inside the app; the page's own head is fixed). */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const app = document.getElementById('app')!;
    for (const el of Array.from(app.querySelectorAll('*'))) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'style', 'link', 'meta', 'base', 'img', 'iframe', 'object', 'embed', 'math', 'svg', 'a', 'frame', 'frameset', 'body', 'html', 'head', 'title'].includes(tag)) found.push(`<${tag}>`);
      if (tag === 'form' && el.hasAttribute('action')) found.push('<form action>');
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name) || (attr.name === 'style' && attr.value.trim() !== '') || attr.name === 'srcdoc' || /^\s*(javascript|vbscript|data):/i.test(attr.value)) found.push(`${tag}[${attr.name}=${attr.value.slice(0, 60)}] ${el.outerHTML.slice(0, 160)}`);
      }
    }
    // The page's own scripts (the app bundle, the harness's transport) are same-origin files; none is inline.
    for (const script of Array.from(document.querySelectorAll('script'))) {
      if (!script.src || !script.src.startsWith(`${location.origin}/`)) found.push(`script ${script.src || '(inline)'}`);
    }
    if (document.querySelectorAll('base, iframe, object, embed, meta[http-equiv="refresh"]').length) found.push('foreign element in the document');
    if (document.styleSheets.length > 1) found.push(`${document.styleSheets.length} style sheets`);
    return found;
  });
}

async function expectIntact(softphone: Softphone, where: string) {
  const { page } = softphone;
  expect(await injected(page), `${where}: nothing injected`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where}: no horizontal overflow`).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => document.title), `${where}: title`).toBe('GWS Softphone');
}

async function expectDialUsable(softphone: Softphone, where: string) {
  const dial = softphone.recordCard.getByTestId('dial');
  await dial.scrollIntoViewIfNeeded();
  await expect(dial, `${where}: Dial visible`).toBeInViewport();
  await expect(dial, `${where}: Dial enabled`).toBeEnabled();
  // Clickable: the element at its centre is the button itself (nothing laid over it).
  const box = (await dial.boundingBox())!;
  const hit = await softphone.page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid=dial]') !== null, [box.x + box.width / 2, box.y + box.height / 2]);
  expect(hit, `${where}: Dial is the element under the pointer`).toBe(true);
}

test('the hostile corpus in every field renders inert and the desktop stays usable', async ({ softphone }) => {
  test.setTimeout(180_000);
  expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(50);
  const { page } = softphone;
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(softphone.env.harness.origin) && !url.startsWith('data:')) foreign.push(url);
  });
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(softphone.env.harness.origin.replace(/^http/, 'ws'))) foreign.push(ws.url());
  });

  await softphone.readyOnPreviewCampaign(CAMPAIGN);
  await expect(page.getByTestId('agent-identity')).toContainText(value('svg-onload'));
  await expect(softphone.campaign(CAMPAIGN)).toContainText('overlay');
  // The reason names are options of the state selector, as text.
  const options = await page.getByTestId('agent-state').locator('option').allTextContents();
  expect(options.join('\n')).toContain('<script>alert(1)</script>');
  await expectIntact(softphone, 'workspace');

  // Record after record: every payload as a custom field, names and notes rotating.
  const names = new Set<string>();
  for (let round = 0; round <= REJECTS; round += 1) {
    await softphone.getRecord(CAMPAIGN);
    const card = softphone.recordCard;
    const fields = card.locator('[data-testid=record-fields] [data-field]');
    await expect(fields.first()).toBeAttached();
    const rendered = await fields.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
    for (const p of HOSTILE_CORPUS) expect(rendered, `record ${round}: field x_${p.id}`).toContain(`x_${p.id}`);
    await expect(card.locator('[data-field=x_script]')).toContainText('<script>alert(1)</script>');
    await expect(card.locator('[data-field=x_angular]')).toContainText("{{constructor.constructor('alert(1)')()}}");
    names.add((await card.getByTestId('customer-name').textContent()) ?? '');
    await expectIntact(softphone, `record ${round}`);
    await expectDialUsable(softphone, `record ${round}`);
    if (round === 0) await softphone.screenshot('10-hostile-corpus-record');
    if (round < REJECTS) {
      await card.getByTestId('reject-record').click();
      await softphone.waitForNoRecord();
    }
  }
  expect(names.size, 'several different hostile customer names were shown').toBeGreaterThanOrEqual(3);

  // Dial the record in hand: the call panel shows the record's user data (the whole corpus).
  await softphone.recordCard.getByTestId('dial').click();
  await softphone.waitForCallState('Established');
  await page.getByTestId('call-user-data').locator('summary').first().click();
  await expectIntact(softphone, 'preview call');

  // An inbound call from a hostile caller with hostile user data.
  const callId = softphone.sim.control.inboundCall({ to: 'agent1', from: value('img-onerror'), userData: { ...ALL_FIELDS, customerName: value('script') } });
  const inbound = page.locator(`[data-testid=call][data-call-id="${callId}"]`);
  await expect(inbound).toBeVisible();
  await expect(inbound.getByTestId('call-party')).toContainText('<img src=x onerror=alert(1)>');
  await inbound.getByTestId('call-user-data').locator('summary').first().click();
  // The call data shows keys in words ("X script"); each row keeps the key as sent in data-field.
  const keys = await inbound.locator('[data-testid=call-user-data] [data-field]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
  for (const id of ['script', 'angular', 'template-literal', 'svelte-html', 'rtl-override']) expect(keys, id).toContain(`x_${id}`);
  await expect(inbound.locator('[data-testid=call-user-data] [data-field=x_script]')).toContainText('<script>alert(1)</script>');
  await expectIntact(softphone, 'inbound call');
  await expect(page.getByTestId('dial-pad-dial')).toBeVisible();
  await softphone.screenshot('11-hostile-corpus-call');

  expect(foreign, 'no request to any host but the harness').toEqual([]);
});
