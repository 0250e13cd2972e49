// The ring/ vector suites: bLSAG relay-request ring signatures (ring-go + go-dleq, decred backend).
// Every deterministic building block, every verdict, and a byte-exact replay of every signature.
import {
  RING_IDENTITY_ENCODING_HEX,
  RingSignatureError,
  RingSigner,
  RingVerifier,
  decodeRingPoint,
  decodeRingScalar,
  decodeRingSignature,
  deriveRingSignerKeys,
  encodeRingScalar,
  hashToCurveTrace,
  hashToScalar,
  signRing,
  traceRingVerification,
  verifyRingSignature,
} from '@relayminer/protocol';

const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => new Uint8Array(Buffer.from(h ?? '', 'hex'));
const scalarHex = (v) => (v === null ? 'null' : hex(encodeRingScalar(v)));

/** A verdict computed by us; a throw is recorded as a failure of the "never throws" contract. */
function verdict(fn) {
  try {
    return { value: fn(), threw: null };
  } catch (err) {
    return { value: false, threw: err };
  }
}

/** Replays recorded CSPRNG draws in order; complains if the signer asks for more or fewer. */
function replay(draws) {
  let next = 0;
  const source = () => {
    if (next >= draws.length) throw new Error('signer asked for more draws than recorded');
    return bytes(draws[next++]);
  };
  return { source, used: () => next };
}

function checkKeys(keys, check, where) {
  for (const k of keys) {
    const got = deriveRingSignerKeys(bytes(k.priv_hex));
    check(`${where} key ${k.label} public key`, hex(got.publicKey) === k.pub_hex, `got ${hex(got.publicKey)}`);
    check(`${where} key ${k.label} H_p`, hex(got.hashPoint) === k.hash_to_curve_hex, `got ${hex(got.hashPoint)}`);
    check(`${where} key ${k.label} key image`, hex(got.keyImage) === k.key_image_hex, `got ${hex(got.keyImage)}`);
    const t = hashToCurveTrace(bytes(k.pub_hex));
    check(
      `${where} key ${k.label} H_p iterations/digests`,
      t.iterations === k.hash_to_curve_iterations && t.digests.map(hex).join() === k.hash_to_curve_digests_hex.join(),
      `got ${t.iterations} iterations`,
    );
  }
}

async function primitives(v, check) {
  check('curve generator', decodeRingPoint(bytes(v.curve.generator_compressed_hex)).length === 33);
  checkKeys(v.keys, check, 'primitives');

  for (const [i, e] of v.hash_to_curve.entries()) {
    const label = `hash_to_curve[${i}] ${e.key_label ?? e.note}`;
    const t = hashToCurveTrace(bytes(e.input_hex));
    check(`${label} output`, hex(t.point) === e.output_hex, `got ${hex(t.point)}`);
    check(`${label} iterations`, t.iterations === e.iterations, `got ${t.iterations} want ${e.iterations}`);
    check(`${label} digests`, t.digests.map(hex).join() === e.digests_hex.join());
  }

  for (const [i, e] of v.hash_to_scalar.entries()) {
    const got = scalarHex(hashToScalar(bytes(e.input_hex)));
    check(`hash_to_scalar[${i}] ${e.note ?? ''}${e.left_aligned ? ' (left-aligned)' : ''}`, got === e.output_hex, `got ${got} want ${e.output_hex}`);
  }

  for (const e of v.scalar_encoding) {
    const got = hex(encodeRingScalar(BigInt(e.value_dec)));
    check(`scalar_encoding ${e.note}`, got === e.encoded_hex, `got ${got}`);
  }

  for (const e of v.scalar_decoding) {
    const r = verdict(() => hex(encodeRingScalar(decodeRingScalar(bytes(e.input_hex)))));
    const ok = r.threw === null;
    check(
      `scalar_decoding ${e.note}`,
      ok === e.ok && (ok ? r.value === e.reencoded_hex : r.threw instanceof RingSignatureError),
      ok ? `got ${r.value}` : String(r.threw),
    );
  }

  for (const e of v.point_decoding) {
    const r = verdict(() => hex(decodeRingPoint(bytes(e.input_hex))));
    const ok = r.threw === null;
    check(
      `point_decoding ${e.note}`,
      ok === e.ok && (ok ? r.value === e.reencoded_hex : r.threw instanceof RingSignatureError),
      ok ? `got ${r.value}` : String(r.threw),
    );
  }

  for (const t of v.verification_traces) {
    const label = `trace ${t.sig_id}`;
    const trace = traceRingVerification(bytes(t.msg_hex), bytes(t.sig_hex));
    if (trace instanceof RingSignatureError) {
      check(label, false, `refused: ${trace.message}`);
      continue;
    }
    const decoded = decodeRingSignature(bytes(t.sig_hex));
    check(`${label} c0/key image`, scalarHex(decoded.c0) === t.c0_hex && hex(decoded.keyImage) === t.key_image_hex);
    check(`${label} step count`, trace.steps.length === t.steps.length);
    for (const [k, want] of t.steps.entries()) {
      const got = trace.steps[k];
      if (!got) break;
      const sl = `${label} step ${k}`;
      check(`${sl} ring index / c in`, got.ringIndex === want.ring_index && scalarHex(got.c) === want.c_hex);
      check(`${sl} s/P/H_p`, scalarHex(decoded.responses[k]) === want.s_hex && hex(decoded.ring[k]) === want.pub_hex && hex(hashToCurveTrace(decoded.ring[k]).point) === want.hash_to_curve_hex);
      check(`${sl} L`, hex(got.L) === want.l_hex, `got ${hex(got.L)}`);
      check(`${sl} R`, hex(got.R) === want.r_hex, `got ${hex(got.R)}`);
      check(`${sl} challenge input`, hex(got.challengeInput) === want.challenge_input_hex);
      check(`${sl} next c`, scalarHex(got.nextC) === want.next_c_hex, `got ${scalarHex(got.nextC)} want ${want.next_c_hex}`);
    }
    check(`${label} closes`, trace.closes === t.closes);
  }
}

