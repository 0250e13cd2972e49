// Deferred, batched inserts (the default) against the same operations applied one at a time
// (`{ batchInserts: false }`, the sequential Go-shaped path): roots, every proof's bytes and
// every commit set (orphans in order, nodes in order) must be identical.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { WasmSmstCore } from '../../pkg/smt_wasm.js';
import { hex, payload } from './helpers';

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

/** Uint8Arrays → hex, recursively, so whole results compare as strings. */
const ser = (x: unknown): string =>
  JSON.stringify(x, (_k, v) => (v instanceof Uint8Array ? hex(v) : v && v.type === 'Buffer' ? hex(Uint8Array.from(v.data)) : v));

// a few shared prefixes so extensions get split at every position, plus fully random paths
const pathArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 })).map(([base, flips]) => {
    const p = sha(new Uint8Array([base]));
    for (const f of flips) p[f >> 3] ^= 0x80 >> (f & 7);
    return p;
  }),
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
);
const upd = fc.record({ path: pathArb, w: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), len: fc.integer({ min: 0, max: 40 }) });

type Op =
  | { op: 'u'; ups: { path: Uint8Array; w: bigint; len: number }[] }
  | { op: 'k' | 'K'; keys: Uint8Array[] }
  | { op: 'r' | 'c' | 'i' }
  | { op: 'p' | 'pc' | 'g'; path: Uint8Array }
  | { op: 'd'; path: Uint8Array };

