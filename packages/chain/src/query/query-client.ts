/**
 * Typed, cached reads of the pocket and cosmos modules a relay miner needs (chain.md §1.1). Every method
 * is one gRPC method reached through `abci_query`; the codecs are the canonical ones of
 * `@relayminer/protocol`, so decoded values (all 64-bit integers as bigint) feed the protocol math as is.
 *
 * Caching follows the Go miner: most answers live until a new session number is first seen in a block
 * (`onBlock`), the shared params at a height are memoised (≤ 256 heights), and difficulty and compute
 * units per relay are memoised per (service, height) because the chain answers them from history.
 */
import { cosmos, pocket, sessionNumber, sessionStartHeight } from '@relayminer/protocol';
import type { ResolvedChainClientConfig } from '../config.js';
import { ChainDecodeError, ChainIdMismatchError, NotFoundError, UnimplementedQueryError } from '../errors.js';
import { CometRpc } from '../rpc.js';
import { AbciQuerier } from './abci.js';
import { PromiseCache } from './cache.js';

export const QUERY_PATHS = Object.freeze({
  sharedParams: '/pocket.shared.Query/Params',
  sharedParamsAtHeight: '/pocket.shared.Query/ParamsAtHeight',
  sessionParams: '/pocket.session.Query/Params',
  getSession: '/pocket.session.Query/GetSession',
  application: '/pocket.application.Query/Application',
  account: '/cosmos.auth.v1beta1.Query/Account',
  balance: '/cosmos.bank.v1beta1.Query/Balance',
  proofParams: '/pocket.proof.Query/Params',
  claim: '/pocket.proof.Query/Claim',
  allClaims: '/pocket.proof.Query/AllClaims',
  relayMiningDifficultyAtHeight: '/pocket.service.Query/RelayMiningDifficultyAtHeight',
  computeUnitsPerRelayAtHeight: '/pocket.service.Query/ComputeUnitsPerRelayAtHeight',
  service: '/pocket.service.Query/Service',
  supplier: '/pocket.supplier.Query/Supplier',
});

const BASE_ACCOUNT_TYPE_URL = '/cosmos.auth.v1beta1.BaseAccount';
const SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';
const PARAMS_AT_HEIGHT_MEMO = 256;
const AT_HEIGHT_MEMO = 4096;
/** The Go miner sticks to the Service fallback for a minute once the node said Unimplemented. */
const CUPR_FALLBACK_MS = 60_000;

export interface AccountInfo {
  readonly address: string;
  /** 33-byte compressed secp256k1 key; undefined until the account has signed a tx. */
  readonly pubKey: Uint8Array | undefined;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
}

export type AllClaimsFilter =
  | { readonly supplierOperatorAddress: string }
  | { readonly sessionId: string }
  | { readonly sessionEndHeight: bigint };

export interface ChainQueryClientOptions {
  /** Overrides the clock used for the compute-units fallback window (tests). */
  readonly now?: () => number;
}

export class ChainQueryClient {
  private readonly abci: AbciQuerier;
  private readonly sessionCaches: PromiseCache<unknown>[] = [];
  private readonly sharedParamsCache = this.sessionCache<pocket.shared.Params>();
  private readonly sessionParamsCache = this.sessionCache<pocket.session.Params>();
  private readonly sessionCacheByStart = this.sessionCache<pocket.session.Session>();
  private readonly applicationCache = this.sessionCache<pocket.application.Application>();
  private readonly accountCache = this.sessionCache<AccountInfo | null>();
  private readonly balanceCache = this.sessionCache<bigint>();
  private readonly proofParamsCache = this.sessionCache<pocket.proof.Params>();
  private readonly serviceCache = this.sessionCache<pocket.shared.Service>();
  private readonly paramsAtHeight = new PromiseCache<pocket.shared.Params>(PARAMS_AT_HEIGHT_MEMO);
  private readonly difficultyAtHeight = new PromiseCache<pocket.service.RelayMiningDifficulty>(AT_HEIGHT_MEMO);
  private readonly cuprAtHeight = new PromiseCache<bigint>(AT_HEIGHT_MEMO);
  private cuprFallbackUntil = 0;
  private lastSessionNumber: bigint | undefined;
  private readonly now: () => number;

