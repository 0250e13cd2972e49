/**
 * Which accounts form an application's ring for a session (spec §2.1, poktroll
 * pkg/crypto/rings): the app, its current gateway delegations, plus gateways whose undelegation
 * was recorded at a session end >= the target session end (the undelegation has not taken effect
 * for that session yet). An app without gateways signs with a fixed placeholder key as partner.
 */
import { sha256 } from '../sha256.js';
import { compareBytes, toHex, utf8ToBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { CURVE_N, readU256, writeU256 } from './curve.js';
import { addressFromPublicKey, publicKeyFromPrivateKey } from '../keys/index.js';

/** The application fields the ring depends on, with ts-proto's camelCase names. */
export interface RingApplication {
  address: string;
  delegateeGatewayAddresses: readonly string[];
  /**
   * Keyed by the session end height at which the undelegation was recorded: the decoded wire type's
   * `Map<bigint, …>` (what `pocket.application.Application` holds), or a plain object keyed by the
   * decimal height (as JSON gives it).
   */
  pendingUndelegations:
    | ReadonlyMap<bigint, { readonly gatewayAddresses: readonly string[] }>
    | { readonly [height: string]: { readonly gatewayAddresses: readonly string[] } };
}

/** Cosmos GenPrivKeyFromSecret: (int(sha256(secret)) mod (n − 1)) + 1, never zero. */
function privateKeyFromSecret(secret: string): Uint8Array {
  const out = new Uint8Array(32);
  writeU256(out, 0, (readU256(sha256(utf8ToBytes(secret))) % (CURVE_N - 1n)) + 1n);
  return out;
}

const PLACEHOLDER_SECRET = 'placeholder_ring_key_for_apps_without_gateways';
const placeholderPrivateKey = privateKeyFromSecret(PLACEHOLDER_SECRET);
const placeholderPublicKey = publicKeyFromPrivateKey(placeholderPrivateKey);

/** Private key of poktroll's ring filler for apps without gateways (public knowledge by design). */
export const RING_PLACEHOLDER_PRIVATE_KEY_HEX: string = toHex(placeholderPrivateKey);
/** Its 33-byte compressed public key, hex. */
export const RING_PLACEHOLDER_PUBLIC_KEY_HEX: string = toHex(placeholderPublicKey);
/** Its bech32 `pokt1…` account address, the stand-in gateway in an otherwise single-member ring. */
export const RING_PLACEHOLDER_ADDRESS: string = addressFromPublicKey(placeholderPublicKey);

const DECIMAL_U64 = /^(0|[1-9][0-9]*)$/;
const U64_MAX = (1n << 64n) - 1n;

function parseHeightKey(key: string): bigint {
  if (!DECIMAL_U64.test(key)) throw new InvalidArgumentError(`pending undelegation height "${key}" is not a decimal integer`);
  const h = BigInt(key);
  if (h > U64_MAX) throw new InvalidArgumentError(`pending undelegation height ${key} does not fit in uint64`);
  return h;
}

/** Go's slices.Sort on strings compares UTF-8 bytes; JS sort compares UTF-16 units. */
function compareUtf8(a: string, b: string): number {
  return compareBytes(utf8ToBytes(a), utf8ToBytes(b));
}

/**
 * The sorted account addresses of `app`'s ring for the session ending at `sessionEndHeight`.
 * `targetSessionEnd` is SessionEndHeight(live shared params, sessionEndHeight); it equals
 * `sessionEndHeight` unless the session grid changed, and defaults to it. When no gateway is
 * left the placeholder address takes the gateway slot. Map the placeholder address to
 * RING_PLACEHOLDER_PUBLIC_KEY_HEX when resolving public keys; every other account needs its
 * on-chain public key.
 *
 * Addresses are deduplicated. Go only deduplicates the re-added undelegated gateways among
 * themselves, so an address both delegated and pending undelegation would appear twice there;
 * the membership set, which is all verification uses, is the same.
 */
export function ringAddressesForSession(app: RingApplication, sessionEndHeight: bigint, targetSessionEnd?: bigint): string[] {
  if (typeof sessionEndHeight !== 'bigint' || sessionEndHeight < 0n) {
    throw new InvalidArgumentError('session end height must be a non-negative bigint');
  }
  const target = targetSessionEnd ?? sessionEndHeight;
  if (typeof target !== 'bigint' || target < 0n) throw new InvalidArgumentError('target session end must be a non-negative bigint');
  if (typeof app?.address !== 'string' || app.address === '') throw new InvalidArgumentError('application address is missing');

  const gateways = new Set<string>(app.delegateeGatewayAddresses ?? []);
  const pending = app.pendingUndelegations ?? {};
  const entries = pending instanceof Map ? [...pending.entries()] : Object.entries(pending);
  for (const [key, list] of entries) {
    // recorded before the target session ended: already effective, the gateway is out
    if ((typeof key === 'bigint' ? key : parseHeightKey(key)) < target) continue;
    for (const gw of list?.gatewayAddresses ?? []) gateways.add(gw);
  }
  if (gateways.size === 0) gateways.add(RING_PLACEHOLDER_ADDRESS);
  gateways.add(app.address);
  return [...gateways].sort(compareUtf8);
}
