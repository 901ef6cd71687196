/**
 * Figure 4: click on the record card's Dial in Chromium → the simulator has the POST (its HTTP
 * server parsed the request head: Node's `http.server.request.start` diagnostics channel, stamped
 * in this process). Floor: the same request (`previewDialBody` of the record in hand, fresh
 * referenceId) sent with plain `fetch` from Node on agent1's own HTTP session, stamped just before
 * the call. UI and direct dials alternate, one record each; between two, the record is brought back
 * to idle through the core (hang up, complete) so every Dial starts from the same screen.
 */
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { previewDialBody } from '../main/agent/session';
import { now, until } from './clock';
import { BENCH_CAMPAIGN, type World } from './env';
import { installObservers, readDialClicks } from './page';
import { summarize, type Summary } from './stats';

export interface DialResult {
  n: number;
  ui: Summary;
  direct: Summary;
  calibration: { offset: number; rttMs: number };
}

export async function measureDial(world: World, o: { n: number; warmup: number }): Promise<DialResult> {
  const { session, page, sim, direct } = world;
  await installObservers(page);
  await (await session.startPreviewSession(BENCH_CAMPAIGN)).outcome;
  const deviceId = session.snapshot.device?.id;
  if (deviceId === undefined) throw new Error('no device after sign-in');
  const dialPath = `/api/v2/me/devices/${encodeURIComponent(deviceId)}/calls`;

  const received: number[] = [];
  const onRequest = (message: unknown) => {
    const t = now();
    const req = (message as { request: IncomingMessage }).request;
    if (req.method === 'POST' && req.url?.split('?')[0] === dialPath && req.socket.localPort === sim.port) received.push(t);
  };
  diagnostics.subscribe('http.server.request.start', onRequest);

  const uiReceived: number[] = [];
  const uiSkip: boolean[] = [];
  const directLat: number[] = [];
  try {
    const total = 2 * (o.warmup + o.n);
    for (let i = 0; i < total; i++) {
      const warm = i < 2 * o.warmup;
      await (await session.getPreviewRecord(BENCH_CAMPAIGN)).outcome;
      await until('a preview record in hand', () => session.snapshot.previewRecord.phase === 'offered');
      const record = session.snapshot.previewRecord.record;
      if (record === undefined) throw new Error('offered without a record');
      const handle = String(record.recordHandle);
      const seen = received.length;
      if (i % 2 === 0) {
        const dial = page.locator(`[data-testid=record-card][data-phase=offered][data-record-handle="${handle}"] [data-testid=dial]:enabled`);
        await dial.waitFor({ timeout: 10_000 });
        await dial.click();
        await until('the UI Dial at the simulator', () => received.length > seen);
        uiReceived.push(received[seen] as number);
        uiSkip.push(warm);
      } else {
        const body = { ...previewDialBody(deviceId, record), referenceId: randomUUID() };
        const t0 = now();
        const reply = direct.post(dialPath, body);
        await until('the direct Dial at the simulator', () => received.length > seen);
        if (!warm) directLat.push((received[seen] as number) - t0);
        const r = await reply;
        if (r.status !== 200 || r.body?.statusCode !== 0) throw new Error(`direct Dial refused: ${r.status} ${r.text}`);
      }
      // Back to idle: hang the call up and complete the record through the core.
      await until('the dialled call in the core', () => Object.values(session.snapshot.calls).some((c) => c.recordHandle === handle));
      const call = Object.values(session.snapshot.calls).find((c) => c.recordHandle === handle);
      if (call !== undefined) await (await session.hangup(call.id)).outcome;
      await until('the record in wrap-up', () => session.snapshot.previewRecord.phase === 'wrap-up');
      await (await session.completeRecord('NoAnswer')).outcome;
      await until('the record done', () => session.snapshot.previewRecord.phase === 'done');
    }
  } finally {
    diagnostics.unsubscribe('http.server.request.start', onRequest);
  }
  const calibration = await world.calibrate();
  const clicks = await readDialClicks(page);
  if (clicks.length !== uiReceived.length) throw new Error(`${clicks.length} Dial clicks seen in the page for ${uiReceived.length} UI dials`);
  const uiLat = uiReceived.map((t, i) => t - ((clicks[i] as number) - calibration.offset)).filter((_, i) => !uiSkip[i]);
  return { n: o.n, ui: summarize(uiLat), direct: summarize(directLat), calibration: { offset: calibration.offset, rttMs: calibration.rttMs } };
}
