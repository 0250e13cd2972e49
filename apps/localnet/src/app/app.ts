/** The Pocket application behind the LocalnetApp seam: block lifecycle, check state, control. */
import { sha256 } from '@noble/hashes/sha2.js';
import { RingVerifier, u64be } from '@relayminer/protocol';
import type { AbciBlockHeader, AbciEvent, AbciQueryResult, AbciTxResult, LocalnetApp } from '../abci.js';
import {
  cuprMutation,
  delegateMutation,
  difficultyMutation,
  fundMutation,
  sharedParamsMutation,
  undelegateMutation,
  type LocalnetAppControl,
  type Mutation,
} from './control.js';
import { AppLifecycleError } from './errors.js';
import type { Genesis } from './genesis.js';
import { settleClaimsEndBlock, validateProofsEndBlock } from './proof-module.js';
import { routeQuery } from './queries.js';
import { runTx } from './run-tx.js';
import { cloneState, sharedParamsAt, stateFromGenesis, type AppState } from './state.js';

export type PocketLocalnetApp = LocalnetApp & { readonly control: LocalnetAppControl };

export function createLocalnetApp(genesis: Genesis): PocketLocalnetApp {
  let committed: AppState = stateFromGenesis(genesis);
  let check: AppState = cloneState(committed);
  let deliver: AppState | undefined;
  let header: AbciBlockHeader | undefined;
  let blockDigest: Uint8Array[] = [];
  let ended = false;
  const queued: Mutation[] = [];
  const ring = new RingVerifier();

  const scheduled = new Map<bigint, Mutation[]>();
  for (const change of genesis.schedule) {
    const list = scheduled.get(change.atHeight) ?? [];
    if (change.sharedParams) list.push(sharedParamsMutation(change.sharedParams));
    if (change.difficulty) list.push(difficultyMutation(change.difficulty.serviceId, change.difficulty.targetHash, undefined, change.difficulty.numRelaysEma));
    if (change.cupr) list.push(cuprMutation(change.cupr.serviceId, change.cupr.computeUnitsPerRelay));
    scheduled.set(change.atHeight, list);
  }

  const requireBlock = (what: string): { state: AppState; header: AbciBlockHeader } => {
    if (!deliver || !header) throw new AppLifecycleError(`${what} called outside a block (call beginBlock first)`);
    return { state: deliver, header };
  };

  const app: PocketLocalnetApp = {
    chainId: genesis.chainId,
    appVersion: genesis.appVersion,

    info() {
      return { lastBlockHeight: committed.height, lastBlockAppHash: committed.appHash.slice() };
    },

    query(path: string, data: Uint8Array, height: bigint): AbciQueryResult {
      return routeQuery(path, data, height, { committed, check, chainId: genesis.chainId, minGasPrice: genesis.minGasPrice });
    },

    checkTx(tx: Uint8Array): AbciTxResult {
      const run = runTx(check, tx, { mode: 'check', chainId: genesis.chainId, height: committed.height + 1n, minGasPrice: genesis.minGasPrice });
      if (run.result.code === 0) check = run.state;
      return run.result;
    },

    beginBlock(h: AbciBlockHeader): void {
      if (deliver) throw new AppLifecycleError(`beginBlock(${h.height}) while block ${header?.height} is still open`);
      if (h.height !== committed.height + 1n) throw new AppLifecycleError(`beginBlock(${h.height}) but the next height is ${committed.height + 1n}`);
      header = h;
      deliver = cloneState(committed);
      blockDigest = [];
      ended = false;
      for (const m of scheduled.get(h.height) ?? []) m(deliver, h.height);
      for (const m of queued.splice(0)) m(deliver, h.height);
    },

    deliverTx(tx: Uint8Array): AbciTxResult {
      const { state, header: hd } = requireBlock('deliverTx');
      if (ended) throw new AppLifecycleError('deliverTx after endBlock');
      const run = runTx(state, tx, { mode: 'deliver', chainId: genesis.chainId, height: hd.height, minGasPrice: genesis.minGasPrice });
      deliver = run.state;
      blockDigest.push(sha256(tx), u64be(BigInt(run.result.code)));
      return run.result;
    },

    endBlock(): { events: AbciEvent[] } {
      const { state, header: hd } = requireBlock('endBlock');
      if (ended) throw new AppLifecycleError('endBlock called twice');
      ended = true;
      const events = [...validateProofsEndBlock(state, hd.height, ring), ...settleClaimsEndBlock(state, hd.height)];
      state.blockHashes.set(hd.height, hd.hash.slice());
      return { events };
    },

    commit(): Uint8Array {
      const { state, header: hd } = requireBlock('commit');
      if (!ended) throw new AppLifecycleError('commit before endBlock');
      // deterministic stand-in for the IAVL root: chains the previous hash with this block's txs
      state.appHash = sha256(Buffer.concat([state.appHash, u64be(hd.height), ...blockDigest]));
      state.height = hd.height;
      committed = state;
      check = cloneState(committed);
      deliver = undefined;
      header = undefined;
      return committed.appHash.slice();
    },

    control: {
      fund: (address, amount) => void queued.push(fundMutation(address, amount)),
      setDifficulty: (serviceId, targetHash, opts) => void queued.push(difficultyMutation(serviceId, targetHash, opts?.atHeight, opts?.numRelaysEma)),
      setCupr: (serviceId, cupr, atHeight) => void queued.push(cuprMutation(serviceId, cupr, atHeight)),
      setSharedParams: (params) => void queued.push(sharedParamsMutation(params)),
      delegate: (appAddress, gateway) => void queued.push(delegateMutation(appAddress, gateway)),
      undelegate: (appAddress, gateway) => void queued.push(undelegateMutation(appAddress, gateway)),
      claims: () => structuredClone([...committed.claimLog.values()]),
      proofs: () => structuredClone(committed.proofLog),
      settlements: () => structuredClone(committed.settlementLog),
      blockHash: (height) => committed.blockHashes.get(height)?.slice(),
      sharedParamsAt: (height) => ({ ...sharedParamsAt(committed, height) }),
    },
  };
  return app;
}
