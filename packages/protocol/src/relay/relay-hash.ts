/** Mined relay bytes, relay hash, SMST path and the difficulty check (protocol.md §5.1–§5.3). */
import { sha256Batch } from 'smt-wasm';
import { sha256 } from '../sha256.js';
import { compareBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { Relay, type RelayRequest, type RelayResponse } from '../wire/index.js';
import { assertRelayMessage } from './assert-message.js';

const EMPTY = new Uint8Array(0);

/**
 * Canonical `Relay{req, res}` with the response payload removed (meta, signature and payload hash
 * stay): what the miner hashes and stores as the SMST leaf value. Every network runs a chain version
 * (>= v0.1.25) where the payload is removed, so it always is here.
 */
export function minedRelayBytes(request: RelayRequest, signedResponse: RelayResponse): Uint8Array {
  assertRelayMessage('relay request', request);
  assertRelayMessage('relay response', signedResponse);
  return Relay.marshal({ req: request, res: { ...signedResponse, payload: EMPTY } });
}

/**
 * sha256(relayBytes): the relay's SMST key and the value compared with the difficulty target.
 * One relay at a time, OpenSSL's one-shot hash (SHA-NI) beats our WASM SHA-256 3-5x on relay-sized
 * inputs, so it hashes here; many relays at once go through relayHashBatch (`npm run bench -- protocol`).
 */
export function relayHash(relayBytes: Uint8Array): Uint8Array {
  if (!(relayBytes instanceof Uint8Array)) throw new InvalidArgumentError('relay bytes must be a Uint8Array');
  return sha256(relayBytes);
}

/**
 * relayHash of many relays in one WASM call, four per SIMD lane group: ~1.2x relayHash's rate for
 * ~0.8 KiB relays, ~0.8x at 2 KiB (measured); result i belongs to relayBytes[i].
 */
export function relayHashBatch(relayBytes: readonly Uint8Array[]): Uint8Array[] {
  const all = sha256Batch([...relayBytes]);
  const out: Uint8Array[] = new Array(relayBytes.length);
  for (let i = 0; i < relayBytes.length; i++) out[i] = all.subarray(i * 32, i * 32 + 32);
  return out;
}

function assert32(name: string, bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw new InvalidArgumentError(`${name} must be 32 bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
  }
}

/** The SMST path of a relay: sha256 of its 32-byte relay hash. */
export function relaySmstPath(relayHashBytes: Uint8Array): Uint8Array {
  assert32('relay hash', relayHashBytes);
  return sha256(relayHashBytes);
}

/**
 * Whether the relay counts for rewards: relayHash < target as a byte-wise comparison, strictly (an
 * equal hash does not count). Like the chain, a target that is not exactly 32 bytes is refused.
 */
export function isRelayMinable(relayHashBytes: Uint8Array, targetHash: Uint8Array): boolean {
  assert32('relay hash', relayHashBytes);
  assert32('difficulty target hash', targetHash);
  return compareBytes(relayHashBytes, targetHash) < 0;
}
