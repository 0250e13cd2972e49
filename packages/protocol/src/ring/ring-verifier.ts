/**
 * A verifier for the relay-miner hot path. Points it decodes (ring members, key images) and the
 * H_p(P) it computes are kept in a bounded cache keyed by the 33-byte encoding, so a session's
 * repeated keys are decoded and hashed once and the backend can keep tables for them. New points
 * wait in a small probation area and only enter the main LRU set once they took part in a valid
 * signature. A cache entry is only ever created from a successful decode of exactly those bytes, so
 * a hit gives the same point a fresh decode would: the cache cannot change a verdict.
 */
import { bytesEqual, toHex } from '../bytes.js';
import { hashToCurveAffine } from './hash-to-curve.js';
import { compressAffine } from './point-codec.js';
import type { RingArithmetic } from './ring-arithmetic.js';
import { createWasmRingArithmetic } from './wasm-arithmetic.js';
import { RingSignatureError } from './ring-errors.js';
import { readRingSignature } from './signature-codec.js';
import { MESSAGE_LEN, runRingLoop } from './verify-core.js';

export type RelayRingFailure = 'undecodable' | 'member_not_in_ring' | 'invalid_signature';

export type RelayRingVerdict =
  | { ok: true; keyImage: Uint8Array; ringSize: number }
  | { ok: false; reason: RelayRingFailure; message: string };

export interface RingVerifierOptions {
  /** Curve backend; defaults to a fresh secp-wasm engine (createNobleRingArithmetic() is the pure-JS one). */
  arithmetic?: RingArithmetic;
  /**
   * Points kept from valid signatures (ring members and key images alike), default 1024; a further
   * max(16, max/4) recently seen points wait on probation. 0 disables caching.
   */
  maxCachedPoints?: number;
}

export interface RingVerifierStats {
  cachedPoints: number;
  hits: number;
  misses: number;
}

interface CacheEntry {
  key: string;
  point: unknown;
  /** undefined: not computed yet; null: hash-to-curve failed (Go would crash: reject). */
  hashPoint: unknown;
}

interface Member {
  enc: Uint8Array;
  entry: CacheEntry;
}

export class RingVerifier {
  readonly #arith: RingArithmetic;
  readonly #maxHot: number;
  readonly #maxProbation: number;
  /** Points that took part in a signature that verified: the session's keys and key images. */
  readonly #hot = new Map<string, CacheEntry>();
  /**
   * Everything else decoded recently. New points wait here until they appear in a valid signature,
   * so a stream of junk points (anyone can pick a fresh key image) never evicts the hot set.
   */
  readonly #probation = new Map<string, CacheEntry>();
  /** Entries dropped during a call; released only when the call ends, as it may still use them. */
  #retired: CacheEntry[] = [];
  #hits = 0;
  #misses = 0;

  constructor(options: RingVerifierOptions = {}) {
    this.#arith = options.arithmetic ?? createWasmRingArithmetic();
    const max = options.maxCachedPoints ?? 1024;
    if (!Number.isInteger(max) || max < 0) throw new RangeError('maxCachedPoints must be a non-negative integer');
    this.#maxHot = max;
    this.#maxProbation = max === 0 ? 0 : Math.max(16, max >> 2);
  }

  /** Same verdict as ring-go Deserialize + Verify; never throws. */
  verify(message32: Uint8Array, sigBytes: Uint8Array): boolean {
    return this.#check(message32, sigBytes, null).ok;
  }

  /**
   * The relay miner's check (poktroll's VerifyRelayRequestSignature after the ring is known):
   * decode, require every key in the signature to be one of `expectedRing` (by 33-byte encoding;
   * order and size are not compared), then verify. Never throws.
   */
  verifyRelay(message32: Uint8Array, sigBytes: Uint8Array, expectedRing: readonly Uint8Array[]): RelayRingVerdict {
    return this.#check(message32, sigBytes, expectedRing);
  }

