// A minimal bLSAG verifier over the engine, following the vectors' README (ring-go / go-dleq
// rules), used to check the engine end to end against Go's verdicts. Test code only: the real
// verifier lives in @relayminer/protocol.
import { createHash } from 'node:crypto';
import { SecpRingEngine } from '../../pkg/secp_wasm.js';
import { N, P_FIELD, Point, be32, hex } from './helpers.js';

const sha3 = (alg: string, b: Uint8Array): Uint8Array => new Uint8Array(createHash(alg).update(b).digest());
const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt('0x' + hex(b)));

/** Hs with go-dleq's left-align quirk; null where Go would panic. */
export function hashToScalar(data: Uint8Array): bigint | null {
  const r = big(sha3('sha3-512', data)) % N;
  if (r === 0n || r >= 2n ** 248n) return r;
  const len = (r.toString(16).length + 1) >> 1;
  const shifted = r << BigInt(8 * (32 - len));
  return shifted < N ? shifted : null;
}

/** Hp: SHA3-256 try-and-increment, even y (noble decides squareness, independently of the engine). */
export function hashToCurve(pub33: Uint8Array): Uint8Array {
  let h = sha3('sha3-256', pub33);
  for (let i = 0; i < 128; i++) {
    const cand = new Uint8Array(33);
    cand[0] = 2;
    cand.set(be32(big(h) % P_FIELD), 1);
    try {
      Point.fromBytes(cand);
      return cand;
    } catch {
      h = sha3('sha3-256', h);
    }
  }
  throw new Error('hash to curve gave up');
}

/** Keeps tables of points seen before (keys repeat across signatures); release() frees all. */
export class BaseCache {
  private readonly handles = new Map<string, number>();
  private readonly hp = new Map<string, Uint8Array>();
  constructor(readonly engine: SecpRingEngine) {}
  get(b: Uint8Array): number {
    const k = hex(b);
    let h = this.handles.get(k);
    if (h === undefined) {
      h = this.engine.addBase(b);
      this.handles.set(k, h);
    }
    return h;
  }
  hashPoint(pub: Uint8Array): Uint8Array {
    const k = hex(pub);
    let p = this.hp.get(k);
    if (p === undefined) this.hp.set(k, (p = hashToCurve(pub)));
    return p;
  }
  release(): void {
    for (const h of this.handles.values()) if (h >= 0) this.engine.releaseBase(h);
    this.handles.clear();
  }
}

export interface StepTrace {
  l: string;
  r: string;
}

/** ring-go Deserialize + Verify on the engine; steps (L, R per member) go to `trace` when given. */
export function verify(cache: BaseCache, msg: Uint8Array, sig: Uint8Array, trace?: StepTrace[]): boolean {
  if (sig.length < 4) return false;
  const n = new DataView(sig.buffer, sig.byteOffset, sig.byteLength).getUint32(0);
  if (n === 0 || sig.length < 33 * n) return false;
  if (sig.length < 69 + 65 * n) return false;
  const c0 = big(sig.subarray(4, 36)) % N;
  const hI = cache.get(sig.subarray(36, 69));
  if (hI < 0) return false;
  const s: bigint[] = [], hP: number[] = [], hH: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = 69 + 65 * i;
    s.push(big(sig.subarray(at, at + 32)) % N);
    const pub = sig.subarray(at + 32, at + 65);
    const h = cache.get(pub);
    if (h < 0) return false;
    hP.push(h);
    hH.push(cache.get(cache.hashPoint(pub)));
  }
  const input = new Uint8Array(98); // m ‖ enc(L) ‖ enc(R)
  input.set(msg, 0);
  const lr = input.subarray(32);
  let c = c0;
  for (let i = 0; i < n; i++) {
    cache.engine.step(be32(s[i]!), be32(c), hP[i]!, hH[i]!, hI, lr);
    trace?.push({ l: hex(lr.subarray(0, 33)), r: hex(lr.subarray(33)) });
    const next = hashToScalar(input);
    if (next === null) return false;
    c = next;
  }
  return c === c0;
}
