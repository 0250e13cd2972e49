import { describe, expect, it } from 'vitest';
import { WasmSmstCore, NO_HANDLE } from '../../pkg/smt_wasm.js';
import { Payloads, applyCommit, hex, loadVector, payload, unhex, ZERO48 } from './helpers';

const vec = loadVector('smst_basic.json');

describe('smst_basic.json', () => {
  it('every step: root, get, and store contents after commit equal Go', () => {
    const core = new WasmSmstCore();
    const payloads = new Payloads();
    const store = new Map<string, Uint8Array>();
    expect(hex(core.root())).toBe(vec.empty_root);
    for (const step of vec.steps) {
      const path = unhex(step.path);
      if (step.op === 'update') {
        const v = payload(unhex(step.value), BigInt(step.weight));
        payloads.add(path, v);
        core.update(path, v, step.step);
      } else {
        expect(core.delete(path), `step ${step.step}`).toBe(step.error === null);
      }
      expect(hex(core.root()), `root after step ${step.step}`).toBe(step.root);
      applyCommit(store, core.commit(), payloads);
      const want = new Map<string, string>(step.store_after_commit.map((e: any) => [e.k, e.v]));
      const got = new Map([...store].map(([k, v]) => [k, hex(v)!]));
      expect(got, `store after step ${step.step}`).toEqual(want);
      const ref = core.get(path);
      expect(ref !== null, `get after step ${step.step}`).toBe(step.get_after.found);
      if (ref) {
        expect(ref.handle).toBe(NO_HANDLE);
        const pre = store.get(hex(ref.digest)!)!;
        expect(hex(pre.slice(33, pre.length - 16))).toBe(step.get_after.value);
      }
      // a second commit right away writes nothing
      const again = core.commit();
      expect(again.nodes.length + again.orphans.length).toBe(0);
    }
    expect(hex(core.root())).toBe(hex(ZERO48));
    core.dispose();
  });

  it('input validation throws without changing state', () => {
    const core = new WasmSmstCore();
    const p = new Uint8Array(32).fill(7);
    core.update(p, new Uint8Array(20), 1);
    const r = hex(core.root());
    expect(() => core.update(new Uint8Array(31), new Uint8Array(20), 1)).toThrow(RangeError);
    expect(() => core.update(p, new Uint8Array(15), 1)).toThrow(RangeError);
    expect(() => core.update(p, new Uint8Array(16), -1)).toThrow(RangeError);
    expect(() => core.update('x' as any, new Uint8Array(16), 1)).toThrow(TypeError);
    expect(() => core.delete(new Uint8Array(33))).toThrow(RangeError);
    expect(() => core.import(new Uint8Array(32))).toThrow(RangeError);
    expect(() => core.prove(new Uint8Array(3))).toThrow(RangeError);
    expect(() => core.proveClosest(new Uint8Array(3))).toThrow(RangeError);
    expect(hex(core.root())).toBe(r);
    core.dispose();
    expect(() => core.root()).toThrow();
  });

  it('updateKeyValue assembles the same payload as updateKey; bad weight words change nothing', () => {
    const a = new WasmSmstCore();
    const b = new WasmSmstCore({ batchInserts: false });
    const c = new WasmSmstCore();
    const weights = [0n, 1n, 0xffffffffn, 1n << 32n, (1n << 64n) - 1n, 0x0123456789abcdefn];
    weights.forEach((w, i) => {
      const key = new Uint8Array(i * 13).fill(i + 1);
      const value = new Uint8Array(i * 7).fill(0x40 + i);
      a.updateKeyValue(key, value, Number(w >> 32n), Number(w & 0xffffffffn), i);
      b.updateKeyValue(key, value, Number(w >> 32n), Number(w & 0xffffffffn), i);
      c.updateKey(key, payload(value, w), i);
    });
    const r = hex(c.root());
    expect(hex(a.root())).toBe(r);
    expect(hex(b.root())).toBe(r);
    const k = new Uint8Array(4);
    expect(() => a.updateKeyValue(k, new Uint8Array(1), -1, 0, 1)).toThrow(RangeError);
    expect(() => a.updateKeyValue(k, new Uint8Array(1), 0, 2 ** 32, 1)).toThrow(RangeError);
    expect(() => a.updateKeyValue(k, new Uint8Array(1), 0.5, 0, 1)).toThrow(RangeError);
    expect(() => a.updateKeyValue(k, 'v' as any, 0, 0, 1)).toThrow(TypeError);
    expect(hex(a.root())).toBe(r);
    for (const x of [a, b, c]) x.dispose();
  });

  it('copies inputs: mutating caller buffers later changes nothing', () => {
    const a = new WasmSmstCore();
    const b = new WasmSmstCore();
    const p = new Uint8Array(32).fill(1);
    const v = new Uint8Array(40).fill(2);
    a.update(p, v, 1);
    b.update(p.slice(), v.slice(), 1);
    p.fill(9);
    v.fill(9);
    expect(hex(a.root())).toBe(hex(b.root()));
  });
});
