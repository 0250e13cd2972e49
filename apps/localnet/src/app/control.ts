/**
 * Test-time mutations (chain.md §6.8): queued by the control API and applied at the start of the
 * next block, recorded into the history stores like a chain upgrade would be.
 */
import { sessionEndHeight, sessionNumber } from '@relayminer/protocol';
import { ControlError } from './errors.js';
import type { SharedParams } from './genesis.js';
import { latestSharedParams, recordAt, sharedParamsAt, type AppState, type ClaimRecord, type ProofRecord, type SettlementRecord } from './state.js';
import { validateSharedParams } from './genesis.js';
import { GenesisError } from './errors.js';

/** A change to apply to the state at the start of block `height`. */
export type Mutation = (state: AppState, height: bigint) => void;

export interface LocalnetAppControl {
  /** Adds upokt to an account, creating it (with the next account number) if needed. */
  fund(address: string, amountUpokt: bigint): void;
  /** Relay mining difficulty target from `atHeight` (default: the next block) on. */
  setDifficulty(serviceId: string, targetHash: Uint8Array, opts?: { atHeight?: bigint; numRelaysEma?: bigint }): void;
  /** Compute units per relay from `atHeight` (default: the next block) on. */
  setCupr(serviceId: string, computeUnitsPerRelay: bigint, atHeight?: bigint): void;
  /** New shared params from the next session start on; the grid anchor moves there. */
  setSharedParams(params: Partial<SharedParams>): void;
  delegate(appAddress: string, gatewayAddress: string): void;
  /** Removes the delegation; the gateway stays in rings up to the current session end. */
  undelegate(appAddress: string, gatewayAddress: string): void;
  /** Every claim ever accepted, with its latest status, failure and settlement. */
  claims(): ClaimRecord[];
  /** Every proof that reached the EndBlocker, with its verdict. */
  proofs(): ProofRecord[];
  settlements(): SettlementRecord[];
  /** Stored block hash of a committed height. */
  blockHash(height: bigint): Uint8Array | undefined;
  /** Shared params in effect at a height (committed history). */
  sharedParamsAt(height: bigint): SharedParams;
}

export function fundMutation(address: string, amount: bigint): Mutation {
  if (amount < 0n) throw new ControlError('fund amount must be non-negative');
  return (s) => {
    const account = s.accounts.get(address);
    if (account) account.balance += amount;
    else {
      s.accounts.set(address, { address, accountNumber: s.nextAccountNumber, sequence: 0n, balance: amount });
      s.nextAccountNumber += 1n;
    }
  };
}

export function difficultyMutation(serviceId: string, targetHash: Uint8Array, atHeight?: bigint, numRelaysEma?: bigint): Mutation {
  if (targetHash.length !== 32) throw new ControlError('difficulty target hash must be 32 bytes');
  const target = targetHash.slice();
  return (s, h) => {
    if (!s.services.has(serviceId)) throw new ControlError(`unknown service ${serviceId}`);
    const history = s.difficulty.get(serviceId) ?? [];
    const from = atHeight !== undefined && atHeight > h ? atHeight : h;
    recordAt(history, from, { targetHash: target, numRelaysEma: numRelaysEma ?? s.serviceParams.targetNumRelays });
    s.difficulty.set(serviceId, history);
  };
}

export function cuprMutation(serviceId: string, cupr: bigint, atHeight?: bigint): Mutation {
  if (cupr < 1n) throw new ControlError('compute units per relay must be at least 1');
  return (s, h) => {
    const svc = s.services.get(serviceId);
    if (!svc) throw new ControlError(`unknown service ${serviceId}`);
    recordAt(svc.cuprHistory, atHeight !== undefined && atHeight > h ? atHeight : h, cupr);
  };
}

export function sharedParamsMutation(update: Partial<SharedParams>): Mutation {
  return (s, h) => {
    const current = sharedParamsAt(s, h);
    const next: SharedParams = { ...latestSharedParams(s), ...update };
    // the change waits for the session boundary, and the grid restarts there
    const anchor = sessionEndHeight(current, h) + 1n;
    next.sessionGridAnchorHeight = anchor;
    next.sessionNumberAtAnchor = sessionNumber(current, h) + 1n;
    try {
      validateSharedParams(next, 'setSharedParams');
    } catch (e) {
      if (e instanceof GenesisError) throw new ControlError(e.message);
      throw e;
    }
    recordAt(s.sharedParams, anchor, next);
  };
}

export function delegateMutation(app: string, gateway: string): Mutation {
  return (s) => {
    const record = s.applications.get(app);
    if (!record) throw new ControlError(`unknown application ${app}`);
    if (!record.delegateeGatewayAddresses.includes(gateway)) record.delegateeGatewayAddresses.push(gateway);
  };
}

export function undelegateMutation(app: string, gateway: string): Mutation {
  return (s, h) => {
    const record = s.applications.get(app);
    if (!record) throw new ControlError(`unknown application ${app}`);
    record.delegateeGatewayAddresses = record.delegateeGatewayAddresses.filter((g) => g !== gateway);
    const end = sessionEndHeight(sharedParamsAt(s, h), h);
    const list = record.pendingUndelegations.get(end) ?? { gatewayAddresses: [] };
    if (!list.gatewayAddresses.includes(gateway)) list.gatewayAddresses.push(gateway);
    record.pendingUndelegations.set(end, list);
  };
}
