/**
 * One supplier's SMST for one session. The trie keeps no relay bytes: its value lookup reads them
 * from the relay log, where every relay is written before the trie sees it.
 */
import { SparseMerkleSumTrie, compactClosestProof, marshalSparseCompactMerkleClosestProof, checkClosestProofBytes } from '@relayminer/smst';
import type { SessionHeader, SessionLifecycleHeights } from '@relayminer/protocol';
import type { SessionStore } from './store/session-store.js';
import { sessionKeyOf } from './store/session-record.js';
import type { SessionRef, SessionTreeInfo, SessionTreeState } from './types.js';
import { SessionsError } from './errors.js';

export class SessionTree {
  readonly key: string;
  readonly ref: SessionRef;
  state: SessionTreeState = 'open';
  /** Fixed when the tree is flushed for its claim (or read from the chain's claim after a restart). */
  root: Uint8Array | undefined;
  private readonly trie: SparseMerkleSumTrie;
  private inflight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly header: SessionHeader,
    readonly supplierOperatorAddress: string,
    readonly windows: SessionLifecycleHeights,
    store: SessionStore,
  ) {
    this.key = sessionKeyOf(supplierOperatorAddress, header.sessionId);
    this.ref = Object.freeze({
      supplierOperatorAddress,
      sessionId: header.sessionId,
      serviceId: header.serviceId,
      applicationAddress: header.applicationAddress,
      sessionEndHeight: header.sessionEndBlockHeight,
    });
    // Sessions are small next to the machine: one thread each, no worker per trie.
    this.trie = new SparseMerkleSumTrie({ threads: false, valueLookup: (path) => store.relayValue(this.key, path) });
  }

  /** An append for this tree was started; `settle` must follow. Appends only start while the tree is open. */
  begin(): void {
    this.inflight++;
  }

  settle(): void {
    if (--this.inflight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves when no append is between its log write and its trie update. */
  idle(): Promise<void> {
    return this.inflight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Adds relays already in the relay log. */
  update(keys: Uint8Array[], values: Uint8Array[], weights: bigint[]): void {
    if (this.root) throw new SessionsError(`session tree ${this.key} is flushed; it takes no more relays`);
    this.trie.updateMany(keys, values, weights);
  }

  get relays(): bigint {
    return this.root ? rootCount(this.root) : this.trie.count();
  }

  get computeUnits(): bigint {
    return this.root ? rootSum(this.root) : this.trie.sum();
  }

  /** Fixes the root: the claim commits to it. */
  flush(): Uint8Array {
    this.root ??= this.trie.root();
    return this.root;
  }

  /** The root the trie computes now (to compare with a claim found on chain). */
  currentRoot(): Uint8Array {
    return this.trie.root();
  }

  /**
   * The gob bytes of the compact closest proof for `path` (MsgSubmitProof.proof), checked the way the
   * chain checks it against the claimed root before anything is sent.
   */
  closestProof(path: Uint8Array): Uint8Array {
    if (!this.root) throw new SessionsError(`session tree ${this.key} has no claimed root to prove`);
    const bytes = marshalSparseCompactMerkleClosestProof(compactClosestProof(this.trie.proveClosest(path)));
    const check = checkClosestProofBytes(bytes, this.root);
    if (!check.valid) throw new SessionsError(`the closest proof of ${this.key} does not verify against its root (${check.stage}: ${check.error ?? 'invalid'})`);
    return bytes;
  }

  info(): SessionTreeInfo {
    return { ...this.ref, state: this.state, header: this.header, relays: this.relays, computeUnits: this.computeUnits };
  }

  dispose(): void {
    this.trie.dispose();
  }
}

export const rootSum = (root: Uint8Array): bigint => new DataView(root.buffer, root.byteOffset).getBigUint64(32);
export const rootCount = (root: Uint8Array): bigint => new DataView(root.buffer, root.byteOffset).getBigUint64(40);
