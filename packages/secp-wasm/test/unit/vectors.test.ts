import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SecpRingEngine } from '../../pkg/secp_wasm.js';
import { hex, unhex } from './helpers.js';
import { BaseCache, hashToCurve, verify, type StepTrace } from './blsag.js';

// Golden vectors produced by Go's ring-go / go-dleq (read in place, never copied)
const vectorsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/vectors/ring');
const load = (name: string) => JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8'));

const engines: SecpRingEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));
function engine(): SecpRingEngine {
  const e = new SecpRingEngine();
  engines.push(e);
  return e;
}

interface SigRecord { id: string; msg_hex: string; sig_hex: string; valid: boolean; reason?: string }

describe('ring-go vectors', () => {
  const prim = load('primitives.json');

  it('reproduces every L and R of the verification traces', () => {
    const e = engine();
    let steps = 0;
    for (const t of prim.verification_traces) {
      const hI = e.addBase(unhex(t.key_image_hex));
      for (const st of t.steps) {
        const hP = e.addBase(unhex(st.pub_hex));
        const hH = e.addBase(unhex(st.hash_to_curve_hex));
        const out = new Uint8Array(66);
        e.step(unhex(st.s_hex), unhex(st.c_hex), hP, hH, hI, out);
        expect(hex(out.subarray(0, 33)), `${t.sig_id} step ${st.ring_index} L`).toBe(st.l_hex);
        expect(hex(out.subarray(33)), `${t.sig_id} step ${st.ring_index} R`).toBe(st.r_hex);
        expect(hex(out)).toBe(st.challenge_input_hex.slice(64));
        steps++;
      }
    }
    expect(steps).toBeGreaterThanOrEqual(20);
  });

  it('hash-to-curve helper matches the keys (sanity of the test verifier)', () => {
    for (const k of prim.keys) expect(hex(hashToCurve(unhex(k.pub_hex)))).toBe(k.hash_to_curve_hex);
  });

  it('accepts all 2000 signatures of signatures.json', () => {
    const cache = new BaseCache(engine());
    const recs: SigRecord[] = load('signatures.json').records;
    expect(recs.length).toBe(2000);
    const wrong = recs.filter((r) => !verify(cache, unhex(r.msg_hex), unhex(r.sig_hex))).map((r) => r.id);
    expect(wrong).toEqual([]);
    cache.release();
    expect(cache.engine.baseCount()).toBe(1);
  });

  it("gives Go's verdict on negatives.json and edge_cases.json (infinity and zero scalars included)", () => {
    const cache = new BaseCache(engine());
    const recs: SigRecord[] = [...load('negatives.json').records, ...load('edge_cases.json').records];
    const wrong = recs.filter((r) => verify(cache, unhex(r.msg_hex), unhex(r.sig_hex)) !== r.valid).map((r) => `${r.id} ${r.reason}`);
    expect(wrong).toEqual([]);
    // the identity case really goes through infinity
    const id = load('edge_cases.json').records.find((r: SigRecord) => r.reason === 'identity_point_in_challenge');
    const trace: StepTrace[] = [];
    expect(verify(cache, unhex(id.msg_hex), unhex(id.sig_hex), trace)).toBe(true);
    expect(trace[0]!.l).toBe('02' + '00'.repeat(32));
    const zero = load('edge_cases.json').records.find((r: SigRecord) => r.reason === 'zero_scalar');
    expect(verify(cache, unhex(zero.msg_hex), unhex(zero.sig_hex))).toBe(true);
    cache.release();
  });

  it('a flipped bit in one step output breaks verification (the check is not vacuous)', () => {
    const cache = new BaseCache(engine());
    const r: SigRecord = load('signatures.json').records[7];
    const sig = unhex(r.sig_hex);
    expect(verify(cache, unhex(r.msg_hex), sig)).toBe(true);
    sig[69 + 5] ^= 1; // inside s_0
    expect(verify(cache, unhex(r.msg_hex), sig)).toBe(false);
    cache.release();
  });
});
