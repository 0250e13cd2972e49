/**
 * Genesis loading (chain.md §6.2): YAML text, a path to a YAML/JSON file, or an already parsed
 * object. Everything is validated up front so a bad file fails at start with the offending key
 * named, rather than as an odd chain behaviour later.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  addressFromPublicKey,
  isValidBech32Address,
  isValidSecp256k1PublicKey,
  publicKeyFromPrivateKey,
  sessionEndToProofWindowCloseBlocks,
  pocket,
} from '@relayminer/protocol';
import { DENOM, parseCoin, parseDecPrice, type DecPrice } from './coins.js';
import { GenesisError } from './errors.js';

export type SharedParams = pocket.shared.Params;

export interface SessionParams {
  numSuppliersPerSession: bigint;
}

export interface ProofParams {
  proofRequestProbability: number;
  proofRequirementThreshold: bigint;
  proofMissingPenalty: bigint;
  proofSubmissionFee: bigint;
}

export interface ServiceParams {
  addServiceFee: bigint;
  targetNumRelays: bigint;
}

export interface GenesisAccount {
  name: string;
  address: string;
  accountNumber: bigint;
  /** 33-byte compressed key, when known at genesis (apps and gateways need one for the ring). */
  publicKey?: Uint8Array;
  /** Test-only key material, kept so tests and the demo can sign; never logged. */
  privateKey?: Uint8Array;
  balance: bigint;
}

export interface GenesisService {
  id: string;
  name: string;
  computeUnitsPerRelay: bigint;
  ownerAddress: string;
}

export interface GenesisDifficulty {
  serviceId: string;
  targetHash: Uint8Array;
  numRelaysEma: bigint;
}

export interface GenesisApplication {
  address: string;
  stake: bigint;
  serviceIds: string[];
  delegatees: string[];
  /** Session end height → gateways whose undelegation was recorded then. */
  pendingUndelegations: Map<bigint, string[]>;
  unstakeSessionEndHeight: bigint;
}

export interface GenesisSupplierService {
  serviceId: string;
  endpoints: { url: string; rpcType: pocket.shared.RPCType }[];
  revShare: { address: string; revSharePercentage: bigint }[];
}

export interface GenesisSupplier {
  operatorAddress: string;
  ownerAddress: string;
  stake: bigint;
  activationHeight: bigint;
  services: GenesisSupplierService[];
}

/** A height-triggered change, applied at the start of block `atHeight`. */
export interface ScheduledChange {
  atHeight: bigint;
  sharedParams?: Partial<SharedParams>;
  difficulty?: { serviceId: string; targetHash: Uint8Array; numRelaysEma?: bigint };
  cupr?: { serviceId: string; computeUnitsPerRelay: bigint };
}

export interface Genesis {
  chainId: string;
  genesisTimeMs: number;
  blockTimeMs: number;
  appVersion: string;
  minGasPrice: DecPrice;
  params: { shared: SharedParams; session: SessionParams; proof: ProofParams; service: ServiceParams };
  accounts: GenesisAccount[];
  services: GenesisService[];
  relayMiningDifficulty: GenesisDifficulty[];
  applications: GenesisApplication[];
  suppliers: GenesisSupplier[];
  schedule: ScheduledChange[];
}

const SHARED_KEYS: Record<string, keyof SharedParams> = {
  num_blocks_per_session: 'numBlocksPerSession',
  grace_period_end_offset_blocks: 'gracePeriodEndOffsetBlocks',
  claim_window_open_offset_blocks: 'claimWindowOpenOffsetBlocks',
  claim_window_close_offset_blocks: 'claimWindowCloseOffsetBlocks',
  proof_window_open_offset_blocks: 'proofWindowOpenOffsetBlocks',
  proof_window_close_offset_blocks: 'proofWindowCloseOffsetBlocks',
  supplier_unbonding_period_sessions: 'supplierUnbondingPeriodSessions',
  application_unbonding_period_sessions: 'applicationUnbondingPeriodSessions',
  compute_units_to_tokens_multiplier: 'computeUnitsToTokensMultiplier',
  gateway_unbonding_period_sessions: 'gatewayUnbondingPeriodSessions',
  compute_unit_cost_granularity: 'computeUnitCostGranularity',
  session_grid_anchor_height: 'sessionGridAnchorHeight',
  session_number_at_anchor: 'sessionNumberAtAnchor',
};

