// The outbox file store: atomic writes (temp + fsync + rename), a corrupt file moved aside and
// reported, a full disk (ENOSPC) reported with the entries kept in memory — never lost, never a crash.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxFs, OutboxStoreProblem } from '../../main/agent/outbox';
import { Outbox, fileOutboxStore, memoryOutboxStore } from '../../main/agent/outbox';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(n: number, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: `ref-${n}`,
    referenceId: `ref-${n}`,
    operationName: 'CompleteRecord',
    recordHandle: String(100 + n),
    campaignName: 'C1',
    callResult: 'Answer',
    path: `/api/v2/me/outbound-records/${100 + n}`,
    body: { operationName: 'CompleteRecord', applicationId: 134, devicePath: '/devices/d1', campaignName: 'C1', callingList: 'CL1', callResult: 'Answer' },
    serverUrl: 'http://gws.test',
    userName: 'agent1',
    state: 'pending',
    attempts: 0,
    createdAt: 1_000 + n,
    updatedAt: 1_000 + n,
    ...extra,
  };
}

const realOutboxFs = realFs as unknown as OutboxFs;
const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('file outbox store', () => {
  it('round-trips entries and starts empty without a file', async () => {
    const store = fileOutboxStore(join(dir, 'sub', 'outbox.json'));
    expect(await store.load()).toEqual([]);
    await store.save([entry(1), entry(2, { state: 'unknown', attempts: 2, lastError: { code: 'TIMEOUT', message: 'no reply' } })]);
    expect(await store.load()).toEqual([entry(1), entry(2, { state: 'unknown', attempts: 2, lastError: { code: 'TIMEOUT', message: 'no reply' } })]);
    expect(await readdir(join(dir, 'sub'))).toEqual(['outbox.json']); // no temp file left behind
  });

  it('writes a temp file, fsyncs it, then renames it over the old file', async () => {
    const calls: string[] = [];
    const fs: OutboxFs = {
      ...realOutboxFs,
      readFile: realOutboxFs.readFile,
      mkdir: realOutboxFs.mkdir,
      unlink: realOutboxFs.unlink,
      async open(path, flags) {
        const handle = await realOutboxFs.open(path, flags);
        return {
          writeFile: async (data: string) => {
            calls.push(`write ${path.endsWith('outbox.json') ? 'target' : path.includes('.tmp-') ? 'temp' : 'dir'}`);
            await handle.writeFile(data);
          },
          sync: async () => {
            calls.push(`fsync ${path.includes('.tmp-') ? 'temp' : 'dir'}`);
            await handle.sync();
          },
          close: () => handle.close(),
        };
      },
      async rename(from, to) {
        calls.push(`rename ${from.includes('.tmp-') ? 'temp' : from} → ${to.endsWith('outbox.json') ? 'target' : to}`);
        await realOutboxFs.rename(from, to);
      },
    };
    await fileOutboxStore(join(dir, 'outbox.json'), { fs }).save([entry(1)]);
    expect(calls).toEqual(['write temp', 'fsync temp', 'rename temp → target', 'fsync dir']);
  });

  it('keeps the previous file intact when a write dies half-way (crash before the rename)', async () => {
    const path = join(dir, 'outbox.json');
    await fileOutboxStore(path).save([entry(1)]);
    const fs: OutboxFs = {
      ...realOutboxFs,
      async open(p, flags) {
        const handle = await realOutboxFs.open(p, flags);
        return {
          writeFile: async (data: string) => {
            await handle.writeFile(data.slice(0, 10)); // half a file…
            throw enospc(); // …then the disk is full
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    };
    await expect(fileOutboxStore(path, { fs }).save([entry(1), entry(2)])).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await fileOutboxStore(path).load()).toEqual([entry(1)]);
    expect(await readdir(dir)).toEqual(['outbox.json']); // the temp file was removed
  });

  it('moves a corrupt file aside, reports it and starts empty instead of crashing', async () => {
    const path = join(dir, 'outbox.json');
    await writeFile(path, '{"version":1,"entries":[{"id":');
    const problems: OutboxStoreProblem[] = [];
    const store = fileOutboxStore(path, { onProblem: (p) => problems.push(p), now: () => 42 });
    expect(await store.load()).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'corrupt', movedTo: `${path}.corrupt-42` })]);
    expect(await readFile(`${path}.corrupt-42`, 'utf8')).toBe('{"version":1,"entries":[{"id":');
    await store.save([entry(3)]);
    expect(await store.load()).toEqual([entry(3)]);
  });

  it('keeps the readable entries of a file with a few bad ones, and reports the rest', async () => {
    const path = join(dir, 'outbox.json');
    await writeFile(path, JSON.stringify({ version: 1, entries: [entry(1), { id: 'x' }, entry(2, { state: 'bogus' as never })] }));
    const problems: OutboxStoreProblem[] = [];
    expect(await fileOutboxStore(path, { onProblem: (p) => problems.push(p) }).load()).toEqual([entry(1)]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'invalid-entries' })]);
  });

  it('treats a JSON file of another shape as corrupt', async () => {
    const path = join(dir, 'outbox.json');
    await writeFile(path, '[1,2,3]');
    const problems: OutboxStoreProblem[] = [];
    expect(await fileOutboxStore(path, { onProblem: (p) => problems.push(p) }).load()).toEqual([]);
    expect(problems[0]?.kind).toBe('corrupt');
  });
});

