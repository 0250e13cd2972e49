import { describe, expect, it } from 'vitest';
import { SmtWasmNodeError, WasmSmstCore } from '../../pkg/smt_wasm.js';
import { H, Payloads, applyCommit, ascii, hex, loadVector, payload, proofToVector, unhex } from './helpers';

const vec = loadVector('smst_proofs.json');

function fill(cores: WasmSmstCore[], payloads: Payloads, from: number, to: number) {
  for (let i = from; i < to; i++) {
    const l = vec.leaves[i % vec.leaves.length];
    const path = i < vec.leaves.length ? unhex(l.path) : H(ascii(`extra-${i}`));
    const v = payload(unhex(l.value), BigInt(l.weight) + BigInt(i));
    payloads.add(path, v);
    for (const c of cores) c.update(path, v, i);
  }
}

function snapshot(core: WasmSmstCore, payloads: Payloads, paths: Uint8Array[]) {
  return {
    root: hex(core.root()),
    proofs: paths.map((p) => proofToVector(core.prove(p), payloads)),
    closest: paths.map((p) => {
      const c = core.proveClosest(p);
      return { f: c.flippedBits, d: c.depth, l: c.leaf && hex(c.leaf.digest), p: proofToVector(c.proof, payloads) };
    }),
    gets: paths.map((p) => hex(core.get(p)?.digest)),
  };
}

const probe = [...vec.prove.map((e: any) => unhex(e.path)), ...vec.closest.map((e: any) => unhex(e.path))];

describe('import / lazy loading', () => {
  it('an imported trie behaves like the original, before and after further changes', () => {
    const payloads = new Payloads();
    const a = new WasmSmstCore();
    const never = new WasmSmstCore();
    fill([a, never], payloads, 0, 200);
    const storeA = new Map<string, Uint8Array>();
    applyCommit(storeA, a.commit(), payloads);
    const b = new WasmSmstCore();
    const storeB = new Map(storeA);
    b.setLoader((d) => storeB.get(hex(d)!));
    b.import(a.root());
    expect(snapshot(b, payloads, probe)).toEqual(snapshot(a, payloads, probe));

    // further updates, overwrites and deletes on all three
    fill([a, b, never], payloads, 150, 260);
    for (let i = 0; i < 200; i += 7) {
      const p = unhex(vec.leaves[i].path);
      expect(b.delete(p)).toBe(a.delete(p));
      never.delete(p);
    }
    expect(b.delete(H(ascii('absent')))).toBe(false);
    const sb = snapshot(b, payloads, probe);
    expect(sb).toEqual(snapshot(a, payloads, probe));
    expect(sb).toEqual(snapshot(never, payloads, probe));
    applyCommit(storeA, a.commit(), payloads);
    applyCommit(storeB, b.commit(), payloads);
    expect([...storeB.keys()].sort()).toEqual([...storeA.keys()].sort());
    for (const [k, v] of storeA) expect(hex(storeB.get(k))).toBe(hex(v));
  });

  it('missing, throwing or garbage nodes throw and leave the trie unchanged', () => {
    const payloads = new Payloads();
    const a = new WasmSmstCore();
    fill([a], payloads, 0, 200);
    const store = new Map<string, Uint8Array>();
    applyCommit(store, a.commit(), payloads);
    const root = a.root();
    const good = (d: Uint8Array) => store.get(hex(d)!);

    const reference = new WasmSmstCore();
    reference.setLoader(good);
    reference.import(root);
    const target = unhex(vec.leaves[77].path);
    const newPath = H(ascii('new-leaf'));
    const newV = payload(ascii('x'), 5n);
    payloads.add(newPath, newV);
    reference.delete(target);
    reference.update(newPath, newV, 1);
    const want = snapshot(reference, payloads, probe);

    const bad: Array<[string, (n: number) => (d: Uint8Array) => Uint8Array | undefined]> = [
      ['missing', (n) => { let c = 0; return (d) => (++c >= n ? undefined : good(d)); }],
      ['throws', (n) => { let c = 0; return (d) => { if (++c >= n) throw new Error('disk on fire'); return good(d); }; }],
      ['garbage', (n) => { let c = 0; return (d) => (++c >= n ? new Uint8Array([7, 1, 2, 3]) : good(d)); }],
      ['bad inner length', (n) => { let c = 0; return (d) => (++c >= n ? new Uint8Array(112).fill(1) : good(d)); }],
      ['bad ext bounds', (n) => { let c = 0; return (d) => { const v = good(d)!; if (++c >= n) { const x = new Uint8Array(99); x[0] = 2; x[1] = 9; x[2] = 9; x[40] = 1; return x; } return v; }; }],
    ];
    for (const [label, mk] of bad) {
      for (let n = 1; n <= 12; n++) {
        const core = new WasmSmstCore();
        core.import(root);
        core.setLoader(mk(n));
        let threw = 0;
        try { core.delete(target); } catch (e) { threw++; expect(e).toBeInstanceOf(SmtWasmNodeError); }
        try { core.update(newPath, newV, 1); } catch (e) { threw++; expect(e).toBeInstanceOf(Error); }
        expect(hex(core.root()), `${label} #${n}`).toBe(hex(root)); // nothing changed
        if (threw === 0) continue;
        core.setLoader(good);
        if (threw === 2 || core.get(target)) core.delete(target);
        if (!core.get(newPath)) core.update(newPath, newV, 1);
        expect(snapshot(core, payloads, probe), `${label} #${n}`).toEqual(want);
        core.dispose();
      }
    }
  });

  it('updateMany on an imported trie is all-or-nothing', () => {
    const payloads = new Payloads();
    const a = new WasmSmstCore();
    fill([a], payloads, 0, 200);
    const store = new Map<string, Uint8Array>();
    applyCommit(store, a.commit(), payloads);
    const core = new WasmSmstCore();
    let calls = 0;
    core.setLoader((d) => (++calls > 30 ? undefined : store.get(hex(d)!)));
    core.import(a.root());
    const keys = Array.from({ length: 50 }, (_, i) => ascii(`many-${i}`));
    const pays = keys.map((_, i) => payload(ascii(`v${i}`), BigInt(i)));
    expect(() => core.updateMany(keys, pays, keys.map((_, i) => i))).toThrow(SmtWasmNodeError);
    expect(hex(core.root())).toBe(hex(a.root()));
    core.setLoader((d) => store.get(hex(d)!));
    core.updateMany(keys, pays, keys.map((_, i) => i));
    a.updateMany(keys, pays, new Uint32Array(keys.map((_, i) => i)));
    expect(hex(core.root())).toBe(hex(a.root()));
  });

  it('import of the zero root is an empty trie; import discards the previous trie', () => {
    const core = new WasmSmstCore();
    core.update(new Uint8Array(32), new Uint8Array(16), 1);
    core.import(new Uint8Array(48));
    expect(hex(core.root())).toBe(hex(new Uint8Array(48)));
    const c = core.proveClosest(new Uint8Array(32));
    expect(c.flippedBits).toEqual([0]);
    expect(c.leaf).toBeNull();
    expect(core.commit()).toEqual({ orphans: [], nodes: [] });
  });

  it('several cores coexist independently', () => {
    const cores = Array.from({ length: 5 }, () => new WasmSmstCore());
    cores.forEach((c, i) => c.updateKey(ascii(`k${i}`), payload(ascii('v'), BigInt(i)), i));
    const roots = new Set(cores.map((c) => hex(c.root())));
    expect(roots.size).toBe(5);
    cores[2].dispose();
    expect(hex(cores[3].root())).toBe(hex(cores[3].root()));
  });
});