/**
 * Short sessions as in chain.md §6.2; the unbonding periods are 2 sessions because x/shared rejects
 * an unbonding period shorter than session end → proof window close (5 blocks here).
 */
const SHARED_DEFAULTS: SharedParams = {
  numBlocksPerSession: 4n,
  gracePeriodEndOffsetBlocks: 1n,
  claimWindowOpenOffsetBlocks: 1n,
  claimWindowCloseOffsetBlocks: 2n,
  proofWindowOpenOffsetBlocks: 0n,
  proofWindowCloseOffsetBlocks: 2n,
  supplierUnbondingPeriodSessions: 2n,
  applicationUnbondingPeriodSessions: 2n,
  computeUnitsToTokensMultiplier: 42_000_000n,
  gatewayUnbondingPeriodSessions: 2n,
  computeUnitCostGranularity: 1_000_000n,
  sessionGridAnchorHeight: 0n,
  sessionNumberAtAnchor: 0n,
};

const SERVICE_ID_RE = /^[a-zA-Z0-9_-]{1,42}$/;
const U64_MAX = (1n << 64n) - 1n;

type Obj = Record<string, unknown>;

const PARAM_SECTIONS = ['shared', 'session', 'proof', 'service', 'tokenomics'];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, key: string): Obj {
  if (!isObj(v)) throw new GenesisError(key, 'must be a mapping');
  return v;
}

function arr(v: unknown, key: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new GenesisError(key, 'must be a list');
  return v;
}

function str(v: unknown, key: string): string {
  if (typeof v !== 'string' || v === '') throw new GenesisError(key, 'must be a non-empty string');
  return v;
}

function u64(v: unknown, key: string, fallback?: bigint): bigint {
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new GenesisError(key, 'is required');
  }
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^[0-9]+$/.test(v)) n = BigInt(v);
  else throw new GenesisError(key, 'must be a non-negative integer');
  if (n < 0n || n > U64_MAX) throw new GenesisError(key, 'must fit in uint64');
  return n;
}

function upokt(v: unknown, key: string, fallback?: bigint): bigint {
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new GenesisError(key, 'is required');
  }
  if (typeof v === 'number' || typeof v === 'bigint') return u64(v, key);
  const coin = typeof v === 'string' ? parseCoin(v) : undefined;
  if (!coin) throw new GenesisError(key, `must be a coin such as "1000${DENOM}"`);
  if (coin.denom !== DENOM) throw new GenesisError(key, `denom must be ${DENOM}, got ${coin.denom}`);
  return coin.amount;
}

