import { describe, expect, it } from 'vitest';
import { NO_HANDLE } from '../../../src/core.js';
import { Harness, H, hex, loadVectors, payloadOf, storeDump, unhex } from './helpers.js';

const vec = loadVectors('smst_basic.json');

describe('reference core: smst_basic.json', () => {
  it('starts from the empty root', () => {
    const h = new Harness();
    expect(hex(h.core.root())).toBe(vec.empty_root);
  });

  it('reproduces every step: root, sum, count, get, commit orphans and the whole store', () => {
    const h = new Harness();
    for (const step of vec.steps) {
      const label = `step ${step.step} (${step.op} ${step.note ?? ''})`;
      const key = unhex(step.key);
      const path = H(key);
      expect(hex(path), label).toBe(step.path);
      if (step.op === 'update') {
        h.update(path, payloadOf(unhex(step.value), BigInt(step.weight)));
      } else {
        const rootBefore = hex(h.core.root());
        const removed = h.delete(path);
        expect(removed, label).toBe(step.error === null);
        if (!removed) {
          expect(hex(h.core.root()), label).toBe(rootBefore);
          const set = h.core.commit();
          expect(set.orphans, label).toEqual([]);
          expect(set.nodes, label).toEqual([]);
        }
      }
      h.commit();
      const root = h.core.root();
      expect(hex(root), label).toBe(step.root);
      const view = new DataView(root.buffer, root.byteOffset);
      expect(view.getBigUint64(32).toString(), label).toBe(step.sum);
      expect(view.getBigUint64(40).toString(), label).toBe(step.count);
      expect(storeDump(h.store), label).toEqual(step.store_after_commit);

      const got = h.core.get(path);
      expect(got !== null, label).toBe(step.get_after.found);
      if (got) {
        expect(got.handle, label).toBe(NO_HANDLE);
        expect(hex(got.path)).toBe(step.path);
        const v = h.payload(got);
        expect(hex(v.subarray(0, v.length - 16)), label).toBe(step.get_after.value);
        const w = new DataView(v.buffer, v.byteOffset + v.length - 16).getBigUint64(0);
        expect(w.toString(), label).toBe(step.get_after.weight);
      }
      // A second commit right away has nothing to do.
      const again = h.core.commit();
      expect(again.orphans.length + again.nodes.length, label).toBe(0);
    }
  });

  it('hands out the caller handle until commit, NO_HANDLE afterwards', () => {
    const h = new Harness();
    const p = H(unhex('666f6f'));
    h.core.update(p, payloadOf(unhex('626172'), 5n), 42);
    expect(h.core.get(p)!.handle).toBe(42);
    const set = h.core.commit();
    expect(set.nodes).toHaveLength(1);
    const enc = set.nodes[0]!.encoding;
    expect(enc.kind === 'leaf' && enc.leaf.handle).toBe(42);
    expect(h.core.get(p)!.handle).toBe(NO_HANDLE);
  });
});
