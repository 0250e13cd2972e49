/**
 * What a gateway must know to send a relay, read from the chain and kept per session: the session
 * header, its suppliers, the application's ring as public keys, and each supplier's public key.
 * Everything here is fixed for a session, so it is read once per session, not once per relay.
 */
import type { ChainClient } from '@relayminer/chain';
import type { SessionHeader } from '@relayminer/protocol';
import { RingCache } from '@relayminer/proxy';

export interface ClientSession {
  header: SessionHeader;
  /** Supplier operator addresses of the session, in the chain's order. */
  suppliers: string[];
  /** The app's ring at the session end (33-byte keys), the order the chain builds it in. */
  ring: readonly Uint8Array[];
}

export class SessionLookupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionLookupError';
  }
}

export class SessionView {
  private current?: ClientSession;
  private loading?: { height: bigint; promise: Promise<ClientSession> };
  private readonly supplierKeys = new Map<string, Promise<Uint8Array>>();
  /** The relay miner's own ring builder: the client signs over exactly the ring the verifier will rebuild. */
  private readonly rings: RingCache;

  constructor(
    private readonly chain: ChainClient,
    private readonly appAddress: string,
    private readonly serviceId: string,
  ) {
    this.rings = new RingCache(chain.query);
  }

  /** The session in effect at the chain's latest height; re-read once that height passes its end. */
  async at(height: bigint): Promise<ClientSession> {
    const cached = this.current;
    if (cached && covers(cached, height)) return cached;
    // concurrent workers crossing a session boundary share one read
    if (!this.loading || this.loading.height < height) {
      const load = this.load(height).finally(() => {
        if (this.loading?.promise === load) this.loading = undefined;
      });
      this.loading = { height, promise: load };
    }
    return this.loading.promise;
  }

  /** The supplier's public key from its auth account (fixed once the account has signed anything). */
  supplierPublicKey(address: string): Promise<Uint8Array> {
    let key = this.supplierKeys.get(address);
    if (!key) {
      key = this.chain.query.account(address).then((account) => {
        if (!account?.pubKey) throw new SessionLookupError(`supplier ${address} has no public key on chain`);
        return account.pubKey;
      });
      key.catch(() => this.supplierKeys.delete(address));
      this.supplierKeys.set(address, key);
    }
    return key;
  }

  private async load(height: bigint): Promise<ClientSession> {
    let session;
    try {
      session = await this.chain.query.getSession(this.appAddress, this.serviceId, height);
    } catch (error) {
      throw new SessionLookupError(`no session for application ${this.appAddress} and service ${this.serviceId} at height ${height}`, { cause: error });
    }
    const header = session.header;
    if (!header) throw new SessionLookupError(`session at height ${height} has no header`);
    this.rings.prune(height);
    let ring: readonly Uint8Array[];
    try {
      ring = await this.rings.ringFor(header.applicationAddress, header.sessionEndBlockHeight);
    } catch (error) {
      throw new SessionLookupError(`the ring of application ${header.applicationAddress} is unavailable: ${(error as Error).message}`, { cause: error });
    }
    const loaded: ClientSession = { header, suppliers: session.suppliers.map((s) => s.operatorAddress), ring };
    if (!this.current || loaded.header.sessionEndBlockHeight >= this.current.header.sessionEndBlockHeight) this.current = loaded;
    return loaded;
  }
}

function covers(session: ClientSession, height: bigint): boolean {
  return height >= session.header.sessionStartBlockHeight && height <= session.header.sessionEndBlockHeight;
}
