import { describe, expect, it } from 'vitest';
import { ReferenceSmstCore, canonicalRoot } from '../../../src/reference/core.js';
import { H, ascii, expandSeed, hex, loadVectors, payloadOf } from './helpers.js';

const vec = loadVectors('smst_large.json');
const checkpoint = (label: string) => {
  const c = vec.checkpoints.find((x: any) => x.label === label);
  if (!c) throw new Error(`no checkpoint ${label}`);
  return c;
};

/** Item i of the README: key, value and weight. */
function item(i: number) {
  return {
    path: H(H(ascii(`large-key-${i}`))),
    payload: payloadOf(expandSeed(`large-value-${i}`, ((i * 31) % 200) + 1), BigInt(((i * 13) % 1000) + 1)),
  };
}

const SLOW = process.env.SMST_SLOW === '1';

function expectCheckpoint(core: ReferenceSmstCore, label: string): void {
  const c = checkpoint(label);
  const root = core.root();
  expect(hex(root), label).toBe(c.root);
  const view = new DataView(root.buffer, root.byteOffset);
  expect(view.getBigUint64(32).toString(), label).toBe(c.sum);
  expect(view.getBigUint64(40).toString(), label).toBe(c.count);
}

describe('reference core: smst_large.json', () => {
  it('matches the 1,000 and 10,000 insert checkpoints (and the canonical root at 1,000)', () => {
    const core = new ReferenceSmstCore();
    const inserted: { path: Uint8Array; payload: Uint8Array }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const it = item(i);
      core.update(it.path, it.payload, i);
      if (i < 1000) inserted.push(it);
      if (i === 999) {
        expectCheckpoint(core, 'insert_1000');
        expect(hex(canonicalRoot(inserted))).toBe(checkpoint('insert_1000').root);
      }
    }
    expectCheckpoint(core, 'insert_10000');
  });

  it('matches 100,000 inserts, then the deletes and overwrites', { timeout: 120_000 }, () => {
    const core = new ReferenceSmstCore();
    const N = 100_000;
    const paths: Uint8Array[] = [];
    for (let i = 0; i < N; i++) {
      const it = item(i);
      paths.push(it.path);
      core.update(it.path, it.payload, i);
    }
    expectCheckpoint(core, 'insert_100000');
    for (let i = 0; i < N; i += 3) expect(core.delete(paths[i]!)).toBe(true);
    expectCheckpoint(core, 'after_deletes');
    for (let i = 0; i < N; i += 5) {
      if (i % 3 === 0) continue;
      core.update(paths[i]!, payloadOf(expandSeed(`large-value2-${i}`, 33), BigInt(((i * 13) % 1000) + 2)), i);
    }
    expectCheckpoint(core, 'after_overwrites');
  });

  it.runIf(SLOW)('matches 1,000,000 inserts (SMST_SLOW=1)', { timeout: 1_200_000 }, () => {
    const core = new ReferenceSmstCore();
    for (let i = 0; i < 1_000_000; i++) {
      const it = item(i);
      core.update(it.path, it.payload, i % 0xffffffff);
    }
    expectCheckpoint(core, 'insert_1000000');
  });
});