  constructor(
    readonly config: ResolvedChainClientConfig,
    readonly rpc: CometRpc = new CometRpc(config.queryRpcUrl, config.queryTimeoutMs),
    options: ChainQueryClientOptions = {},
  ) {
    this.abci = new AbciQuerier(rpc, {
      attempts: config.queryMaxAttempts,
      initialDelayMs: config.queryBackoffInitialMs,
      maxDelayMs: config.queryBackoffMaxMs,
    });
    this.now = options.now ?? Date.now;
  }

  private sessionCache<V>(): PromiseCache<V> {
    const cache = new PromiseCache<V>();
    this.sessionCaches.push(cache as PromiseCache<unknown>);
    return cache;
  }

  /** Checks the node's chain id; call once at startup. Returns the node's latest height. */
  async verifyChainId(): Promise<bigint> {
    const status = await this.rpc.status();
    if (status.nodeInfo.network !== this.config.chainId) throw new ChainIdMismatchError(this.config.chainId, status.nodeInfo.network);
    return BigInt(status.syncInfo.latestBlockHeight);
  }

  /** Empties every session-scoped cache. The at-height memos are history and stay. */
  clearSessionCaches(): void {
    for (const cache of this.sessionCaches) cache.clear();
  }

  /**
   * Feed every committed height (the block watcher does). The first time a new session number shows up
   * the session-scoped caches are emptied, as the Go miner does; params at height stay memoised.
   */
  async onBlock(height: bigint): Promise<void> {
    const number = sessionNumber(await this.sharedParams(), height);
    if (this.lastSessionNumber !== undefined && number !== this.lastSessionNumber) this.clearSessionCaches();
    this.lastSessionNumber = number;
  }

  // ---- shared / session -------------------------------------------------------------------------------

  sharedParams(): Promise<pocket.shared.Params> {
    return this.sharedParamsCache.getOrLoad('', async () => {
      const res = await this.abci.query(QUERY_PATHS.sharedParams, pocket.shared.QueryParamsRequest, {}, pocket.shared.QueryParamsResponse);
      return required(QUERY_PATHS.sharedParams, 'params', res.params);
    });
  }

  /** Params in force at `height` (window timing uses the session end, pricing the session start). ≤ 0 → live params. */
  sharedParamsAtHeight(height: bigint): Promise<pocket.shared.Params> {
    if (height <= 0n) return this.sharedParams();
    return this.paramsAtHeight.getOrLoad(height.toString(), async () => {
      const res = await this.abci.query(
        QUERY_PATHS.sharedParamsAtHeight,
        pocket.shared.QueryParamsAtHeightRequest,
        pocket.shared.QueryParamsAtHeightRequest.fromPartial({ height }),
        pocket.shared.QueryParamsAtHeightResponse,
      );
      return required(QUERY_PATHS.sharedParamsAtHeight, 'params', res.params);
    });
  }

  sessionParams(): Promise<pocket.session.Params> {
    return this.sessionParamsCache.getOrLoad('', async () => {
      const res = await this.abci.query(QUERY_PATHS.sessionParams, pocket.session.QueryParamsRequest, {}, pocket.session.QueryParamsResponse);
      return required(QUERY_PATHS.sessionParams, 'params', res.params);
    });
  }

  /**
   * The session of (app, service) at `blockHeight`. Cached under app/service/sessionStart, where the start
   * comes from live params, or from params at that height when it lies before the live grid's anchor.
   */
  async getSession(applicationAddress: string, serviceId: string, blockHeight: bigint): Promise<pocket.session.Session> {
    const live = await this.sharedParams();
    const grid = blockHeight < live.sessionGridAnchorHeight ? await this.sharedParamsAtHeight(blockHeight) : live;
    const start = sessionStartHeight(grid, blockHeight);
    return this.sessionCacheByStart.getOrLoad(`${applicationAddress}/${serviceId}/${start}`, async () => {
      const res = await this.abci.query(
        QUERY_PATHS.getSession,
        pocket.session.QueryGetSessionRequest,
        pocket.session.QueryGetSessionRequest.fromPartial({ applicationAddress, serviceId, blockHeight }),
        pocket.session.QueryGetSessionResponse,
      );
      const session = required(QUERY_PATHS.getSession, 'session', res.session);
      required(QUERY_PATHS.getSession, 'session.header', session.header);
      return session;
    });
  }

  // ---- application / accounts / bank ------------------------------------------------------------------

