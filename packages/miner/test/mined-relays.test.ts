import { describe, expect, it } from 'vitest';
import { Subject, firstValueFrom, from, toArray } from 'rxjs';
import type { ServedRelay } from '@relayminer/proxy';
import { MiningLookupError, minedRelays, mineBatch, type DroppedRelay, type MinedRelay, type MinerDependencies } from '../src/index.js';
import { targets, toHex, vectorRelays } from './vectors.js';

/** Relays of relays.json that the chain's ValidateBasic refuses, and which half refuses them. */
const INVALID: Record<string, 'invalid_request' | 'invalid_response'> = {
  r10: 'invalid_response', // unsigned error reply
  r14: 'invalid_request', // no application signature
  // Session start 9 = end 9: SessionHeader.ValidateBasic needs start < end, and the request is checked first.
  r15: 'invalid_request',
  r16: 'invalid_request', // (its response meta also lacks the header)
};
const INVALID_COUNT = Object.keys(INVALID).length;

const fixed = (target: Uint8Array, cupr = 7n): MinerDependencies => ({
  difficultyAt: () => target,
  computeUnitsPerRelayAt: () => cupr,
});

const mineAll = (relays: ServedRelay[], deps: MinerDependencies, batchSize = 64) => {
  const mined$ = minedRelays(from(relays), deps, { batchSize, batchWaitMs: 1 });
  return firstValueFrom(mined$.pipe(toArray())).then((out) => ({ out, stats: mined$.stats() }));
};

const served = vectorRelays.map((r) => r.served);

describe('mined relays of relays.json, per difficulty target', () => {
  for (const [label, target] of Object.entries(targets)) {
    it(`target ${label}: bytes, hash, minability and drops as Go computed them`, async () => {
      const drops: DroppedRelay[] = [];
      const { out, stats } = await mineAll(served, { ...fixed(target, 7n), onDrop: (d) => drops.push(d) });
      const expected = vectorRelays.filter((r) => INVALID[r.label] === undefined && r.v.minable[label] === true);
      expect(out.map((m) => toHex(m.relayHash))).toEqual(expected.map((r) => r.v.relay_hash));
      out.forEach((m: MinedRelay, i) => {
        const r = expected[i]!;
        expect(toHex(m.relayBytes)).toBe(r.v.relay_hex);
        expect(m.smstKey).toEqual(m.relayHash);
        expect(m.weight).toBe(7n);
        expect(m.sessionHeader).toEqual(r.served.request.meta!.sessionHeader);
        expect(m.serviceId).toBe(r.served.request.meta!.sessionHeader!.serviceId);
        expect(m.supplierOperatorAddress).toBe(r.served.supplierOperatorAddress);
      });
      expect(drops.map((d) => [d.relay, d.reason])).toEqual(
        vectorRelays.filter((r) => INVALID[r.label]).map((r) => [r.served, INVALID[r.label]]),
      );
      expect(stats).toEqual({
        received: served.length,
        mined: expected.length,
        notMinable: served.length - expected.length - INVALID_COUNT,
        dropped: { invalid_request: 3, invalid_response: 1, lookup_failed: 0, encode_failed: 0 },
      });
    });
  }

  it("passes each relay's settle hook on to its mined relay, and settles relays it does not keep", async () => {
    const settled: string[] = [];
    const hooked = vectorRelays.map((r) => ({ ...r.served, onSettled: () => settled.push(r.label) }));
    const { out, stats } = await mineAll(hooked, fixed(targets['7fff']!));
    // Kept relays are settled by whoever stores them; the rest at once, by the miner.
    expect(settled).toHaveLength(stats.received - stats.mined);
    out.forEach((m) => m.onSettled!());
    expect([...settled].sort()).toEqual(vectorRelays.map((r) => r.label).sort());
  });

  it('gives the same relays one at a time as in batches', async () => {
    const batched = await mineAll(served, fixed(targets['7fff']!), 64);
    const single = await mineAll(served, fixed(targets['7fff']!), 1);
    expect(single.out).toEqual(batched.out);
    expect(single.stats).toEqual(batched.stats);
  });

  it('mineBatch compares the hash with the target of the request session start', () => {
    const seen: [string, bigint][] = [];
    const verdicts = mineBatch(served, (service, start) => {
      seen.push([service, start]);
      return { targetHash: targets.base!, computeUnitsPerRelay: 3n };
    });
    expect(verdicts.filter((v) => v.kind === 'mined')).toHaveLength(served.length - INVALID_COUNT);
    const valid = vectorRelays.filter((r) => !INVALID[r.label]).map((r) => r.served.request.meta!.sessionHeader!);
    expect(seen).toEqual(valid.map((h) => [h.serviceId, h.sessionStartBlockHeight]));
  });
});