const opArb = (withDeletes: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('u' as const), ups: fc.array(upd, { minLength: 1, maxLength: 12 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('k' as const), keys: fc.array(fc.uint8Array({ minLength: 0, maxLength: 3 }), { minLength: 1, maxLength: 20 }) }) },
    // one updateKey per key: lengths around SHA-256's one- and two-block padding limits
    { weight: 2, arbitrary: fc.record({ op: fc.constant('K' as const), keys: fc.array(fc.uint8Array({ minLength: 0, maxLength: 130 }), { minLength: 1, maxLength: 12 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('r' as const) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('c' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('i' as const) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('p' as const, 'pc' as const, 'g' as const), path: pathArb }) },
    { weight: withDeletes ? 2 : 0, arbitrary: fc.record({ op: fc.constant('d' as const), path: pathArb }) },
  );

class Pair {
  a = new WasmSmstCore();
  b = new WasmSmstCore({ batchInserts: false });
  storeA = new Map<string, Uint8Array>();
  storeB = new Map<string, Uint8Array>();
  known: Uint8Array[] = [];
  h = 0;

  both(f: (c: WasmSmstCore) => unknown): void {
    const ra = f(this.a);
    const rb = f(this.b);
    expect(ser(ra)).toBe(ser(rb));
  }

  commitBoth(): void {
    const ca = this.a.commit();
    const cb = this.b.commit();
    expect(ser(ca.orphans)).toBe(ser(cb.orphans));
    expect(ser(ca.nodes)).toBe(ser(cb.nodes));
    for (const [set, store] of [[ca, this.storeA], [cb, this.storeB]] as const) {
      for (const o of set.orphans) store.delete(hex(o)!);
      // a leaf's stored value is only checked through its digest here
      for (const n of set.nodes) store.set(hex(n.digest)!, n.encoding.kind === 'leaf' ? new Uint8Array([0, ...n.encoding.leaf.path, ...new Uint8Array(16)]) : n.encoding.preimage);
    }
    expect([...this.storeA.keys()].sort()).toEqual([...this.storeB.keys()].sort());
  }

  run(o: Op): void {
    switch (o.op) {
      case 'u':
        for (const u of o.ups) {
          const v = payload(new Uint8Array(u.len).fill(this.h & 0xff), u.w);
          const h = this.h++;
          this.a.update(u.path, v, h);
          this.b.update(u.path, v, h);
          this.known.push(u.path);
        }
        break;
      case 'k': {
        const vs = o.keys.map((k, i) => payload(new Uint8Array([i, this.h & 0xff]), BigInt(i)));
        const hs = o.keys.map(() => this.h++);
        this.a.updateMany(o.keys, vs, hs);
        this.b.updateMany(o.keys, vs, hs);
        for (const k of o.keys) this.known.push(sha(k));
        break;
      }
      case 'K':
        for (const k of o.keys) {
          const v = payload(new Uint8Array(k.length & 7).fill(this.h & 0xff), BigInt(k.length));
          const h = this.h++;
          this.a.updateKey(k, v, h);
          this.b.updateKey(k, v, h);
          this.known.push(sha(k));
        }
        break;
      case 'r':
        this.both((c) => c.root());
        break;
      case 'c':
        this.commitBoth();
        break;
      case 'i': {
        this.commitBoth();
        const r = this.a.root();
        this.a.import(r);
        this.a.setLoader((d) => this.storeA.get(hex(d)!));
        this.b.import(r);
        this.b.setLoader((d) => this.storeB.get(hex(d)!));
        break;
      }
      case 'd':
        this.both((c) => c.delete(o.path));
        break;
      default: {
        const probe = this.known.length > 0 && o.path[0] < 128 ? this.known[o.path[1] % this.known.length] : o.path;
        if (o.op === 'p') this.both((c) => c.prove(probe));
        else if (o.op === 'pc') this.both((c) => (c.root().some((x) => x !== 0) ? c.proveClosest(probe) : null));
        else this.both((c) => c.get(probe));
      }
    }
  }

  finish(): void {
    this.both((c) => c.root());
    for (const p of this.known.slice(-20)) this.both((c) => c.prove(p));
    this.both((c) => c.nodeCounts());
    this.commitBoth();
    this.a.dispose();
    this.b.dispose();
  }
}

describe('batched inserts vs one at a time', () => {
  it('insertion-only sequences (overwrites, root/prove/commit/import between): identical bytes', () => {
    fc.assert(
      fc.property(fc.array(opArb(false), { maxLength: 40 }), (ops) => {
        const t = new Pair();
        for (const o of ops) t.run(o);
        t.finish();
      }),
      { numRuns: 400 },
    );
  });

  it('with deletes (the core falls back to one at a time after the first delete)', () => {
    fc.assert(
      fc.property(fc.array(opArb(true), { maxLength: 40 }), (ops) => {
        const t = new Pair();
        for (const o of ops) t.run(o);
        t.finish();
      }),
      { numRuns: 200 },
    );
  });

  it('keys hashed when the pending arena fills mid-batch, mixed with path inserts', () => {
    // ~6 MiB of payloads: the 4 MiB arena is flushed while keyed leaves wait in it
    const t = new Pair();
    const big = new Uint8Array(20_000);
    for (let i = 0; i < 300; i++) {
      const v = payload(big.fill(i & 0xff), BigInt(i));
      if (i % 3 === 2) {
        const path = new Uint8Array(randomBytes(32));
        t.a.update(path, v, i);
        t.b.update(path, v, i);
        t.known.push(path);
      } else {
        const key = new Uint8Array(randomBytes(1 + (i % 90)));
        t.a.updateKey(key, v, i);
        t.b.updateKey(key, v, i);
        t.known.push(sha(key));
      }
    }
    t.finish();
  });

  it('large batches into a committed trie: overwrites, prefix clusters, exact commit sets', () => {
    const t = new Pair();
    const base = sha(new Uint8Array([7]));
    const mk = (n: number, cluster: number) =>
      Array.from({ length: n }, () => {
        if (Math.random() < cluster) {
          const p = base.slice();
          p[31] = Math.floor(Math.random() * 256);
          p[20] ^= Math.floor(Math.random() * 4);
          return p;
        }
        return new Uint8Array(randomBytes(32));
      });
    const rounds = [mk(3000, 0.1), mk(2000, 0.3), mk(5000, 0.05)];
    for (let r = 0; r < rounds.length; r++) {
      const paths = rounds[r];
      // overwrite a third of everything inserted so far, interleaved with new keys
      const again = t.known.filter((_, i) => i % 3 === r % 3);
      t.run({ op: 'u', ups: [...paths, ...again].map((path, i) => ({ path, w: BigInt(i), len: i % 7 })) });
      t.run({ op: 'u', ups: paths.slice(0, 50).map((path, i) => ({ path, w: BigInt(i + 1), len: 3 })) });
      t.run({ op: 'r' });
      for (let i = 0; i < 50; i++) t.run({ op: 'pc', path: new Uint8Array(randomBytes(32)) });
      t.run({ op: r === 1 ? 'i' : 'c' });
    }
    t.finish();
  });
});
