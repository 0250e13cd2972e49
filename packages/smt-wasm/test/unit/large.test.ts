import { describe, expect, it } from 'vitest';
import { WasmSmstCore } from '../../pkg/smt_wasm.js';
import { H, ascii, expand, hex, loadVector, payload } from './helpers';

const vec = loadVector('smst_large.json');
const cp = (label: string) => vec.checkpoints.find((c: any) => c.label === label).root;

const key = (i: number) => H(ascii(`large-key-${i}`));
const value = (i: number) => expand(`large-value-${i}`, ((i * 31) % 200) + 1);
const weight = (i: number) => BigInt(((i * 13) % 1000) + 1);

describe('smst_large.json', () => {
  it('1k / 10k / 100k checkpoints, deletes and overwrites', () => {
    const core = new WasmSmstCore();
    // mixes the three insertion APIs
    for (let i = 0; i < 100000; ) {
      const end = Math.min(100000, i + 5000);
      if ((i / 5000) % 3 === 0) {
        const keys = [], pays = [], hs = new Uint32Array(end - i);
        for (let j = i; j < end; j++) {
          keys.push(key(j));
          pays.push(payload(value(j), weight(j)));
          hs[j - i] = j;
        }
        core.updateMany(keys, pays, hs);
      } else if ((i / 5000) % 3 === 1) {
        for (let j = i; j < end; j++) core.updateKey(key(j), payload(value(j), weight(j)), j);
      } else {
        for (let j = i; j < end; j++) core.update(H(key(j)), payload(value(j), weight(j)), j);
      }
      i = end;
      if (i === 10000) expect(hex(core.root())).toBe(cp('insert_10000'));
    }
    expect(hex(core.root())).toBe(cp('insert_100000'));
    for (let i = 0; i < 100000; i += 3) expect(core.delete(H(key(i)))).toBe(true);
    expect(hex(core.root())).toBe(cp('after_deletes'));
    for (let i = 0; i < 100000; i += 5) {
      if (i % 3 === 0) continue;
      core.updateKey(key(i), payload(expand(`large-value2-${i}`, 33), BigInt(((i * 13) % 1000) + 2)), i);
    }
    expect(hex(core.root())).toBe(cp('after_overwrites'));
    core.dispose();
  });

  it('insert_1000 checkpoint', () => {
    const core = new WasmSmstCore();
    for (let i = 0; i < 1000; i++) core.updateKey(key(i), payload(value(i), weight(i)), i);
    expect(hex(core.root())).toBe(cp('insert_1000'));
  });

  it.runIf(process.env.SMT_WASM_LARGE === '1')('insert_1000000 checkpoint', () => {
    const core = new WasmSmstCore();
    for (let s = 0; s < 1000000; s += 10000) {
      const keys = [], pays = [], hs = new Uint32Array(10000);
      for (let j = s; j < s + 10000; j++) {
        keys.push(key(j));
        pays.push(payload(value(j), weight(j)));
        hs[j - s] = j;
      }
      core.updateMany(keys, pays, hs);
    }
    expect(hex(core.root())).toBe(cp('insert_1000000'));
  }, 600000);
});
