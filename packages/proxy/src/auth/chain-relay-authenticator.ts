/**
 * Relay request authentication against the chain, in the Go relay miner's order (protocol.md §2.4):
 * timing and grace period, ring signature, session, header equality, supplier. The order matters to
 * clients because it decides which error a doubly-wrong request gets.
 */
import {
  RingSignatureError,
  RingVerifier,
  decodeRingSignature,
  isSessionGracePeriodElapsed,
  relayRequestSignableHash,
  type RelayRequest,
  type SessionHeader,
  type pocket,
} from '@relayminer/protocol';
import type { ChainClient } from '@relayminer/chain';
import type { AuthenticatedRelay, RelayAuthenticator, SupplierKeyRing } from '../types.js';
import { relayError } from './relay-errors.js';
import { relayErrorFromChainFailure } from './chain-failure.js';
import { RingCache, type RingQueries } from './ring-cache.js';
import { KnownSessions } from './known-sessions.js';
import { sessionHeaderProblem } from './validate-basic.js';
import { inProcessRingVerifier, type AsyncRingVerifier } from './ring-verify-workers.js';

/** The queries authentication needs; `ChainQueryClient` provides them. */
export interface RelayAuthQueries extends RingQueries {
  sharedParamsAtHeight(height: bigint): Promise<pocket.shared.Params>;
  getSession(applicationAddress: string, serviceId: string, blockHeight: bigint): Promise<pocket.session.Session>;
}

export interface ChainRelayAuthenticatorOptions {
  queries: RelayAuthQueries;
  /** Latest committed height; undefined before the first block was seen. */
  currentHeight: () => bigint | undefined;
  /** Our operator addresses. */
  keyRing: Pick<SupplierKeyRing, 'operatorAddresses'>;
  /** Shared with other users of the process's hot ring keys; a new one by default. */
  verifier?: RingVerifier;
  /** Where ring signatures are checked, e.g. createRingVerifyWorkers(); in-process with `verifier` by default. */
  ringVerifier?: AsyncRingVerifier;
}

const HEADER_FIELDS = [
  ['applicationAddress', 'application address'],
  ['serviceId', 'service id'],
  ['sessionStartBlockHeight', 'session start height'],
  ['sessionEndBlockHeight', 'session end height'],
  ['sessionId', 'session id'],
] as const satisfies readonly (readonly [keyof SessionHeader, string])[];

export class ChainRelayAuthenticator implements RelayAuthenticator {
  readonly #queries: RelayAuthQueries;
  readonly #currentHeight: () => bigint | undefined;
  readonly #operators: ReadonlySet<string>;
  readonly #verifier: AsyncRingVerifier;
  readonly #rings: RingCache;
  readonly #known = new KnownSessions();
  #prunedAt = -1n;

  constructor(options: ChainRelayAuthenticatorOptions) {
    this.#queries = options.queries;
    this.#currentHeight = options.currentHeight;
    this.#operators = new Set(options.keyRing.operatorAddresses);
    this.#verifier = options.ringVerifier ?? inProcessRingVerifier(options.verifier ?? new RingVerifier());
    this.#rings = new RingCache(options.queries);
  }

  /** Over a connected ChainClient: its queries and its block watcher's latest height. */
  static fromChainClient(
    chain: ChainClient,
    keyRing: Pick<SupplierKeyRing, 'operatorAddresses'>,
    verifier?: RingVerifier | AsyncRingVerifier,
  ): ChainRelayAuthenticator {
    const ringVerifier = verifier instanceof RingVerifier ? { verifier } : { ringVerifier: verifier };
    return new ChainRelayAuthenticator({ queries: chain.query, currentHeight: () => chain.blocks.height, keyRing, ...ringVerifier });
  }

  isKnownSession(sessionId: string): boolean {
    return this.#known.has(sessionId, this.#currentHeight());
  }

