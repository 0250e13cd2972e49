/**
 * Mining a batch of served relays, without side effects: serialize each relay as protocol.md §5.1
 * says, hash them all in one call, compare each hash with its session's target. The verdicts come
 * back in input order, so the caller can count them and emit the mined ones.
 */
import { isRelayMinable, minedRelayBytes, relayHash, relayHashBatch, type SessionHeader } from '@relayminer/protocol';
import type { ServedRelay } from '@relayminer/proxy';
import { InvalidRelayError, MinerError, MiningLookupError } from './errors.js';
import type { MiningParams } from './mining-params.js';
import { relayRequestProblem, relayResponseProblem } from './validate-relay.js';

/** A relay worth a leaf in its session's SMST (protocol.md §5.3). */
export interface MinedRelay {
  /** Canonical `Relay{req, res}` with the response payload removed: the leaf value. */
  readonly relayBytes: Uint8Array;
  /** sha256(relayBytes), strictly below the service's target at the session start. */
  readonly relayHash: Uint8Array;
  /** The SMST key, which is the relay hash (the tree hashes it again for the path). */
  readonly smstKey: Uint8Array;
  /** compute_units_per_relay of the service at the session start: the leaf weight. */
  readonly weight: bigint;
  readonly sessionHeader: SessionHeader;
  readonly supplierOperatorAddress: string;
  readonly serviceId: string;
  /**
   * The served relay's settle hook, passed on: whoever persists the relay calls it once the relay is
   * durable (or with the error that kept it from being kept).
   */
  readonly onSettled?: (error?: Error) => void;
}

export type DropReason = 'invalid_request' | 'invalid_response' | 'lookup_failed' | 'encode_failed';
export const DROP_REASONS: readonly DropReason[] = ['invalid_request', 'invalid_response', 'lookup_failed', 'encode_failed'];

export type RelayVerdict =
  | { readonly kind: 'mined'; readonly relay: MinedRelay }
  | { readonly kind: 'not_minable'; readonly relayHash: Uint8Array }
  | { readonly kind: 'dropped'; readonly reason: DropReason; readonly error: MinerError };

/** The parameters of a session, or why they are unknown. */
export type MiningParamsLookup = (serviceId: string, sessionStartHeight: bigint) => MiningParams | MiningLookupError;

/** Why the chain would refuse this relay in a proof, or undefined when it passes ValidateBasic. */
export function servedRelayProblem(served: ServedRelay): InvalidRelayError | undefined {
  return relayRequestProblem(served.request) ?? relayResponseProblem(served.response);
}

/**
 * `problems[i]` is servedRelayProblem(relays[i]); callers that already validated pass it in.
 * Difficulty and weight are those of the request's session header (as the Go miner reads them).
 */
export function mineBatch(
  relays: readonly ServedRelay[],
  paramsOf: MiningParamsLookup,
  problems: readonly (InvalidRelayError | undefined)[] = relays.map(servedRelayProblem),
): RelayVerdict[] {
  const verdicts: (RelayVerdict | undefined)[] = new Array(relays.length);
  const pending: { index: number; bytes: Uint8Array; params: MiningParams; header: SessionHeader }[] = [];

  for (let i = 0; i < relays.length; i++) {
    const served = relays[i]!;
    const problem = problems[i];
    if (problem !== undefined) {
      verdicts[i] = { kind: 'dropped', reason: problem.part === 'request' ? 'invalid_request' : 'invalid_response', error: problem };
      continue;
    }
    const header = served.request.meta!.sessionHeader!;
    const params = paramsOf(header.serviceId, header.sessionStartBlockHeight);
    if (params instanceof MiningLookupError) {
      verdicts[i] = { kind: 'dropped', reason: 'lookup_failed', error: params };
      continue;
    }
    try {
      pending.push({ index: i, bytes: minedRelayBytes(served.request, served.response), params, header });
    } catch (err) {
      const error = new MinerError('encode_failed', err instanceof Error ? err.message : 'relay does not encode', { cause: err });
      verdicts[i] = { kind: 'dropped', reason: 'encode_failed', error };
    }
  }

  // One relay: OpenSSL's one-shot hash is faster than a WASM call (see relayHash).
  const hashes = pending.length === 1 ? [relayHash(pending[0]!.bytes)] : relayHashBatch(pending.map((p) => p.bytes));
  for (let j = 0; j < pending.length; j++) {
    const { index, bytes, params, header } = pending[j]!;
    const hash = hashes[j]!;
    if (!isRelayMinable(hash, params.targetHash)) {
      verdicts[index] = { kind: 'not_minable', relayHash: hash };
      continue;
    }
    // The batch hashes share one buffer; a leaf keeps its own 32 bytes, not the whole batch.
    const key = hash.slice();
    verdicts[index] = {
      kind: 'mined',
      relay: {
        relayBytes: bytes,
        relayHash: key,
        smstKey: key,
        weight: params.computeUnitsPerRelay,
        sessionHeader: header,
        supplierOperatorAddress: relays[index]!.supplierOperatorAddress,
        serviceId: header.serviceId,
      },
    };
  }
  return verdicts as RelayVerdict[];
}