  get stats(): RingVerifierStats {
    return { cachedPoints: this.#hot.size + this.#probation.size, hits: this.#hits, misses: this.#misses };
  }

  /** Drops every cached point and frees backend resources. */
  clear(): void {
    for (const entry of this.#hot.values()) this.#release(entry);
    for (const entry of this.#probation.values()) this.#release(entry);
    this.#hot.clear();
    this.#probation.clear();
  }

  #release(entry: CacheEntry): void {
    this.#arith.releasePoint(entry.point);
    if (entry.hashPoint !== undefined && entry.hashPoint !== null) this.#arith.releasePoint(entry.hashPoint);
  }

  /** Inserts at the recent end of `map`, retiring the least recent entry when over `max`. */
  #insert(map: Map<string, CacheEntry>, max: number, key: string, entry: CacheEntry): void {
    map.set(key, entry);
    if (map.size > max) {
      const oldest = map.keys().next().value as string;
      this.#retired.push(map.get(oldest)!);
      map.delete(oldest);
    }
  }

  #lookup(enc: Uint8Array): CacheEntry | null {
    const key = toHex(enc);
    const hot = this.#hot.get(key);
    if (hot !== undefined) {
      this.#hits++;
      // re-insert so Map order doubles as recency order
      this.#hot.delete(key);
      this.#hot.set(key, hot);
      return hot;
    }
    const waiting = this.#probation.get(key);
    if (waiting !== undefined) {
      this.#hits++;
      return waiting;
    }
    this.#misses++;
    const point = this.#arith.preparePoint(enc);
    if (point === null) return null; // refusals are cheap to recompute and not worth a slot
    const entry: CacheEntry = { key, point, hashPoint: undefined };
    if (this.#maxProbation === 0) this.#retired.push(entry);
    else this.#insert(this.#probation, this.#maxProbation, key, entry);
    return entry;
  }

  /** After a valid signature: its points are worth keeping. */
  #admit(entries: CacheEntry[]): void {
    if (this.#maxHot === 0) return;
    for (const entry of entries) {
      if (this.#probation.get(entry.key) !== entry) continue;
      this.#probation.delete(entry.key);
      this.#insert(this.#hot, this.#maxHot, entry.key, entry);
    }
  }

  #hashPoint(member: Member): unknown {
    const entry = member.entry;
    if (entry.hashPoint === undefined) {
      const h = hashToCurveAffine(member.enc);
      entry.hashPoint = h === null ? null : this.#arith.preparePoint(compressAffine(h));
    }
    return entry.hashPoint;
  }

  #check(message: Uint8Array, sig: Uint8Array, expected: readonly Uint8Array[] | null): RelayRingVerdict {
    try {
      if (!(message instanceof Uint8Array) || message.length !== MESSAGE_LEN) {
        return { ok: false, reason: 'invalid_signature', message: 'the signed message must be 32 bytes' };
      }
      if (!(sig instanceof Uint8Array)) return { ok: false, reason: 'undecodable', message: 'signature is not a byte array' };
      const layout = readRingSignature<Member>(sig, (slot) => {
        const entry = this.#lookup(slot);
        return entry === null ? 'invalid public key' : { enc: slot, entry };
      });
      if (layout instanceof RingSignatureError) return { ok: false, reason: 'undecodable', message: layout.message };
      if (expected !== null) {
        for (let i = 0; i < layout.ring.length; i++) {
          const enc = layout.ring[i]!.enc;
          if (!expected.some((e) => e instanceof Uint8Array && bytesEqual(e, enc))) {
            return { ok: false, reason: 'member_not_in_ring', message: `ring member ${i} (${toHex(enc)}) is not in the expected ring` };
          }
        }
      }
      const hashPoints: unknown[] = [];
      for (const m of layout.ring) {
        const hp = this.#hashPoint(m);
        if (hp === null) return { ok: false, reason: 'invalid_signature', message: 'hash-to-curve found no point' };
        hashPoints.push(hp);
      }
      const ok = runRingLoop(
        this.#arith,
        message,
        layout.c0,
        layout.responses,
        layout.ring.map((m) => m.entry.point),
        hashPoints,
        layout.keyImage.entry.point,
      );
      if (ok) this.#admit([layout.keyImage.entry, ...layout.ring.map((m) => m.entry)]);
      return ok
        ? { ok: true, keyImage: layout.keyImage.enc.slice(), ringSize: layout.ring.length }
        : { ok: false, reason: 'invalid_signature', message: 'ring signature does not verify' };
    } catch (err) {
      return { ok: false, reason: 'invalid_signature', message: `verification failed: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      const retired = this.#retired;
      this.#retired = [];
      for (const entry of retired) this.#release(entry);
    }
  }
}

const uncachedVerifier = new RingVerifier({ maxCachedPoints: 0 });

/**
 * verifyRelay without keeping state between calls (pass a RingVerifier to cache). Public keys are
 * compared by their 33-byte encoding; ring order and size are deliberately not checked.
 */
export function verifyRelayRingSignature(
  message32: Uint8Array,
  sigBytes: Uint8Array,
  expectedRing: readonly Uint8Array[],
  opts: { verifier?: RingVerifier } = {},
): RelayRingVerdict {
  const verifier = opts.verifier ?? uncachedVerifier;
  if (!Array.isArray(expectedRing)) return { ok: false, reason: 'member_not_in_ring', message: 'expected ring must be an array' };
  return verifier.verifyRelay(message32, sigBytes, expectedRing);
}
