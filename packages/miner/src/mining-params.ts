/**
 * Difficulty target and compute units per relay of a (service, session start height), looked up once
 * and then read synchronously: a batch whose sessions are all known never waits on a promise.
 */
import { MiningLookupError } from './errors.js';

/** What mining a relay needs to know about its session (protocol.md §5.2–§5.3). */
export interface MiningParams {
  /** 32 bytes; a relay is mined iff its hash is strictly below it. */
  readonly targetHash: Uint8Array;
  /** `compute_units_per_relay` at the session start: the SMST leaf weight. */
  readonly computeUnitsPerRelay: bigint;
}

/** Where the parameters come from, usually the chain at the session start height. */
export interface MiningParamsSource {
  difficultyAt(serviceId: string, sessionStartHeight: bigint): Promise<Uint8Array> | Uint8Array;
  computeUnitsPerRelayAt(serviceId: string, sessionStartHeight: bigint): Promise<bigint> | bigint;
}

/**
 * The subset of `@relayminer/chain`'s ChainQueryClient the miner uses, typed structurally so the
 * chain package stays a development dependency.
 */
export interface MiningQueryClient {
  relayMiningDifficultyAtHeight(serviceId: string, blockHeight: bigint): Promise<{ targetHash: Uint8Array }>;
  computeUnitsPerRelayAtHeight(serviceId: string, blockHeight: bigint): Promise<bigint>;
}

export function miningParamsFromChain(query: MiningQueryClient): MiningParamsSource {
  return {
    difficultyAt: async (serviceId, height) => (await query.relayMiningDifficultyAtHeight(serviceId, height)).targetHash,
    computeUnitsPerRelayAt: (serviceId, height) => query.computeUnitsPerRelayAtHeight(serviceId, height),
  };
}

export const miningParamsKey = (serviceId: string, sessionStartHeight: bigint): string => `${serviceId}@${sessionStartHeight}`;

type Entry = { readonly value: MiningParams } | { readonly pending: Promise<MiningParams> };

/**
 * Past heights never change their answer, so resolved entries live until evicted by size. Failures
 * are not kept: the next relay of that session asks again.
 */
export class MiningParamsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: MiningParamsSource,
    private readonly maxEntries = 1024,
  ) {}

  /** The parameters if already resolved; never starts a lookup. */
  peek(serviceId: string, sessionStartHeight: bigint): MiningParams | undefined {
    const entry = this.entries.get(miningParamsKey(serviceId, sessionStartHeight));
    return entry !== undefined && 'value' in entry ? entry.value : undefined;
  }

  /** Resolves the parameters, sharing a lookup already in flight; rejects with MiningLookupError. */
  load(serviceId: string, sessionStartHeight: bigint): Promise<MiningParams> {
    const key = miningParamsKey(serviceId, sessionStartHeight);
    const entry = this.entries.get(key);
    if (entry !== undefined) return 'value' in entry ? Promise.resolve(entry.value) : entry.pending;
    const pending = this.fetch(serviceId, sessionStartHeight).then(
      (value) => {
        this.set(key, { value });
        return value;
      },
      (err: unknown) => {
        this.entries.delete(key);
        throw err;
      },
    );
    this.set(key, { pending });
    return pending;
  }

  private set(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  private async fetch(serviceId: string, height: bigint): Promise<MiningParams> {
    let targetHash: Uint8Array;
    let computeUnitsPerRelay: bigint;
    try {
      [targetHash, computeUnitsPerRelay] = await Promise.all([
        this.source.difficultyAt(serviceId, height),
        this.source.computeUnitsPerRelayAt(serviceId, height),
      ]);
    } catch (err) {
      throw new MiningLookupError(serviceId, height, err instanceof Error ? err.message : 'lookup failed', { cause: err });
    }
    // isRelayMinable would throw on a malformed target; refuse it here, where it is a lookup problem.
    if (!(targetHash instanceof Uint8Array) || targetHash.length !== 32) {
      throw new MiningLookupError(serviceId, height, 'difficulty target is not 32 bytes');
    }
    if (typeof computeUnitsPerRelay !== 'bigint' || computeUnitsPerRelay < 1n) {
      throw new MiningLookupError(serviceId, height, 'compute units per relay must be a positive bigint');
    }
    return { targetHash, computeUnitsPerRelay };
  }
}
