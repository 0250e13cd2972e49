import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { demo } from '../src/demo.mjs';

test('the demo mines, commits, reopens and produces a proof the chain accepts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relayminer-demo-'));
  const lines = [];
  try {
    const out = await demo({ relays: 2000, valueBytes: 120, dir, log: (l) => lines.push(l) });
    expect(out.valid).toBe(true);
    expect(out.root).toHaveLength(48);
    // count and sum are the last 16 bytes of the root
    const view = new DataView(out.root.buffer, out.root.byteOffset);
    expect(view.getBigUint64(40)).toBe(2000n);
    expect(view.getBigUint64(32)).toBe(20000n);
    expect(lines.at(-1)).toMatch(/chain verdict: VALID/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
