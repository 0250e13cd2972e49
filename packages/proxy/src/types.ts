/**
 * The values and seams shared by the proxy's parts: the served relay it emits, the relay error every
 * rejection becomes (what the Go relay miner sends, protocol.md §9), and the interfaces the server uses
 * for authentication, metering and signing keys, so each part can be built and tested on its own.
 */
import type { RelayRequest, RelayResponse, SessionHeader, pocket } from '@relayminer/protocol';

/** A relay that was served: the decoded request and the signed response exactly as sent to the client. */
export interface ServedRelay {
  readonly request: RelayRequest;
  /** Signed, with payload_hash set and the payload still present (the miner clears it before hashing). */
  readonly response: RelayResponse;
  readonly sessionHeader: SessionHeader;
  readonly serviceId: string;
  readonly supplierOperatorAddress: string;
  /** Block height when the request arrived. */
  readonly receivedAtHeight: bigint;
  /**
   * Set when the client's reply waits for this relay (`reply_after_persist`): call it once the relay
   * is durably stored or known not to be kept (not minable, dropped); with an error when storing failed.
   */
  readonly onSettled?: (error?: Error) => void;
}

/**
 * A rejection as the client sees it: RelayResponse.relay_miner_error {codespace, code, description,
 * message} (protocol.md §9). `description` is the registered description; `message` the full text.
 */
export class RelayError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly description: string,
    /** What was wrong, for the full message ("<context>: <description>"). Never key material. */
    readonly context: string,
  ) {
    super(context ? `${context}: ${description}` : description);
    this.name = 'RelayError';
  }
}

/** The signing keys this process serves for, by operator address (derived from the key). */
export interface SupplierKeyRing {
  /** Operator addresses (bech32 `pokt`) of every configured key. */
  readonly operatorAddresses: readonly string[];
  /** The private key of an operator address, or undefined when it is not ours. */
  privateKeyOf(operatorAddress: string): Uint8Array | undefined;
}

/** What authentication established about a request (protocol.md §2.4). */
export interface AuthenticatedRelay {
  /** The on-chain session the request belongs to. */
  readonly session: pocket.session.Session;
  /** Height the session was looked up at (the session end during the grace period, else current). */
  readonly queryHeight: bigint;
}

export interface RelayAuthenticator {
  /**
   * Checks a decoded request in the spec's order: timing/grace period, ring signature against the app's
   * ring, session from the chain, header equality, supplier ours and in the session. Rejects with a
   * RelayError carrying the Go relay miner's codespace/code.
   */
  authenticate(request: RelayRequest): Promise<AuthenticatedRelay>;
  /** Whether the session id was already validated (lazy validation serves known sessions eagerly). */
  isKnownSession(sessionId: string): boolean;
}

export type MeterOutcome = 'ok' | 'over_serviced' | 'unmetered';

export interface RelayMeter {
  /**
   * Optimistically charges one relay to the session's budget (protocol.md §7). `unmetered` when the
   * data to meter is unavailable (fail-open, as Go).
   */
  charge(request: RelayRequest): Promise<MeterOutcome>;
  /** Gives back a charge whose relay ended up not rewardable (backend error, dropped, failed validation). */
  refund(request: RelayRequest): void;
}