describe('batching, order and lookups', () => {
  const valid = vectorRelays.filter((r) => !INVALID[r.label]).map((r) => r.served);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps input order across batches whose lookups finish out of order', async () => {
    // Later sessions answer faster, so an order-losing pipeline would emit them first.
    const delays = new Map<string, number>();
    const deps: MinerDependencies = {
      difficultyAt: async (service, start) => {
        const key = `${service}@${start}`;
        if (!delays.has(key)) delays.set(key, Math.max(1, 40 - delays.size * 8));
        await sleep(delays.get(key)!);
        return targets.base!;
      },
      computeUnitsPerRelayAt: async () => 1n,
    };
    const input = new Subject<ServedRelay>();
    const mined$ = minedRelays(input, deps, { batchSize: 3, batchWaitMs: 2 });
    const out = firstValueFrom(mined$.pipe(toArray()));
    for (const r of [...valid, ...valid]) {
      input.next(r);
      await sleep(1);
    }
    input.complete();
    const hashes = (await out).map((m) => m.relayHash);
    const expected = vectorRelays.filter((r) => !INVALID[r.label]).map((r) => r.v.relay_hash);
    expect(hashes.map(toHex)).toEqual([...expected, ...expected]);
  });

  it('mines a synchronous burst of thousands of single-relay batches behind a slow lookup', async () => {
    // Regression: a concatMap backlog drained by recursion overflowed the stack and stalled silently.
    const burst = Array.from({ length: 5000 }, (_, i) => valid[i % valid.length]!);
    const deps: MinerDependencies = { difficultyAt: async () => (await sleep(5), targets.base!), computeUnitsPerRelayAt: () => 1n };
    const { out, stats } = await mineAll(burst, deps, 1);
    expect(out).toHaveLength(burst.length);
    expect(stats.mined).toBe(burst.length);
  });

  it('mines or counts every relay received before the source errors, then passes the error on', async () => {
    const source = new Subject<ServedRelay>();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const deps: MinerDependencies = { difficultyAt: async () => (await gate, targets.base!), computeUnitsPerRelayAt: () => 7n };
    const mined$ = minedRelays(source, deps, { batchSize: 4, batchWaitMs: 1 });
    const out: MinedRelay[] = [];
    const done = new Promise<unknown>((resolve) => mined$.subscribe({ next: (m) => out.push(m), error: resolve, complete: () => resolve('completed') }));
    for (const r of served) source.next(r);
    source.error(new Error('proxy stopped'));
    release();
    const ended = await done;
    expect(ended).toBeInstanceOf(Error);
    const stats = mined$.stats();
    const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0);
    expect(stats.received).toBe(served.length);
    expect(stats.mined + stats.notMinable + dropped).toBe(served.length);
    expect(out.length).toBe(stats.mined);
    expect(out.length).toBeGreaterThan(0);
  });

  it('looks each (service, session start) up once', async () => {
    const calls = { difficulty: 0, cupr: 0 };
    const deps: MinerDependencies = {
      difficultyAt: async () => (calls.difficulty++, targets.base!),
      computeUnitsPerRelayAt: async () => (calls.cupr++, 1n),
    };
    const sessions = new Set(valid.map((r) => `${r.request.meta!.sessionHeader!.serviceId}@${r.request.meta!.sessionHeader!.sessionStartBlockHeight}`));
    const { stats } = await mineAll([...valid, ...valid, ...valid], deps, 4);
    expect(stats.mined).toBe(valid.length * 3);
    expect(calls).toEqual({ difficulty: sessions.size, cupr: sessions.size });
  });

  it('drops and counts relays whose lookup fails, mines the rest, and asks again later', async () => {
    const failing = valid[0]!.request.meta!.sessionHeader!;
    let failures = 0;
    const drops: DroppedRelay[] = [];
    const deps: MinerDependencies = {
      difficultyAt: async (service, start) => {
        if (service === failing.serviceId && start === failing.sessionStartBlockHeight) {
          failures++;
          throw new Error('node unreachable');
        }
        return targets.base!;
      },
      computeUnitsPerRelayAt: () => 2n,
      onDrop: (d) => drops.push(d),
    };
    const sameSession = (r: ServedRelay) =>
      r.request.meta!.sessionHeader!.serviceId === failing.serviceId &&
      r.request.meta!.sessionHeader!.sessionStartBlockHeight === failing.sessionStartBlockHeight;
    const affected = valid.filter(sameSession).length;
    const { out, stats } = await mineAll([...valid, ...valid], deps, 64);
    expect(out).toHaveLength((valid.length - affected) * 2);
    expect(stats.dropped.lookup_failed).toBe(affected * 2);
    expect(drops.every((d) => d.reason === 'lookup_failed' && d.error instanceof MiningLookupError)).toBe(true);
    expect((drops[0]!.error as MiningLookupError).serviceId).toBe(failing.serviceId);
    expect(failures).toBe(1); // one batch, one lookup per session
    await mineAll(valid, deps, 64);
    expect(failures).toBe(2); // failures are not cached
  });

  it('refuses a difficulty target that is not 32 bytes as a lookup failure', async () => {
    const { out, stats } = await mineAll(valid, fixed(new Uint8Array(31).fill(0xff)));
    expect(out).toHaveLength(0);
    expect(stats.dropped.lookup_failed).toBe(valid.length);
  });

  it('emits a partial batch after batchWaitMs without completion', async () => {
    const input = new Subject<ServedRelay>();
    const mined$ = minedRelays(input, fixed(targets.base!), { batchSize: 1000, batchWaitMs: 20 });
    const got: MinedRelay[] = [];
    const sub = mined$.subscribe((m) => got.push(m));
    input.next(valid[0]!);
    input.next(valid[1]!);
    await sleep(5);
    expect(got).toHaveLength(0);
    await sleep(40);
    expect(got).toHaveLength(2);
    expect(mined$.stats().received).toBe(2);
    sub.unsubscribe();
  });

  it('with batchWaitMs 0, mines what arrived in one turn of the event loop together, right after it', async () => {
    const input = new Subject<ServedRelay>();
    const mined$ = minedRelays(input, fixed(targets.base!), { batchSize: 1000, batchWaitMs: 0 });
    const got: MinedRelay[] = [];
    const sub = mined$.subscribe((m) => got.push(m));
    input.next(valid[0]!);
    input.next(valid[1]!);
    input.next(valid[2]!);
    expect(got).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    await sleep(0);
    expect(got).toHaveLength(3);
    input.next(valid[3]!);
    await sleep(1);
    expect(got).toHaveLength(4);
    sub.unsubscribe();
  });
});