function hexBytes(v: unknown, key: string, len: number, secret = false): Uint8Array {
  const text = typeof v === 'string' ? v.replace(/^0x/, '') : '';
  if (text.length !== len * 2 || !/^[0-9a-fA-F]*$/.test(text)) {
    // key material is never echoed back
    throw new GenesisError(key, `must be ${len} bytes of hex${secret ? '' : `, got ${JSON.stringify(v)}`}`);
  }
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

function serviceId(v: unknown, key: string): string {
  const id = str(v, key);
  if (!SERVICE_ID_RE.test(id)) throw new GenesisError(key, `service id ${JSON.stringify(id)} must be 1-42 characters of [a-zA-Z0-9_-]`);
  return id;
}

function isPoktAddress(v: string): boolean {
  return isValidBech32Address(v);
}

function parseSharedParams(v: unknown, key: string, base: SharedParams, partial: boolean): Partial<SharedParams> {
  const o = v === undefined ? {} : obj(v, key);
  const out: Partial<SharedParams> = partial ? {} : { ...base };
  for (const [k, val] of Object.entries(o)) {
    const field = SHARED_KEYS[k];
    if (!field) throw new GenesisError(`${key}.${k}`, 'is not a shared param');
    out[field] = u64(val, `${key}.${k}`);
  }
  return out;
}

/** §5.1 parameter checks (genesis validation of x/shared). */
export function validateSharedParams(p: SharedParams, key: string): void {
  if (p.numBlocksPerSession < 1n) throw new GenesisError(`${key}.num_blocks_per_session`, 'must be at least 1');
  if (p.gracePeriodEndOffsetBlocks >= p.numBlocksPerSession)
    throw new GenesisError(`${key}.grace_period_end_offset_blocks`, 'must be less than num_blocks_per_session');
  if (p.claimWindowOpenOffsetBlocks < p.gracePeriodEndOffsetBlocks)
    throw new GenesisError(`${key}.claim_window_open_offset_blocks`, 'must be at least grace_period_end_offset_blocks');
  if (p.computeUnitsToTokensMultiplier <= 0n) throw new GenesisError(`${key}.compute_units_to_tokens_multiplier`, 'must be positive');
  if (p.computeUnitCostGranularity <= 0n) throw new GenesisError(`${key}.compute_unit_cost_granularity`, 'must be positive');
  const closeBlocks = sessionEndToProofWindowCloseBlocks(p);
  for (const [name, sessions] of [
    ['supplier_unbonding_period_sessions', p.supplierUnbondingPeriodSessions],
    ['application_unbonding_period_sessions', p.applicationUnbondingPeriodSessions],
    ['gateway_unbonding_period_sessions', p.gatewayUnbondingPeriodSessions],
  ] as const) {
    if (sessions * p.numBlocksPerSession < closeBlocks)
      throw new GenesisError(`${key}.${name}`, 'the unbonding period must outlast the proof window close');
  }
}

function rpcType(v: unknown, key: string): pocket.shared.RPCType {
  if (v === undefined) return pocket.shared.RPCType.JSON_RPC;
  const name = str(v, key);
  const value = (pocket.shared.RPCType as unknown as Record<string, number>)[name];
  if (typeof value !== 'number' || value < 0) throw new GenesisError(key, `unknown rpc_type ${JSON.stringify(name)}`);
  return value as pocket.shared.RPCType;
}

function readSource(input: string | object): unknown {
  if (typeof input !== 'string') return input;
  // A single line that names an existing file is a path; anything else is YAML (JSON is YAML too).
  if (!input.includes('\n') && existsSync(input)) return parseYaml(readFileSync(input, 'utf8'), { intAsBigInt: true });
  return parseYaml(input, { intAsBigInt: true });
}

/** Loads and validates a genesis document; throws GenesisError naming the bad key. */
export function loadGenesis(input: string | object): Genesis {
  let raw: unknown;
  try {
    raw = readSource(input);
  } catch (e) {
    throw new GenesisError('(document)', `cannot be parsed: ${(e as Error).message}`);
  }
  const g = obj(raw, '(document)');

  const chainId = str(g.chain_id, 'chain_id');
  const timeText = g.genesis_time === undefined ? '2025-01-01T00:00:00Z' : str(g.genesis_time, 'genesis_time');
  const genesisTimeMs = Date.parse(timeText);
  if (Number.isNaN(genesisTimeMs)) throw new GenesisError('genesis_time', 'must be an RFC 3339 timestamp');
  const blockTimeMs = Number(u64(g.block_time_ms, 'block_time_ms', 1000n));
  const appVersion = g.app_version === undefined ? 'v0.1.35' : str(g.app_version, 'app_version');
  const minGasPriceText = g.min_gas_price === undefined ? `0${DENOM}` : str(g.min_gas_price, 'min_gas_price');
  const minGasPrice = parseDecPrice(minGasPriceText);
  if (!minGasPrice || minGasPrice.denom !== DENOM) throw new GenesisError('min_gas_price', `must be a decimal ${DENOM} price such as "0.000001${DENOM}"`);

  const params = g.params === undefined ? {} : obj(g.params, 'params');
  for (const section of Object.keys(params)) {
    if (!PARAM_SECTIONS.includes(section)) throw new GenesisError(`params.${section}`, `unknown params section (expected one of ${PARAM_SECTIONS.join(', ')})`);
  }
  // Accepted so genesis files written for a full node load; nothing here reads them: in this chain
  // version the token multiplier and granularity are shared params and the difficulty has its own section.
  if (params.tokenomics !== undefined) obj(params.tokenomics, 'params.tokenomics');
  const shared = parseSharedParams(params.shared, 'params.shared', SHARED_DEFAULTS, false) as SharedParams;
  validateSharedParams(shared, 'params.shared');
  const sessionRaw = params.session === undefined ? {} : obj(params.session, 'params.session');
  const session: SessionParams = { numSuppliersPerSession: u64(sessionRaw.num_suppliers_per_session, 'params.session.num_suppliers_per_session', 15n) };
  const proofRaw = params.proof === undefined ? {} : obj(params.proof, 'params.proof');
  const probability = proofRaw.proof_request_probability === undefined ? 1 : Number(proofRaw.proof_request_probability);
  if (!Number.isFinite(probability) || probability < 0 || probability > 1)
    throw new GenesisError('params.proof.proof_request_probability', 'must be a number in [0, 1]');
  const proof: ProofParams = {
    proofRequestProbability: probability,
    proofRequirementThreshold: upokt(proofRaw.proof_requirement_threshold, 'params.proof.proof_requirement_threshold', 20_000_000n),
    proofMissingPenalty: upokt(proofRaw.proof_missing_penalty, 'params.proof.proof_missing_penalty', 320_000_000n),
    proofSubmissionFee: upokt(proofRaw.proof_submission_fee, 'params.proof.proof_submission_fee', 1_000_000n),
  };
  const serviceRaw = params.service === undefined ? {} : obj(params.service, 'params.service');
  const service: ServiceParams = {
    addServiceFee: upokt(serviceRaw.add_service_fee, 'params.service.add_service_fee', 1_000_000_000n),
    targetNumRelays: u64(serviceRaw.target_num_relays, 'params.service.target_num_relays', 100_000n),
  };

  // Accounts first: every other section refers to them by name or by address.
  const accounts: GenesisAccount[] = [];
  const byName = new Map<string, string>();
  const byAddress = new Map<string, GenesisAccount>();
  arr(g.accounts, 'accounts').forEach((entry, i) => {
    const key = `accounts[${i}]`;
    const a = obj(entry, key);
    const name = str(a.name, `${key}.name`);
    if (byName.has(name)) throw new GenesisError(`${key}.name`, `duplicate account name ${JSON.stringify(name)}`);
    let publicKey: Uint8Array | undefined;
    let privateKey: Uint8Array | undefined;
    if (a.private_key !== undefined) {
      privateKey = hexBytes(a.private_key, `${key}.private_key`, 32, true);
      try {
        publicKey = publicKeyFromPrivateKey(privateKey);
      } catch {
        throw new GenesisError(`${key}.private_key`, 'is not a valid secp256k1 private key');
      }
    }
    if (a.pubkey !== undefined) {
      const pk = hexBytes(a.pubkey, `${key}.pubkey`, 33);
      if (!isValidSecp256k1PublicKey(pk)) throw new GenesisError(`${key}.pubkey`, 'is not a valid compressed secp256k1 key');
      if (publicKey && Buffer.compare(Buffer.from(pk), Buffer.from(publicKey)) !== 0)
        throw new GenesisError(`${key}.pubkey`, 'does not belong to private_key');
      publicKey = pk;
    }
    let address: string;
    if (publicKey) address = addressFromPublicKey(publicKey);
    else if (a.address !== undefined) address = str(a.address, `${key}.address`);
    else throw new GenesisError(key, 'needs private_key, pubkey or address');
    if (a.address !== undefined && a.address !== address) throw new GenesisError(`${key}.address`, 'does not match the key');
    if (!isPoktAddress(address)) throw new GenesisError(`${key}.address`, 'must be a pokt1… bech32 address');
    if (byAddress.has(address)) throw new GenesisError(key, `duplicate account ${address}`);
    const account: GenesisAccount = {
      name,
      address,
      accountNumber: BigInt(accounts.length),
      balance: upokt(a.balance, `${key}.balance`, 0n),
      ...(publicKey ? { publicKey } : {}),
      ...(privateKey ? { privateKey } : {}),
    };
    accounts.push(account);
    byName.set(name, address);
    byAddress.set(address, account);
  });

  const ref = (v: unknown, key: string): string => {
    const s = str(v, key);
    const fromName = byName.get(s);
    if (fromName) return fromName;
    if (isPoktAddress(s)) return s;
    throw new GenesisError(key, `${JSON.stringify(s)} is neither an account name nor a pokt address`);
  };

  const services: GenesisService[] = [];
  arr(g.services, 'services').forEach((entry, i) => {
    const key = `services[${i}]`;
    const s = obj(entry, key);
    const id = serviceId(s.id, `${key}.id`);
    if (services.some((x) => x.id === id)) throw new GenesisError(`${key}.id`, `duplicate service ${id}`);
    const cupr = u64(s.compute_units_per_relay, `${key}.compute_units_per_relay`, 1n);
    if (cupr < 1n) throw new GenesisError(`${key}.compute_units_per_relay`, 'must be at least 1');
    services.push({
      id,
      name: s.name === undefined ? id : str(s.name, `${key}.name`),
      computeUnitsPerRelay: cupr,
      ownerAddress: s.owner === undefined ? '' : ref(s.owner, `${key}.owner`),
    });
  });
  const knownService = (id: string, key: string): string => {
    if (!services.some((s) => s.id === id)) throw new GenesisError(key, `unknown service ${JSON.stringify(id)}`);
    return id;
  };

  const relayMiningDifficulty = arr(g.relay_mining_difficulty, 'relay_mining_difficulty').map((entry, i) => {
    const key = `relay_mining_difficulty[${i}]`;
    const d = obj(entry, key);
    return {
      serviceId: knownService(serviceId(d.service_id, `${key}.service_id`), `${key}.service_id`),
      targetHash: hexBytes(d.target_hash, `${key}.target_hash`, 32),
      numRelaysEma: u64(d.num_relays_ema, `${key}.num_relays_ema`, service.targetNumRelays),
    };
  });

  const applications = arr(g.applications, 'applications').map((entry, i): GenesisApplication => {
    const key = `applications[${i}]`;
    const a = obj(entry, key);
    const address = ref(a.account, `${key}.account`);
    const account = byAddress.get(address);
    if (!account?.publicKey) throw new GenesisError(`${key}.account`, 'applications need an account with a public key (the ring needs it)');
    const serviceIds = arr(a.services, `${key}.services`).map((s, j) => knownService(serviceId(s, `${key}.services[${j}]`), `${key}.services[${j}]`));
    if (serviceIds.length === 0) throw new GenesisError(`${key}.services`, 'must list at least one service');
    const gatewayRef = (v: unknown, k: string): string => {
      const gw = ref(v, k);
      if (!byAddress.get(gw)?.publicKey) throw new GenesisError(k, 'gateways need an account with a public key (the ring needs it)');
      return gw;
    };
    const delegatees = arr(a.delegatees, `${key}.delegatees`).map((d, j) => gatewayRef(d, `${key}.delegatees[${j}]`));
    const pendingUndelegations = new Map<bigint, string[]>();
    const pending = a.pending_undelegations === undefined ? {} : obj(a.pending_undelegations, `${key}.pending_undelegations`);
    for (const [h, list] of Object.entries(pending)) {
      const k = `${key}.pending_undelegations.${h}`;
      pendingUndelegations.set(u64(h, k), arr(list, k).map((d, j) => gatewayRef(d, `${k}[${j}]`)));
    }
    return {
      address,
      stake: upokt(a.stake, `${key}.stake`),
      serviceIds,
      delegatees,
      pendingUndelegations,
      unstakeSessionEndHeight: u64(a.unstake_session_end_height, `${key}.unstake_session_end_height`, 0n),
    };
  });
  const appSet = new Set<string>();
  applications.forEach((a, i) => {
    if (appSet.has(a.address)) throw new GenesisError(`applications[${i}].account`, 'duplicate application');
    appSet.add(a.address);
  });

  const suppliers = arr(g.suppliers, 'suppliers').map((entry, i): GenesisSupplier => {
    const key = `suppliers[${i}]`;
    const s = obj(entry, key);
    const operatorAddress = ref(s.operator, `${key}.operator`);
    if (!byAddress.has(operatorAddress)) throw new GenesisError(`${key}.operator`, 'the operator needs a genesis account (it signs claims)');
    const svcs = arr(s.services, `${key}.services`).map((svc, j): GenesisSupplierService => {
      const k = `${key}.services[${j}]`;
      const o = obj(svc, k);
      const endpoints = arr(o.endpoints, `${k}.endpoints`).map((ep, e) => {
        const ek = `${k}.endpoints[${e}]`;
        const eo = obj(ep, ek);
        return { url: str(eo.url, `${ek}.url`), rpcType: rpcType(eo.rpc_type, `${ek}.rpc_type`) };
      });
      if (endpoints.length === 0) throw new GenesisError(`${k}.endpoints`, 'must list at least one endpoint');
      const revShareRaw = arr(o.rev_share, `${k}.rev_share`);
      const revShare = revShareRaw.length
        ? revShareRaw.map((r, e) => {
            const rk = `${k}.rev_share[${e}]`;
            const ro = obj(r, rk);
            return { address: ref(ro.address, `${rk}.address`), revSharePercentage: u64(ro.rev_share_percentage, `${rk}.rev_share_percentage`) };
          })
        : [{ address: operatorAddress, revSharePercentage: 100n }];
      const total = revShare.reduce((acc, r) => acc + r.revSharePercentage, 0n);
      if (total !== 100n) throw new GenesisError(`${k}.rev_share`, `percentages must add up to 100, got ${total}`);
      return { serviceId: knownService(serviceId(o.service_id, `${k}.service_id`), `${k}.service_id`), endpoints, revShare };
    });
    if (svcs.length === 0) throw new GenesisError(`${key}.services`, 'must list at least one service');
    return {
      operatorAddress,
      ownerAddress: s.owner === undefined ? operatorAddress : ref(s.owner, `${key}.owner`),
      stake: upokt(s.stake, `${key}.stake`),
      activationHeight: u64(s.activation_height, `${key}.activation_height`, 1n),
      services: svcs,
    };
  });
  const supplierSet = new Set<string>();
  suppliers.forEach((s, i) => {
    if (supplierSet.has(s.operatorAddress)) throw new GenesisError(`suppliers[${i}].operator`, 'duplicate supplier');
    supplierSet.add(s.operatorAddress);
  });

  const schedule = arr(g.schedule, 'schedule').map((entry, i): ScheduledChange => {
    const key = `schedule[${i}]`;
    const s = obj(entry, key);
    const atHeight = u64(s.at_height, `${key}.at_height`);
    if (atHeight < 1n) throw new GenesisError(`${key}.at_height`, 'must be at least 1');
    const change: ScheduledChange = { atHeight };
    if (s.shared_params !== undefined) {
      change.sharedParams = parseSharedParams(s.shared_params, `${key}.shared_params`, shared, true);
      validateSharedParams({ ...shared, ...change.sharedParams }, `${key}.shared_params`);
    }
    if (s.difficulty !== undefined) {
      const d = obj(s.difficulty, `${key}.difficulty`);
      change.difficulty = {
        serviceId: knownService(serviceId(d.service_id, `${key}.difficulty.service_id`), `${key}.difficulty.service_id`),
        targetHash: hexBytes(d.target_hash, `${key}.difficulty.target_hash`, 32),
        ...(d.num_relays_ema !== undefined ? { numRelaysEma: u64(d.num_relays_ema, `${key}.difficulty.num_relays_ema`) } : {}),
      };
    }
    if (s.cupr !== undefined) {
      const c = obj(s.cupr, `${key}.cupr`);
      change.cupr = {
        serviceId: knownService(serviceId(c.service_id, `${key}.cupr.service_id`), `${key}.cupr.service_id`),
        computeUnitsPerRelay: u64(c.compute_units_per_relay, `${key}.cupr.compute_units_per_relay`),
      };
    }
    if (!change.sharedParams && !change.difficulty && !change.cupr) throw new GenesisError(key, 'must change shared_params, difficulty or cupr');
    return change;
  });

  return {
    chainId,
    genesisTimeMs,
    blockTimeMs,
    appVersion,
    minGasPrice,
    params: { shared, session, proof, service },
    accounts,
    services,
    relayMiningDifficulty,
    applications,
    suppliers,
    schedule,
  };
}