function checkVerdict(label, r, want, check) {
  check(`${label} verdict`, r.threw === null && r.value === want, r.threw ? `threw ${r.threw}` : `got ${r.value} want ${want}`);
}

async function signatures(v, check) {
  checkKeys(v.keys, check, 'signatures');
  const privByLabel = new Map(v.keys.map((k) => [k.label, bytes(k.priv_hex)]));
  // A long-lived signer per key replays every record; the one-shot signRing replays every 10th.
  const signers = new Map(v.keys.map((k) => [k.label, new RingSigner(bytes(k.priv_hex))]));
  // The cached verifier runs beside the plain one: both must give Go's verdict on every record.
  const cached = new RingVerifier();
  for (const rec of v.records) {
    const msg = bytes(rec.msg_hex);
    const sig = bytes(rec.sig_hex);
    checkVerdict(`${rec.id} plain`, verdict(() => verifyRingSignature(msg, sig)), rec.valid, check);
    checkVerdict(`${rec.id} cached`, verdict(() => cached.verify(msg, sig)), rec.valid, check);
    const ring = rec.ring_pubkeys_hex.map(bytes);
    const replays = [['RingSigner', (opts) => signers.get(rec.signer_label).sign(msg, ring, rec.signer_index, opts)]];
    if (Number(rec.id.slice(4)) % 10 === 0) {
      replays.push(['signRing', (opts) => signRing(msg, ring, rec.signer_index, privByLabel.get(rec.signer_label), opts)]);
    }
    for (const [name, sign] of replays) {
      const draws = replay(rec.rng_draws_hex);
      const signed = verdict(() => sign({ randomScalars: draws.source }));
      check(
        `${rec.id} replayed by ${name}`,
        signed.threw === null && hex(signed.value) === rec.sig_hex && draws.used() === rec.rng_draws_hex.length,
        signed.threw ? `threw ${signed.threw}` : `differs (left_aligned=${rec.left_aligned})`,
      );
    }
  }
}

async function negatives(v, check) {
  const cached = new RingVerifier();
  for (const rec of v.records) {
    const msg = bytes(rec.msg_hex);
    const sig = bytes(rec.sig_hex);
    checkVerdict(`${rec.id} ${rec.reason} plain`, verdict(() => verifyRingSignature(msg, sig)), rec.valid, check);
    checkVerdict(`${rec.id} ${rec.reason} cached`, verdict(() => cached.verify(msg, sig)), rec.valid, check);
    // Where Go already refused in Deserialize, so must our decoder (a typed error, no throw).
    if (rec.go_outcome === 'deserialize_error' || (rec.go_outcome === 'panic' && rec.sig_len < 4)) {
      const d = verdict(() => decodeRingSignature(sig));
      check(`${rec.id} ${rec.reason} decode refused`, d.threw === null && d.value instanceof RingSignatureError, d.threw ? `threw ${d.threw}` : 'decoded');
    }
  }
}

async function edge_cases(v, check) {
  const cached = new RingVerifier();
  for (const rec of v.records) {
    const msg = bytes(rec.msg_hex);
    const sig = bytes(rec.sig_hex);
    checkVerdict(`${rec.id} ${rec.reason} plain`, verdict(() => verifyRingSignature(msg, sig)), rec.valid, check);
    checkVerdict(`${rec.id} ${rec.reason} cached`, verdict(() => cached.verify(msg, sig)), rec.valid, check);
    if (rec.reason === 'identity_point_in_challenge') {
      const t = traceRingVerification(msg, sig);
      check(`${rec.id} identity L hashed as 02‖00…`, !(t instanceof RingSignatureError) && hex(t.steps[0].L) === RING_IDENTITY_ENCODING_HEX);
    }
  }
}

export const ringSuites = { primitives, signatures, negatives, edge_cases };
