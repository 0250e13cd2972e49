// protocol/relays.json against @relayminer/protocol (its built dist): canonical relay bytes, decode and
// re-encode, signable bytes and hashes, supplier signatures, mined relay bytes, relay hash, SMST path and
// the difficulty comparison. Ring signatures are checked by the ring suite, not here.
import * as protocol from '@relayminer/protocol';

const {
  fromHex,
  toHex,
  Relay,
  RelayRequest,
  RelayResponse,
  SessionHeader,
  Claim,
  MsgCreateClaim,
  WireDecodeError,
  relayRequestSignableBytes,
  relayRequestSignableHash,
  relayResponseSignableBytes,
  relayResponseSignableHash,
  minedRelayBytes,
  relayHash,
  relayHashBatch,
  relaySmstPath,
  isRelayMinable,
  verifyRelayResponseSignature,
} = protocol;

const codecs = { SessionHeader, RelayRequest, RelayResponse, Relay, Claim, MsgCreateClaim };

// ---- JSON views (vectors/protocol/README.md) → ts-proto objects ----

const bytes = (hex) => (hex ? fromHex(hex) : new Uint8Array(0));

function header(v) {
  if (v == null) return undefined;
  return {
    applicationAddress: v.application_address ?? '',
    serviceId: v.service_id ?? '',
    sessionId: v.session_id ?? '',
    sessionStartBlockHeight: BigInt(v.session_start_block_height ?? 0),
    sessionEndBlockHeight: BigInt(v.session_end_block_height ?? 0),
  };
}

function request(v) {
  if (v == null) return undefined;
  return {
    meta: { sessionHeader: header(v.meta?.session_header), signature: bytes(v.meta?.signature), supplierOperatorAddress: v.meta?.supplier_operator_address ?? '' },
    payload: bytes(v.payload),
  };
}

function response(v) {
  if (v == null) return undefined;
  const e = v.relay_miner_error;
  return {
    meta: { sessionHeader: header(v.meta?.session_header), supplierOperatorSignature: bytes(v.meta?.supplier_operator_signature) },
    payload: bytes(v.payload),
    relayMinerError: e ? { codespace: e.codespace ?? '', code: e.code ?? 0, description: e.description ?? '', message: e.message ?? '' } : undefined,
    payloadHash: v.payload_hash == null ? undefined : fromHex(v.payload_hash),
  };
}

function claim(v, withStatus) {
  const out = { supplierOperatorAddress: v.supplier_operator_address ?? '', sessionHeader: header(v.session_header), rootHash: bytes(v.root_hash) };
  return withStatus ? { ...out, proofValidationStatus: v.proof_validation_status ?? 0 } : out;
}

function fromView(type, v) {
  switch (type) {
    case 'SessionHeader':
      return header(v);
    case 'RelayRequest':
      return request(v);
    case 'RelayResponse':
      return response(v);
    case 'Relay':
      return { req: request(v.req), res: response(v.res) };
    case 'Claim':
      return claim(v, true);
    case 'MsgCreateClaim':
      return claim(v, false);
  }
  throw new Error(`unknown message type ${type}`);
}

// Structural equality of decoded ts-proto objects (bigint, Uint8Array, undefined = absent).
function same(a, b) {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && toHex(a) === toHex(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!same(a[k], b[k])) return false;
  return true;
}

const hex = (b) => toHex(b);
const eq = (check, label, got, want) => check(label, got === want, got === want ? '' : `got ${String(got).slice(0, 80)}…, want ${String(want).slice(0, 80)}…`);

function plusOne(hash) {
  return fromHex(((BigInt('0x' + hash) + 1n) & ((1n << 256n) - 1n)).toString(16).padStart(64, '0'));
}

