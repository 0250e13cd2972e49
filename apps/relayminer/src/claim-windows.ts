/**
 * `rewardable(header)` for the relay servers (protocol.md §4.4): a relay can still be rewarded while
 * the chain is below its session's claim window open height. The servers ask synchronously on every
 * relay, so the open height is computed once per session end height, from the shared params in
 * effect at that height, and kept. Until it is known the answer is "yes": the sessions manager refuses
 * relays of sessions whose claim window opened, so a wrong yes costs one refused insert, never a claim.
 */
import { claimWindowOpenHeight, type SessionHeader } from '@relayminer/protocol';
import type { ChainQueryClient } from '@relayminer/chain';

export class ClaimWindows {
  /** Claim window open height by session end height (a past height's params never change). */
  private readonly openAt = new Map<bigint, bigint>();
  private readonly loading = new Set<bigint>();

  constructor(
    private readonly query: Pick<ChainQueryClient, 'sharedParamsAtHeight'>,
    private readonly currentHeight: () => bigint | undefined,
    private readonly maxEntries = 256,
  ) {}

  readonly rewardable = (header: SessionHeader): boolean => {
    const current = this.currentHeight();
    const end = header.sessionEndBlockHeight;
    if (current === undefined) return true;
    const open = this.openAt.get(end);
    if (open !== undefined) return current < open;
    this.load(end);
    return true;
  };

  /** Resolves the claim window open height of a session end height (and keeps it). */
  async claimWindowOpen(sessionEndHeight: bigint): Promise<bigint> {
    const known = this.openAt.get(sessionEndHeight);
    if (known !== undefined) return known;
    const params = await this.query.sharedParamsAtHeight(sessionEndHeight);
    const open = claimWindowOpenHeight(params, sessionEndHeight);
    this.openAt.set(sessionEndHeight, open);
    // oldest end heights first out: relays of sessions that old are not rewardable anyway
    while (this.openAt.size > this.maxEntries) this.openAt.delete(this.openAt.keys().next().value!);
    return open;
  }

  private load(end: bigint): void {
    if (this.loading.has(end)) return;
    this.loading.add(end);
    this.claimWindowOpen(end)
      .catch(() => {
        // not kept: the next relay of this session asks again
      })
      .finally(() => this.loading.delete(end));
  }
}