describe('Outbox (memory + persistence)', () => {
  it('reports ENOSPC, keeps the entry in memory, and saves it once the disk has room again', async () => {
    const path = join(dir, 'outbox.json');
    let full = true;
    const fs: OutboxFs = {
      ...realOutboxFs,
      async open(p, flags) {
        if (full && p.includes('.tmp-')) throw enospc();
        return realOutboxFs.open(p, flags);
      },
    };
    const errors: unknown[] = [];
    let recovered = 0;
    const outbox = new Outbox({ store: fileOutboxStore(path, { fs }), onStorageError: (e) => errors.push(e), onStorageRecovered: () => (recovered += 1) });
    await outbox.loaded;
    await outbox.add(entry(1)); // does not throw
    expect(outbox.entries).toEqual([entry(1)]);
    expect(outbox.storageError).toMatch(/ENOSPC.*kept in memory/);
    expect(errors).toHaveLength(1);
    full = false;
    await outbox.flush();
    expect(outbox.storageError).toBeNull();
    expect(recovered).toBe(1);
    expect(await fileOutboxStore(path).load()).toEqual([entry(1)]);
  });

  it('reloads entries that were in flight as unknown (their outcome must be checked, not re-sent blindly)', async () => {
    const store = memoryOutboxStore([entry(1, { state: 'sending', attempts: 1 }), entry(2, { state: 'accepted', attempts: 1 }), entry(3), entry(4, { state: 'failed' })]);
    const outbox = new Outbox({ store });
    await outbox.loaded;
    expect(outbox.entries.map((e) => e.state)).toEqual(['unknown', 'unknown', 'pending', 'failed']);
  });

  it('serialises saves: the last list always wins', async () => {
    const store = memoryOutboxStore();
    const outbox = new Outbox({ store });
    await outbox.loaded;
    void outbox.add(entry(1));
    void outbox.add(entry(2));
    outbox.update('ref-1', { state: 'sending' });
    outbox.remove('ref-2');
    await outbox.flush();
    expect(store.entries).toEqual([entry(1, { state: 'sending' })]);
  });

  it('orders delivery per record: a later outcome waits for an earlier undelivered one', async () => {
    const outbox = new Outbox({ store: memoryOutboxStore([entry(1, { operationName: 'UpdateRecord', recordHandle: '7' }), entry(2, { recordHandle: '7' }), entry(3, { recordHandle: '8' })]) });
    await outbox.loaded;
    const [update, complete, other] = outbox.entries as [OutboxEntry, OutboxEntry, OutboxEntry];
    expect(outbox.blockedByEarlier(update)).toBe(false);
    expect(outbox.blockedByEarlier(complete)).toBe(true);
    expect(outbox.blockedByEarlier(other)).toBe(false);
    outbox.update(update.id, { state: 'accepted' });
    expect(outbox.blockedByEarlier(complete)).toBe(false);
  });
});