export default async (json, check) => {
  const targets = Object.fromEntries(json.difficulty_targets.map((t) => [t.label, fromHex(t.target_hash)]));
  const keys = Object.fromEntries(json.keys.map((k) => [k.label, k]));

  // repo_fixtures: the 10 gogo-produced Relays of poktroll's miner tests.
  for (const f of json.repo_fixtures ?? []) {
    const label = `repo_fixtures[${f.index}]`;
    const input = fromHex(f.relay_hex);
    const relay = Relay.unmarshal(input);
    check(`${label} decoded`, same(relay, fromView('Relay', f.decoded)));
    check(`${label} re-encodes identically`, (hex(Relay.marshal(relay)) === f.relay_hex) === f.reencoded_equals_input);
    eq(check, `${label} relay_hash`, hex(relayHash(input)), f.relay_hash);
    eq(check, `${label} request_signable_hash`, hex(relayRequestSignableHash(relay.req)), f.request_signable_hash);
    eq(check, `${label} response_signable_hash`, hex(relayResponseSignableHash(relay.res)), f.response_signable_hash);
    for (const [t, want] of Object.entries(f.minable)) eq(check, `${label} minable ${t}`, isRelayMinable(fromHex(f.relay_hash), targets[t]), want);
  }

  // relays[]: messages built from their JSON views.
  const minedBytes = [];
  for (const r of json.relays) {
    const label = `relays ${r.label}`;
    const req = request(r.request);
    const res = response(r.response);
    eq(check, `${label} request_hex`, hex(RelayRequest.marshal(req)), r.request_hex);
    eq(check, `${label} response_hex`, hex(RelayResponse.marshal(res)), r.response_hex);
    eq(check, `${label} request_signable_bytes`, hex(relayRequestSignableBytes(req)), r.request_signable_bytes);
    eq(check, `${label} request_signable_hash`, hex(relayRequestSignableHash(req)), r.request_signable_hash);
    eq(check, `${label} response_signable_bytes`, hex(relayResponseSignableBytes(res)), r.response_signable_bytes);
    eq(check, `${label} response_signable_hash`, hex(relayResponseSignableHash(res)), r.response_signable_hash);
    // A verifier works on what it decoded from the wire; the hashes must not change.
    const decodedReq = RelayRequest.unmarshal(fromHex(r.request_hex));
    const decodedRes = RelayResponse.unmarshal(fromHex(r.response_hex));
    check(`${label} request decodes to its view`, same(decodedReq, req));
    check(`${label} response decodes to its view`, same(decodedRes, res));
    eq(check, `${label} decoded request_signable_hash`, hex(relayRequestSignableHash(decodedReq)), r.request_signable_hash);
    eq(check, `${label} decoded response_signable_hash`, hex(relayResponseSignableHash(decodedRes)), r.response_signable_hash);
    eq(check, `${label} relay_with_response_payload_hex`, hex(Relay.marshal({ req, res })), r.relay_with_response_payload_hex);
    const mined = minedRelayBytes(decodedReq, decodedRes);
    minedBytes.push(mined);
    eq(check, `${label} relay_hex`, hex(mined), r.relay_hex);
    eq(check, `${label} relay_hash`, hex(relayHash(mined)), r.relay_hash);
    eq(check, `${label} smst_path`, hex(relaySmstPath(fromHex(r.relay_hash))), r.smst_path);
    for (const [t, want] of Object.entries(r.minable)) eq(check, `${label} minable ${t}`, isRelayMinable(fromHex(r.relay_hash), targets[t]), want);
    eq(check, `${label} minable if target == relay hash`, isRelayMinable(fromHex(r.relay_hash), fromHex(r.relay_hash)), r.minable_if_target_equals_relay_hash);
    eq(check, `${label} minable if target == relay hash + 1`, isRelayMinable(fromHex(r.relay_hash), plusOne(r.relay_hash)), r.minable_if_target_is_relay_hash_plus_1);
    if (r.supplier_signature_valid !== null) {
      const supplier = keys[r.supplier_key];
      eq(check, `${label} supplier signature verifies`, verifyRelayResponseSignature(decodedRes, fromHex(supplier.public_key)), r.supplier_signature_valid);
    } else {
      eq(check, `${label} unsigned response does not verify`, verifyRelayResponseSignature(decodedRes, fromHex(keys[r.supplier_key].public_key)), false);
    }
  }
  const batch = relayHashBatch(minedBytes);
  check('relays relayHashBatch equals relay_hash', json.relays.every((r, i) => hex(batch[i]) === r.relay_hash));

  // decode_reencode[]: what a verifier must hash after decoding.
  for (const c of json.decode_reencode) {
    const label = `decode_reencode ${c.label}`;
    const codec = codecs[c.message_type];
    let decoded;
    let error;
    try {
      decoded = codec.unmarshal(fromHex(c.input_hex));
    } catch (err) {
      error = err;
    }
    if (!c.decode_ok) {
      check(`${label} rejected`, error instanceof WireDecodeError, error ? `threw ${error?.name}: ${error?.message}` : 'accepted');
      continue;
    }
    if (error) {
      check(`${label} accepted`, false, `${error.name}: ${error.message}`);
      continue;
    }
    check(`${label} decoded`, same(decoded, fromView(c.message_type, c.decoded)));
    const canonical = codec.marshal(decoded);
    eq(check, `${label} canonical_hex`, hex(canonical), c.canonical_hex);
    eq(check, `${label} canonical_equals_input`, hex(canonical) === c.input_hex, c.canonical_equals_input);
    const req = c.message_type === 'RelayRequest' ? decoded : c.message_type === 'Relay' ? decoded.req : undefined;
    const res = c.message_type === 'RelayResponse' ? decoded : c.message_type === 'Relay' ? decoded.res : undefined;
    if (c.request_signable_hash) eq(check, `${label} request_signable_hash`, hex(relayRequestSignableHash(req)), c.request_signable_hash);
    if (c.response_signable_hash) eq(check, `${label} response_signable_hash`, hex(relayResponseSignableHash(res)), c.response_signable_hash);
  }

  // spec_example: the specification's worked example, re-checked by Go.
  const s = json.spec_example;
  if (s) {
    const req = RelayRequest.unmarshal(fromHex(s.request_hex));
    const res = RelayResponse.unmarshal(fromHex(s.response_hex));
    eq(check, 'spec_example request re-encodes identically', hex(RelayRequest.marshal(req)) === s.request_hex, s.request_reencodes_identically);
    eq(check, 'spec_example response re-encodes identically', hex(RelayResponse.marshal(res)) === s.response_hex, s.response_reencodes_identically);
    eq(check, 'spec_example request_signable_bytes', hex(relayRequestSignableBytes(req)), s.request_signable_bytes);
    eq(check, 'spec_example request_signable_hash', hex(relayRequestSignableHash(req)), s.request_signable_hash);
    eq(check, 'spec_example response_signable_bytes', hex(relayResponseSignableBytes(res)), s.response_signable_bytes);
    eq(check, 'spec_example response_signable_hash', hex(relayResponseSignableHash(res)), s.response_signable_hash);
    eq(check, 'spec_example supplier signature verifies', verifyRelayResponseSignature(res, fromHex(s.supplier_public_key)), s.supplier_signature_valid);
    eq(check, 'spec_example relay_hex', hex(minedRelayBytes(req, res)), s.relay_hex);
    eq(check, 'spec_example relay_hash', hex(relayHash(fromHex(s.relay_hex))), s.relay_hash);
    const claimMsg = Claim.unmarshal(fromHex(s.claim_hex));
    eq(check, 'spec_example claim bytes', hex(protocol.claimBytes(claimMsg)), s.claim_hex);
    eq(check, 'spec_example claim_hash', hex(protocol.claimHash(claimMsg)), s.claim_hash);
  }

  // sessions[]: the session headers the relays belong to.
  for (const sess of json.sessions) {
    eq(check, `sessions ${sess.label} session_header_hex`, hex(SessionHeader.marshal(header(sess.session_header))), sess.session_header_hex);
  }
};