  /** Sizes of the caches, for metrics and tests. */
  get cacheSizes(): { rings: number; knownSessions: number } {
    return { rings: this.#rings.size, knownSessions: this.#known.size };
  }

  async authenticate(request: RelayRequest): Promise<AuthenticatedRelay> {
    const current = this.#currentHeight();
    if (current === undefined) throw relayError('internal', 'no block height known yet');
    this.#prune(current);

    const meta = request?.meta;
    const header = meta?.sessionHeader;
    const sessionEnd = header?.sessionEndBlockHeight ?? 0n;

    const queryHeight = await this.#sessionQueryHeight(sessionEnd, current);
    await this.#verifyRingSignature(request, header);
    const h = header!;

    let session: pocket.session.Session;
    try {
      session = await this.#queries.getSession(h.applicationAddress, h.serviceId, queryHeight);
    } catch (error) {
      throw relayErrorFromChainFailure(error, `getting session at height ${queryHeight}`);
    }
    if (session.sessionId !== h.sessionId) {
      throw relayError('invalidSession', `session mismatch, expecting: ${session.sessionId}, got: ${h.sessionId}`);
    }
    const onChain = session.header;
    for (const [field, name] of HEADER_FIELDS) {
      if (onChain?.[field] !== h[field]) {
        throw relayError('invalidSession', `session header ${name} mismatch, expecting: ${String(onChain?.[field])}, got: ${String(h[field])}`);
      }
    }

    const supplier = meta!.supplierOperatorAddress;
    if (!supplier) throw relayError('missingSupplierAddress', 'relay request names no supplier operator');
    // Go's server refuses a foreign supplier before authentication; same error if the server did not
    if (!this.#operators.has(supplier)) throw relayError('supplierNotReachable', `supplier ${supplier} is not served by this relay miner`);
    if (!session.suppliers.some((s) => s.operatorAddress === supplier)) {
      throw relayError('supplierNotInSession', `supplier ${supplier} is not in session ${session.sessionId}`);
    }

    this.#known.add(session.sessionId, sessionEnd);
    return { session, queryHeight };
  }

  /** Step 1: reject expired sessions; a session in its grace period is looked up at its end height. */
  async #sessionQueryHeight(sessionEnd: bigint, current: bigint): Promise<bigint> {
    if (sessionEnd >= current) return current;
    let params: pocket.shared.Params;
    try {
      params = await this.#queries.sharedParamsAtHeight(sessionEnd);
    } catch (error) {
      throw relayErrorFromChainFailure(error, `getting shared params at height ${sessionEnd}`);
    }
    let elapsed: boolean;
    try {
      elapsed = isSessionGracePeriodElapsed(params, sessionEnd, current);
    } catch {
      elapsed = true; // heights no session can have
    }
    if (elapsed) throw relayError('invalidSession', `session expired, expecting: ${sessionEnd}, got: ${current}`);
    return sessionEnd;
  }

  /** Step 2: the app's ring at the session end must contain every signer key, and the bLSAG must hold. */
  async #verifyRingSignature(request: RelayRequest, header: SessionHeader | undefined): Promise<void> {
    const problem = sessionHeaderProblem(header);
    if (problem !== undefined) throw relayError('ringInvalidRequest', `invalid session header: ${problem}`);
    const signature = request.meta!.signature;
    if (!signature || signature.length === 0) throw relayError('ringInvalidRequest', 'missing signature from relay request');

    let ring: readonly Uint8Array[];
    try {
      ring = await this.#rings.ringFor(header!.applicationAddress, header!.sessionEndBlockHeight);
    } catch (error) {
      // Go decodes the signature before fetching the ring; only look when the answer depends on it
      const decoded = decodeRingSignature(signature);
      if (decoded instanceof RingSignatureError) throw relayError('ringInvalidSignature', `error deserializing ring signature: ${decoded.message}`);
      const reason = error instanceof Error ? error.message : String(error);
      throw relayError('ringInvalidRequest', `error getting ring for application address ${header!.applicationAddress}: ${reason}`);
    }

    let hash: Uint8Array;
    try {
      hash = relayRequestSignableHash(request);
    } catch (error) {
      throw relayError('ringInvalidRequest', `error getting signable bytes: ${(error as Error).message}`);
    }
    const verdict = await this.#verifier.verifyRelay(hash, signature, ring);
    if (verdict.ok) return;
    switch (verdict.reason) {
      case 'undecodable':
        throw relayError('ringInvalidSignature', `error deserializing ring signature: ${verdict.message}`);
      case 'member_not_in_ring':
        throw relayError('ringInvalidSignature', `ring signature does not match the application's ring: ${verdict.message}`);
      default:
        throw relayError('ringInvalidSignature', 'invalid ring signature');
    }
  }

  #prune(current: bigint): void {
    if (current === this.#prunedAt) return;
    this.#prunedAt = current;
    this.#rings.prune(current);
    this.#known.prune(current);
  }
}
