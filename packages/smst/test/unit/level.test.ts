import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { LevelStore, SparseMerkleSumTrie, compactClosestProof, marshalSparseCompactMerkleClosestProof, marshalSparseMerkleProof } from '../../src/index.js';
import { toHex as hex } from '../../src/bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'smst-level-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a trie committed to LevelDB and reopened in a new process gives the same root and proofs', async () => {
  const store = await LevelStore.open(join(dir, 'db'));
  const trie = new SparseMerkleSumTrie({ store });
  const keys = Array.from({ length: 2000 }, () => new Uint8Array(randomBytes(32)));
  keys.forEach((k, i) => trie.update(k, new Uint8Array(randomBytes(i % 300)), BigInt(i)));
  await trie.commit(); // two commits: the second replaces orphans
  keys.slice(0, 100).forEach((k, i) => trie.update(k, Uint8Array.of(i), 1n));
  const root = await trie.commit();
  const paths = Array.from({ length: 16 }, () => hex(new Uint8Array(randomBytes(32)))!);
  const expected = {
    root: hex(root),
    closest: paths.map((p) => hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(trie.proveClosest(Buffer.from(p, 'hex')))))),
    prove: keys.slice(0, 16).map((k) => hex(marshalSparseMerkleProof(trie.prove(k)))),
  };
  trie.dispose();
  await store.close();

  // The other process uses the built package, as a relay miner restarting would.
  const script = `
    import { LevelStore, SparseMerkleSumTrie, compactClosestProof, marshalSparseCompactMerkleClosestProof, marshalSparseMerkleProof } from '@relayminer/smst';
    const [dir, root, paths, keys] = JSON.parse(process.argv[1]);
    const hex = (b) => Buffer.from(b).toString('hex');
    const store = await LevelStore.open(dir);
    const trie = SparseMerkleSumTrie.import(Buffer.from(root, 'hex'), { store });
    console.log(JSON.stringify({
      root: hex(trie.root()),
      closest: paths.map((p) => hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(trie.proveClosest(Buffer.from(p, 'hex')))))),
      prove: keys.map((k) => hex(marshalSparseMerkleProof(trie.prove(Buffer.from(k, 'hex'))))),
    }));
    await store.close();`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([join(dir, 'db'), expected.root, paths, keys.slice(0, 16).map(hex)])], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual(expected);
});

test('tries of several sessions share one database under their own sublevels', async () => {
  const { Level } = await import('level');
  const db = new Level(join(dir, 'shared'));
  await db.open();
  const a = new SparseMerkleSumTrie({ store: await LevelStore.sublevel(db, 'session-a') });
  const b = new SparseMerkleSumTrie({ store: await LevelStore.sublevel(db, 'session-b') });
  a.update(Uint8Array.of(1), Uint8Array.of(1), 1n);
  b.update(Uint8Array.of(2), Uint8Array.of(2), 2n);
  const [ra, rb] = [await a.commit(), await b.commit()];
  const a2 = SparseMerkleSumTrie.import(ra, { store: await LevelStore.sublevel(db, 'session-a') });
  expect(a2.get(Uint8Array.of(1))).toEqual({ value: Uint8Array.of(1), weight: 1n });
  expect(a2.get(Uint8Array.of(2))).toBeNull();
  expect(hex(rb)).not.toBe(hex(ra));
  await db.close();
});
