/**
 * The Go relay miner's per-session rate limit (protocol.md §7): each session gets a budget of
 * floor(floor(app stake / suppliers per session) / pending sessions) uPOKT, and each relay costs
 * floor(cupr × CUTTM / granularity) at the session start. Charges are optimistic (taken before the
 * relay is served, given back if it ends up not rewardable). Metering fails open: when the chain
 * cannot tell us the numbers, the relay is served unmetered rather than refused.
 */
import {
  claimWindowOpenHeight,
  meterRelay,
  refundRelay,
  relayCostUpokt,
  relayMeterMaxUpokt,
  type RelayMeterState,
  type RelayRequest,
  type SessionHeader,
  type pocket,
} from '@relayminer/protocol';
import type { ChainClient } from '@relayminer/chain';
import type { MeterOutcome, RelayMeter } from '../types.js';

/** The queries metering needs; `ChainQueryClient` provides them. */
export interface RelayMeterQueries {
  application(address: string): Promise<pocket.application.Application>;
  sharedParamsAtHeight(height: bigint): Promise<pocket.shared.Params>;
  sessionParams(): Promise<pocket.session.Params>;
  computeUnitsPerRelayAtHeight(serviceId: string, blockHeight: bigint): Promise<bigint>;
}

export interface ChainRelayMeterOptions {
  queries: RelayMeterQueries;
  /** Latest committed height; undefined before the first block was seen. */
  currentHeight: () => bigint | undefined;
  /** Told why a relay went unmetered (query failure, app with ≠ 1 service). Must not throw. */
  onUnmetered?: (reason: string, header: SessionHeader | undefined) => void;
}

/** A session's meter as seen from outside (metrics, tests). */
export interface SessionMeterSnapshot {
  readonly maxUpokt: bigint;
  readonly consumedUpokt: bigint;
  readonly relayCostUpokt: bigint;
  readonly claimWindowOpenHeight: bigint;
  readonly overServicedRelays: number;
}

interface SessionMeter {
  state: RelayMeterState;
  readonly relayCost: bigint;
  readonly claimWindowOpen: bigint;
  overServiced: number;
  /** Charges not refunded yet: a refund can never give back more than was taken. */
  outstanding: number;
}

/** Thrown inside loading when the relay cannot be metered by rule (not by failure). */
class NotMeterable extends Error {}

export class ChainRelayMeter implements RelayMeter {
  readonly #queries: RelayMeterQueries;
  readonly #currentHeight: () => bigint | undefined;
  readonly #onUnmetered: (reason: string, header: SessionHeader | undefined) => void;
  readonly #meters = new Map<string, SessionMeter>();
  /** One load per session, however many relays of it arrive while it runs. */
  readonly #loading = new Map<string, Promise<SessionMeter>>();
  #prunedAt = -1n;

  constructor(options: ChainRelayMeterOptions) {
    this.#queries = options.queries;
    this.#currentHeight = options.currentHeight;
    this.#onUnmetered = options.onUnmetered ?? (() => {});
  }

  static fromChainClient(chain: ChainClient, onUnmetered?: ChainRelayMeterOptions['onUnmetered']): ChainRelayMeter {
    return new ChainRelayMeter({ queries: chain.query, currentHeight: () => chain.blocks.height, onUnmetered });
  }

  async charge(request: RelayRequest): Promise<MeterOutcome> {
    const header = request?.meta?.sessionHeader;
    if (!header || header.sessionId === '') return this.#unmetered('request has no session header', header);
    const current = this.#currentHeight();
    if (current !== undefined) this.#prune(current);

    let meter = this.#meters.get(header.sessionId);
    if (meter === undefined) {
      try {
        meter = await this.#load(header);
      } catch (error) {
        return this.#unmetered(error instanceof Error ? error.message : String(error), header);
      }
    }
    const outcome = meterRelay(meter.state, meter.relayCost);
    if (outcome.overServicing) {
      meter.overServiced++;
      return 'over_serviced';
    }
    meter.state = { maxUpokt: meter.state.maxUpokt, consumedUpokt: outcome.consumedUpokt };
    meter.outstanding++;
    return 'ok';
  }

  refund(request: RelayRequest): void {
    const id = request?.meta?.sessionHeader?.sessionId;
    const meter = id === undefined ? undefined : this.#meters.get(id);
    if (meter === undefined || meter.outstanding === 0) return;
    meter.state = refundRelay(meter.state, meter.relayCost);
    meter.outstanding--;
  }

  snapshot(sessionId: string): SessionMeterSnapshot | undefined {
    const m = this.#meters.get(sessionId);
    if (m === undefined) return undefined;
    return {
      maxUpokt: m.state.maxUpokt,
      consumedUpokt: m.state.consumedUpokt,
      relayCostUpokt: m.relayCost,
      claimWindowOpenHeight: m.claimWindowOpen,
      overServicedRelays: m.overServiced,
    };
  }

  get size(): number {
    return this.#meters.size;
  }

  /** Drops meters of sessions whose claim window has opened: their relays can no longer be claimed. */
  prune(currentHeight: bigint): void {
    for (const [id, m] of this.#meters) if (currentHeight >= m.claimWindowOpen) this.#meters.delete(id);
  }

  #prune(current: bigint): void {
    if (current === this.#prunedAt) return;
    this.#prunedAt = current;
    this.prune(current);
  }

  #unmetered(reason: string, header: SessionHeader | undefined): MeterOutcome {
    try {
      this.#onUnmetered(reason, header);
    } catch {
      // a logging hook must not turn fail-open into failure
    }
    return 'unmetered';
  }

  #load(header: SessionHeader): Promise<SessionMeter> {
    const id = header.sessionId;
    let loading = this.#loading.get(id);
    if (loading === undefined) {
      loading = this.#build(header).then(
        (meter) => {
          this.#loading.delete(id);
          // a relay that raced us may have created it already; keep the one with charges
          const existing = this.#meters.get(id);
          if (existing) return existing;
          this.#meters.set(id, meter);
          return meter;
        },
        (error: unknown) => {
          this.#loading.delete(id);
          throw error;
        },
      );
      this.#loading.set(id, loading);
    }
    return loading;
  }

  async #build(header: SessionHeader): Promise<SessionMeter> {
    const start = header.sessionStartBlockHeight;
    const end = header.sessionEndBlockHeight;
    const [app, endParams, startParams, sessionParams, cupr] = await Promise.all([
      this.#queries.application(header.applicationAddress),
      this.#queries.sharedParamsAtHeight(end),
      this.#queries.sharedParamsAtHeight(start),
      this.#queries.sessionParams(),
      this.#queries.computeUnitsPerRelayAtHeight(header.serviceId, start),
    ]);
    if (app.serviceConfigs.length !== 1) {
      throw new NotMeterable(`application ${app.address} has ${app.serviceConfigs.length} service configs, metering needs exactly 1`);
    }
    const stake = app.stake?.amount ? BigInt(app.stake.amount) : 0n;
    return {
      state: { maxUpokt: relayMeterMaxUpokt(stake, sessionParams.numSuppliersPerSession, endParams), consumedUpokt: 0n },
      relayCost: relayCostUpokt(cupr, startParams),
      claimWindowOpen: claimWindowOpenHeight(endParams, end),
      overServiced: 0,
      outstanding: 0,
    };
  }
}
