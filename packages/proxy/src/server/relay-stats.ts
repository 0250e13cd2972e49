/** Counters of what the relay servers did, for metrics and tests. */

/** Why a relay that was answered did not reach the served-relay stream. */
export type DropReason =
  /** Over the app's budget, served because over-servicing is enabled (never mined). */
  | 'over_serviced'
  /** Backend answered with status ≥ 500. */
  | 'backend_error'
  /** The session's claim window is already open (§4.4). */
  | 'not_rewardable'
  /** Lazy validation failed after the reply was sent. */
  | 'validation_failed'
  /** The served-relay buffer was full. */
  | 'buffer_full';

export interface RelayServerStats {
  /** Relays answered with a signed response. */
  readonly served: number;
  /** Relays that reached the served-relay buffer. */
  readonly emitted: number;
  /** Replies sent after waiting the whole request deadline for the relay to be stored (`replyAfterPersist`). */
  readonly persistTimeouts: number;
  /** Error replies by `codespace:code`. */
  readonly rejected: Readonly<Record<string, number>>;
  readonly dropped: Readonly<Record<DropReason, number>>;
}

export class RelayCounters {
  served = 0;
  emitted = 0;
  persistTimeouts = 0;
  private readonly rejected = new Map<string, number>();
  private readonly dropped: Record<DropReason, number> = {
    over_serviced: 0,
    backend_error: 0,
    not_rewardable: 0,
    validation_failed: 0,
    buffer_full: 0,
  };

  reject(key: string): void {
    this.rejected.set(key, (this.rejected.get(key) ?? 0) + 1);
  }

  drop(reason: DropReason): void {
    this.dropped[reason]++;
  }

  snapshot(): RelayServerStats {
    return { served: this.served, emitted: this.emitted, persistTimeouts: this.persistTimeouts, rejected: Object.fromEntries(this.rejected), dropped: { ...this.dropped } };
  }
}
