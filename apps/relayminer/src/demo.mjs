import { randomBytes, createHash } from 'node:crypto';
import { rmSync, mkdirSync } from 'node:fs';
import { SparseMerkleSumTrie, LevelStore, compactClosestProof, marshalSparseCompactMerkleClosestProof, checkClosestProofBytes } from '@relayminer/smst';

const sha256 = (b) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b) => Buffer.from(b).toString('hex');

/** Mine `relays` simulated relays into one session trie, commit it, reopen it and prove. */
export async function demo({ relays, valueBytes, dir, log = console.log }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = await LevelStore.open(`${dir}/smt`);
  const trie = new SparseMerkleSumTrie({ store });
  const computeUnitsPerRelay = 10n;

  log(`mining ${relays} simulated relays of ${valueBytes} bytes into a session trie (LevelDB at ${dir}/smt)`);
  let t0 = performance.now();
  const step = Math.max(1, Math.floor(relays / 4));
  for (let i = 0; i < relays; i++) {
    const relay = randomBytes(valueBytes);
    trie.update(sha256(relay), relay, computeUnitsPerRelay); // key = relay hash, value = relay bytes
    if ((i + 1) % step === 0) log(`  ${i + 1} relays`);
  }
  const root = trie.root();
  log(`root ${hex(root)}  sum ${trie.sum()} compute units, count ${trie.count()} relays  (${((performance.now() - t0) / 1000).toFixed(2)} s)`);

  t0 = performance.now();
  await trie.commit();
  trie.dispose();
  await store.close();
  log(`committed to LevelDB (${((performance.now() - t0) / 1000).toFixed(2)} s); reopening from the root alone`);

  const reopenedStore = await LevelStore.open(`${dir}/smt`);
  const reopened = SparseMerkleSumTrie.import(root, { store: reopenedStore });
  const seedBlockHash = randomBytes(32);
  const path = sha256(Buffer.concat([seedBlockHash, Buffer.from('demo-session')]));
  t0 = performance.now();
  const proof = reopened.proveClosest(path);
  const gob = marshalSparseCompactMerkleClosestProof(compactClosestProof(proof));
  const verdict = checkClosestProofBytes(gob, root);
  log(`closest proof for path ${hex(path).slice(0, 16)}…: depth ${proof.depth}, ${gob.length} gob bytes, chain verdict: ${verdict.valid ? 'VALID' : `INVALID (${verdict.error})`} (${((performance.now() - t0) * 1000).toFixed(0)} µs)`);
  reopened.dispose();
  await reopenedStore.close();
  return { root, valid: verdict.valid, count: relays };
}
