/**
 * Application rings as 33-byte public keys, built once per (application, session end) from the
 * chain (protocol.md §2.1): the app and its gateways from `Application` at the latest height, public
 * keys from the auth accounts, the placeholder key standing in for absent gateways. An account
 * without a public key makes the ring unusable, as in Go.
 */
import {
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  fromHex,
  ringAddressesForSession,
  sessionEndHeight,
  sessionGracePeriodEndHeight,
  type pocket,
} from '@relayminer/protocol';

export interface RingQueries {
  sharedParams(): Promise<pocket.shared.Params>;
  application(address: string): Promise<pocket.application.Application>;
  account(address: string): Promise<{ readonly pubKey: Uint8Array | undefined } | null>;
}

/** A ring could not be built; the message names the account, never a key. */
export class RingUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RingUnavailableError';
  }
}

interface Entry {
  ring: Promise<readonly Uint8Array[]>;
  /** Dropped once the chain is past this height (the session's grace period, live params). */
  keepUntil: bigint;
}

const PLACEHOLDER_KEY = fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX);

export class RingCache {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly queries: RingQueries) {}

  get size(): number {
    return this.#entries.size;
  }

  ringFor(applicationAddress: string, sessionEnd: bigint): Promise<readonly Uint8Array[]> {
    const key = `${applicationAddress}/${sessionEnd}`;
    const cached = this.#entries.get(key);
    if (cached) return cached.ring;
    const entry: Entry = { ring: Promise.resolve([]), keepUntil: sessionEnd };
    entry.ring = this.#build(applicationAddress, sessionEnd, entry);
    // a failure is not an answer worth keeping: the next relay asks again
    entry.ring.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#entries.set(key, entry);
    return entry.ring;
  }

  /** Forgets rings of sessions whose grace period ended before `currentHeight`. */
  prune(currentHeight: bigint): void {
    for (const [key, entry] of this.#entries) if (currentHeight > entry.keepUntil) this.#entries.delete(key);
  }

  async #build(applicationAddress: string, sessionEnd: bigint, entry: Entry): Promise<readonly Uint8Array[]> {
    const live = await this.queries.sharedParams();
    entry.keepUntil = sessionGracePeriodEndHeight(live, sessionEnd);
    const app = await this.queries.application(applicationAddress);
    const addresses = ringAddressesForSession(app, sessionEnd, sessionEndHeight(live, sessionEnd));
    return Promise.all(
      addresses.map(async (address) => {
        if (address === RING_PLACEHOLDER_ADDRESS) return PLACEHOLDER_KEY;
        const account = await this.queries.account(address);
        if (!account) throw new RingUnavailableError(`ring member ${address} is not an account on chain`);
        if (!account.pubKey) throw new RingUnavailableError(`ring member ${address} has no public key on chain`);
        return account.pubKey;
      }),
    );
  }
}
