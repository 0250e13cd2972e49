import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RingSigner, RingVerifier, publicKeyFromPrivateKey } from '@relayminer/protocol';
import { createRingVerifyWorkers } from '../src/auth/index.js';
import { APP_KEY, GATEWAY_KEY, SMALL_APP_KEY, STRANGER_KEY } from './auth-fixture.js';

const hash = (label: string): Uint8Array => new Uint8Array(createHash('sha256').update(label).digest());
const pub = publicKeyFromPrivateKey;

describe('worker-pool ring verifier', () => {
  it('gives the in-process verdicts on valid, forged, foreign-ring and garbage signatures', async () => {
    const ring = [pub(APP_KEY), pub(GATEWAY_KEY)];
    const otherRing = [pub(SMALL_APP_KEY), pub(GATEWAY_KEY), pub(APP_KEY)];
    const foreignRing = [pub(APP_KEY), pub(STRANGER_KEY)];
    const m = hash('relay');
    const byGateway = new RingSigner(GATEWAY_KEY).sign(m, ring);
    const byApp = new RingSigner(APP_KEY).sign(m, ring);
    const tampered = byGateway.slice();
    tampered[tampered.length - 1]! ^= 1;
    const cases: [Uint8Array, Uint8Array, Uint8Array[]][] = [
      [m, byGateway, ring],
      [m, byApp, ring],
      [m, byGateway, [...ring].reverse()], // order does not matter, and it is the same ring
      [m, new RingSigner(SMALL_APP_KEY).sign(m, otherRing), otherRing],
      [hash('other'), byGateway, ring], // signed over other bytes
      [m, tampered, ring],
      [m, new RingSigner(STRANGER_KEY).sign(m, foreignRing), ring], // a key outside the app's ring
      [m, byGateway, otherRing.slice(0, 2)], // the app's ring lacks a signer key
      [m, new Uint8Array([0, 0, 0, 2, 1, 2, 3]), ring],
      [m, new Uint8Array(0), ring],
      [m, byGateway.subarray(0, 50), ring],
      [m, hash('noise'), ring],
      [m.subarray(0, 31), byGateway, ring],
    ];
    const reference = new RingVerifier();
    const expected = cases.map(([h, s, r]) => reference.verifyRelay(h, s, r));
    expect(expected.filter((v) => v.ok)).toHaveLength(4);
    expect(new Set(expected.map((v) => (v.ok ? 'ok' : v.reason)))).toEqual(new Set(['ok', 'invalid_signature', 'member_not_in_ring', 'undecodable']));

    const workers = createRingVerifyWorkers(2);
    // All at once (batched into shared messages), then one at a time, then again with warm caches.
    expect(await Promise.all(cases.map(([h, s, r]) => workers.verifyRelay(h, s, r)))).toEqual(expected);
    for (let i = 0; i < cases.length; i++) expect(await workers.verifyRelay(...cases[i]!)).toEqual(expected[i]);
    expect(await Promise.all(cases.map(([h, s, r]) => workers.verifyRelay(h, s, r)))).toEqual(expected);
  });

  it('verifies in-process when told to use no workers', async () => {
    const ring = [pub(APP_KEY), pub(GATEWAY_KEY)];
    const m = hash('inline');
    const verdict = await createRingVerifyWorkers(0).verifyRelay(m, new RingSigner(APP_KEY).sign(m, ring), ring);
    expect(verdict.ok).toBe(true);
  });
});

describe('worker-pool ring verifier without its workers', () => {
  it('verifies in-process what a dead worker left unanswered, and everything after', async () => {
    const ring = [pub(APP_KEY), pub(GATEWAY_KEY)];
    const m = hash('orphan');
    const sig = new RingSigner(GATEWAY_KEY).sign(m, ring);
    const pool = createRingVerifyWorkers(1) as unknown as { workers: { worker: { terminate(): Promise<number> } }[] };
    const verifier = pool as unknown as ReturnType<typeof createRingVerifyWorkers>;
    const pending = verifier.verifyRelay(m, sig, ring);
    await pool.workers[0]!.worker.terminate();
    expect((await pending).ok).toBe(true);
    expect(pool.workers).toHaveLength(0);
    expect(await verifier.verifyRelay(m, sig, [ring[0]!])).toMatchObject({ ok: false, reason: 'member_not_in_ring' });
  });
});