  /** Throws NotFoundError when the address is not a staked application. */
  application(address: string): Promise<pocket.application.Application> {
    return this.applicationCache.getOrLoad(address, async () => {
      const res = await this.abci.query(
        QUERY_PATHS.application,
        pocket.application.QueryGetApplicationRequest,
        { address },
        pocket.application.QueryGetApplicationResponse,
      );
      return required(QUERY_PATHS.application, 'application', res.application);
    });
  }

  /**
   * The account's public key, number and sequence; null if the chain has never seen the address.
   * `fresh` bypasses the session cache — signing needs the current sequence, ring keys do not.
   */
  account(address: string, options: { fresh?: boolean } = {}): Promise<AccountInfo | null> {
    const load = async (): Promise<AccountInfo | null> => {
      let res: cosmos.auth.v1beta1.QueryAccountResponse;
      try {
        res = await this.abci.query(QUERY_PATHS.account, cosmos.auth.v1beta1.QueryAccountRequest, { address }, cosmos.auth.v1beta1.QueryAccountResponse);
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
      return decodeAccount(required(QUERY_PATHS.account, 'account', res.account));
    };
    if (options.fresh) {
      const pending = load();
      // keep later cached readers consistent with what signing just saw
      this.accountCache.delete(address);
      return pending;
    }
    return this.accountCache.getOrLoad(address, load);
  }

  /** Balance of `denom` (default upokt) in base units; 0 for an unknown account. */
  balance(address: string, denom = 'upokt', options: { fresh?: boolean } = {}): Promise<bigint> {
    const load = async (): Promise<bigint> => {
      const res = await this.abci.query(QUERY_PATHS.balance, cosmos.bank.v1beta1.QueryBalanceRequest, { address, denom }, cosmos.bank.v1beta1.QueryBalanceResponse);
      const amount = res.balance?.amount ?? '0';
      if (!/^\d+$/.test(amount)) throw new ChainDecodeError(QUERY_PATHS.balance, `balance amount is not an integer: ${JSON.stringify(amount)}`);
      return BigInt(amount);
    };
    if (options.fresh) return load();
    return this.balanceCache.getOrLoad(`${address}/${denom}`, load);
  }

  // ---- proof ------------------------------------------------------------------------------------------

  proofParams(): Promise<pocket.proof.Params> {
    return this.proofParamsCache.getOrLoad('', async () => {
      const res = await this.abci.query(QUERY_PATHS.proofParams, pocket.proof.QueryParamsRequest, {}, pocket.proof.QueryParamsResponse);
      return required(QUERY_PATHS.proofParams, 'params', res.params);
    });
  }

  /**
   * The claim of (session, supplier), or null when there is none. Asked once, without retries, as the
   * Go miner does; not cached, because its proof validation status changes after inclusion.
   */
  async claim(sessionId: string, supplierOperatorAddress: string): Promise<pocket.proof.Claim | null> {
    try {
      const res = await this.abci.query(
        QUERY_PATHS.claim,
        pocket.proof.QueryGetClaimRequest,
        { sessionId, supplierOperatorAddress },
        pocket.proof.QueryGetClaimResponse,
        { once: true },
      );
      return res.claim ?? null;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** Every claim matching the filter, following pagination to the end. */
  async allClaims(filter: AllClaimsFilter, pageLimit = 100n): Promise<pocket.proof.Claim[]> {
    const claims: pocket.proof.Claim[] = [];
    let key: Uint8Array = new Uint8Array();
    for (let page = 0; page < 10_000; page++) {
      const res = await this.abci.query(
        QUERY_PATHS.allClaims,
        pocket.proof.QueryAllClaimsRequest,
        pocket.proof.QueryAllClaimsRequest.fromPartial({ ...filter, pagination: { key, limit: pageLimit } }),
        pocket.proof.QueryAllClaimsResponse,
      );
      claims.push(...res.claims);
      const next = res.pagination?.nextKey;
      if (!next || next.length === 0) return claims;
      key = next;
    }
    throw new ChainDecodeError(QUERY_PATHS.allClaims, 'pagination did not terminate');
  }

  // ---- service ----------------------------------------------------------------------------------------

  /** Difficulty in force for `serviceId` at `blockHeight` (the session start). Memoised per (service, height). */
  relayMiningDifficultyAtHeight(serviceId: string, blockHeight: bigint): Promise<pocket.service.RelayMiningDifficulty> {
    return this.difficultyAtHeight.getOrLoad(`${serviceId}@${blockHeight}`, async () => {
      const res = await this.abci.query(
        QUERY_PATHS.relayMiningDifficultyAtHeight,
        pocket.service.QueryGetRelayMiningDifficultyAtHeightRequest,
        pocket.service.QueryGetRelayMiningDifficultyAtHeightRequest.fromPartial({ serviceId, blockHeight }),
        pocket.service.QueryGetRelayMiningDifficultyAtHeightResponse,
      );
      return required(QUERY_PATHS.relayMiningDifficultyAtHeight, 'relayMiningDifficulty', res.relayMiningDifficulty);
    });
  }

  /**
   * Compute units per relay for `serviceId` at `blockHeight` (the session start). A node older than
   * v0.1.35 lacks the method; then the live `Service.compute_units_per_relay` is used, and the method is
   * not tried again for a minute. Fallback answers are not memoised per height since they are not historical.
   */
  async computeUnitsPerRelayAtHeight(serviceId: string, blockHeight: bigint): Promise<bigint> {
    if (this.now() < this.cuprFallbackUntil) return (await this.service(serviceId)).computeUnitsPerRelay;
    try {
      return await this.cuprAtHeight.getOrLoad(`${serviceId}@${blockHeight}`, async () => {
        const res = await this.abci.query(
          QUERY_PATHS.computeUnitsPerRelayAtHeight,
          pocket.service.QueryComputeUnitsPerRelayAtHeightRequest,
          pocket.service.QueryComputeUnitsPerRelayAtHeightRequest.fromPartial({ serviceId, blockHeight }),
          pocket.service.QueryComputeUnitsPerRelayAtHeightResponse,
        );
        return res.computeUnitsPerRelay;
      });
    } catch (error) {
      if (!(error instanceof UnimplementedQueryError)) throw error;
      this.cuprFallbackUntil = this.now() + CUPR_FALLBACK_MS;
      return (await this.service(serviceId)).computeUnitsPerRelay;
    }
  }

  service(id: string): Promise<pocket.shared.Service> {
    return this.serviceCache.getOrLoad(id, async () => {
      const res = await this.abci.query(
        QUERY_PATHS.service,
        pocket.service.QueryGetServiceRequest,
        pocket.service.QueryGetServiceRequest.fromPartial({ id }),
        pocket.service.QueryGetServiceResponse,
      );
      return required(QUERY_PATHS.service, 'service', res.service);
    });
  }

  // ---- supplier ---------------------------------------------------------------------------------------

  /** Startup only (staked services); not cached. */
  async supplier(operatorAddress: string): Promise<pocket.shared.Supplier> {
    const res = await this.abci.query(
      QUERY_PATHS.supplier,
      pocket.supplier.QueryGetSupplierRequest,
      pocket.supplier.QueryGetSupplierRequest.fromPartial({ operatorAddress }),
      pocket.supplier.QueryGetSupplierResponse,
    );
    return required(QUERY_PATHS.supplier, 'supplier', res.supplier);
  }

  /** Raw access for methods not wrapped above (same retries and error classes). */
  rawQuery(path: string, request: Uint8Array): Promise<Uint8Array> {
    return this.abci.raw(path, request);
  }

  close(): void {
    this.rpc.disconnect();
  }
}

function required<T>(path: string, field: string, value: T | undefined | null): T {
  if (value === undefined || value === null) throw new ChainDecodeError(path, `response has no ${field}`);
  return value;
}

/** BaseAccount from the Any the auth module returns. Module and vesting accounts never sign claims. */
export function decodeAccount(any: { typeUrl: string; value: Uint8Array }): AccountInfo {
  if (any.typeUrl !== BASE_ACCOUNT_TYPE_URL) {
    throw new ChainDecodeError(QUERY_PATHS.account, `unsupported account type ${JSON.stringify(any.typeUrl)}`);
  }
  const account = cosmos.auth.v1beta1.BaseAccount.unmarshal(any.value);
  let pubKey: Uint8Array | undefined;
  if (account.pubKey && account.pubKey.value.length > 0) {
    if (account.pubKey.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
      throw new ChainDecodeError(QUERY_PATHS.account, `unsupported public key type ${JSON.stringify(account.pubKey.typeUrl)}`);
    }
    pubKey = cosmos.crypto.secp256k1.PubKey.unmarshal(account.pubKey.value).key;
  }
  return { address: account.address, pubKey, accountNumber: account.accountNumber, sequence: account.sequence };
}
