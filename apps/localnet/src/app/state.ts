/**
 * The application state, as plain data (Maps, bigints, bytes) so `structuredClone` gives the
 * independent copies the SDK gets from cache stores: the check state, the per-tx message cache and
 * Simulate's scratch state.
 */
import { pocket } from '@relayminer/protocol';
import type { Genesis, ProofParams, ServiceParams, SessionParams, SharedParams } from './genesis.js';

export interface AccountRecord {
  address: string;
  accountNumber: bigint;
  sequence: bigint;
  publicKey?: Uint8Array;
  balance: bigint;
}

/** A value that changes over time; `height` is the first block it applies to. */
export interface AtHeight<T> {
  height: bigint;
  value: T;
}

export interface ServiceRecord {
  id: string;
  name: string;
  ownerAddress: string;
  cuprHistory: AtHeight<bigint>[];
}

export interface DifficultyRecord {
  targetHash: Uint8Array;
  numRelaysEma: bigint;
}

export type ClaimStatus = 'PENDING_VALIDATION' | 'VALIDATED' | 'INVALID';

export interface ClaimRecord {
  supplierOperatorAddress: string;
  sessionHeader: pocket.session.SessionHeader;
  rootHash: Uint8Array;
  status: ClaimStatus;
  /** Height of the block that (last) created or updated the claim. */
  claimedAtHeight: bigint;
  proofRequired?: boolean;
  proofRequirementReason?: 'NOT_REQUIRED' | 'PROBABILISTIC' | 'THRESHOLD';
  /** Set when validation failed: the chain's failure text and our machine-readable code. */
  failureReason?: string;
  failureCode?: string;
  /** Set once settled or expired. */
  settlement?: 'SETTLED' | 'EXPIRED_PROOF_MISSING' | 'EXPIRED_PROOF_INVALID';
}

export interface ProofRecord {
  supplierOperatorAddress: string;
  sessionHeader: pocket.session.SessionHeader;
  proofBytes: Uint8Array;
  submittedAtHeight: bigint;
  status: 'PENDING' | ClaimStatus;
  failureReason?: string;
  failureCode?: string;
}

export interface SettlementRecord {
  height: bigint;
  sessionId: string;
  supplierOperatorAddress: string;
  applicationAddress: string;
  serviceId: string;
  sessionEndHeight: bigint;
  outcome: 'SETTLED' | 'EXPIRED_PROOF_MISSING' | 'EXPIRED_PROOF_INVALID';
  claimedUpokt: bigint;
}

export interface AppState {
  /** Last committed height (0 before the first block). */
  height: bigint;
  appHash: Uint8Array;
  nextAccountNumber: bigint;
  accounts: Map<string, AccountRecord>;
  applications: Map<string, pocket.application.Application>;
  suppliers: Map<string, pocket.shared.Supplier>;
  services: Map<string, ServiceRecord>;
  difficulty: Map<string, AtHeight<DifficultyRecord>[]>;
  sharedParams: AtHeight<SharedParams>[];
  sessionParams: AtHeight<SessionParams>[];
  proofParams: ProofParams;
  serviceParams: ServiceParams;
  /** Block hashes by height, stored at the end of each block (the session module's store). */
  blockHashes: Map<bigint, Uint8Array>;
  /** Live claims keyed by claimKey(); settlement removes them. */
  claims: Map<string, ClaimRecord>;
  /** Proofs stored during the current block, validated and dropped by the EndBlocker. */
  pendingProofs: Map<string, ProofRecord>;
  /** Balance of the proof module account (submission fees). */
  proofModuleBalance: bigint;
  /** Inspection logs, never pruned: every claim and proof ever accepted, and every settlement. */
  claimLog: Map<string, ClaimRecord>;
  proofLog: ProofRecord[];
  settlementLog: SettlementRecord[];
}

export function claimKey(sessionId: string, supplier: string): string {
  return `${sessionId}/${supplier}`;
}

export function cloneState(s: AppState): AppState {
  return structuredClone(s);
}

/** The entry in effect at `height`: the last one starting at or before it, else the first. */
export function valueAt<T>(history: readonly AtHeight<T>[], height: bigint): T {
  let found = history[0]!;
  for (const entry of history) if (entry.height <= height) found = entry;
  return found.value;
}

/** Records `value` from `height` on, replacing an entry that starts at the same height. */
export function recordAt<T>(history: AtHeight<T>[], height: bigint, value: T): void {
  const i = history.findIndex((e) => e.height === height);
  if (i >= 0) history[i] = { height, value };
  else {
    history.push({ height, value });
    history.sort((a, b) => (a.height < b.height ? -1 : a.height > b.height ? 1 : 0));
  }
}

export function sharedParamsAt(s: AppState, height: bigint): SharedParams {
  return valueAt(s.sharedParams, height);
}

/** The newest recorded shared params (possibly effective at the next session start). */
export function latestSharedParams(s: AppState): SharedParams {
  return s.sharedParams[s.sharedParams.length - 1]!.value;
}

export const BASE_TARGET_HASH = new Uint8Array(32).fill(0xff);

/** Difficulty at `height`, falling back to the base target when the service has no record yet. */
export function difficultyAt(s: AppState, serviceId: string, height: bigint): { record: DifficultyRecord; since: bigint } {
  const history = s.difficulty.get(serviceId) ?? [];
  let found: AtHeight<DifficultyRecord> | undefined;
  for (const entry of history) if (entry.height <= height) found = entry;
  if (!found) return { record: { targetHash: BASE_TARGET_HASH, numRelaysEma: s.serviceParams.targetNumRelays }, since: 0n };
  return { record: found.value, since: found.height };
}

export function cuprAt(s: AppState, serviceId: string, height: bigint): bigint | undefined {
  const svc = s.services.get(serviceId);
  return svc ? valueAt(svc.cuprHistory, height) : undefined;
}

export function stateFromGenesis(g: Genesis): AppState {
  const accounts = new Map<string, AccountRecord>();
  for (const a of g.accounts) {
    accounts.set(a.address, {
      address: a.address,
      accountNumber: a.accountNumber,
      sequence: 0n,
      balance: a.balance,
      ...(a.publicKey ? { publicKey: a.publicKey } : {}),
    });
  }
  const services = new Map<string, ServiceRecord>();
  for (const s of g.services) {
    services.set(s.id, { id: s.id, name: s.name, ownerAddress: s.ownerAddress, cuprHistory: [{ height: 1n, value: s.computeUnitsPerRelay }] });
  }
  const difficulty = new Map<string, AtHeight<DifficultyRecord>[]>();
  for (const d of g.relayMiningDifficulty) {
    difficulty.set(d.serviceId, [{ height: 1n, value: { targetHash: d.targetHash, numRelaysEma: d.numRelaysEma } }]);
  }
  const applications = new Map<string, pocket.application.Application>();
  for (const a of g.applications) {
    applications.set(a.address, {
      address: a.address,
      stake: { denom: 'upokt', amount: a.stake.toString() },
      serviceConfigs: a.serviceIds.map((serviceId) => ({ serviceId })),
      delegateeGatewayAddresses: [...a.delegatees],
      pendingUndelegations: new Map([...a.pendingUndelegations].map(([h, gws]) => [h, { gatewayAddresses: [...gws] }])),
      unstakeSessionEndHeight: a.unstakeSessionEndHeight,
      pendingTransfer: undefined,
      perSessionSpendLimit: undefined,
      serviceConfigHistory: [],
    });
  }
  const suppliers = new Map<string, pocket.shared.Supplier>();
  for (const s of g.suppliers) {
    const configs: pocket.shared.SupplierServiceConfig[] = s.services.map((svc) => ({
      serviceId: svc.serviceId,
      endpoints: svc.endpoints.map((e) => ({ url: e.url, rpcType: e.rpcType, configs: [] })),
      revShare: svc.revShare.map((r) => ({ address: r.address, revSharePercentage: r.revSharePercentage })),
    }));
    suppliers.set(s.operatorAddress, {
      ownerAddress: s.ownerAddress,
      operatorAddress: s.operatorAddress,
      stake: { denom: 'upokt', amount: s.stake.toString() },
      services: configs,
      unstakeSessionEndHeight: 0n,
      serviceConfigHistory: configs.map((service) => ({
        operatorAddress: s.operatorAddress,
        service,
        activationHeight: s.activationHeight,
        deactivationHeight: 0n,
      })),
    });
  }
  return {
    height: 0n,
    appHash: new Uint8Array(0),
    nextAccountNumber: BigInt(g.accounts.length),
    accounts,
    applications,
    suppliers,
    services,
    difficulty,
    sharedParams: [{ height: 1n, value: { ...g.params.shared } }],
    sessionParams: [{ height: 1n, value: { ...g.params.session } }],
    proofParams: { ...g.params.proof },
    serviceParams: { ...g.params.service },
    blockHashes: new Map(),
    claims: new Map(),
    pendingProofs: new Map(),
    proofModuleBalance: 0n,
    claimLog: new Map(),
    proofLog: [],
    settlementLog: [],
  };
}
