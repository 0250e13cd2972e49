// Protocol benchmarks: ring-signature verification and signing, supplier signatures, relay hashing
// and canonical re-encoding, each with its baseline measured in the same run.
import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import {
  RelayRequest,
  RingSigner,
  RingVerifier,
  createNobleRingArithmetic,
  createWasmRingArithmetic,
  publicKeyFromPrivateKey,
  relayHash,
  relayRequestSignableHash,
  relayHashBatch,
  signSupplierHash,
  signSupplierHashWith,
  supplierSignatureBackend,
  verifyRingSignature,
  verifySupplierHashWith,
} from '@relayminer/protocol';
import { sha256 as wasmSha256 } from 'smt-wasm';
import { opsPerSecond } from './measure.mjs';

const TARGET_RING2_VERIFY_PER_S = 2500;

function keyFor(label) {
  return createHash('sha256').update(`bench/${label}`).digest();
}

/** A session's worth of signed requests over one ring: `count` messages, signers cycling over members. */
function ringWorkload(size, count) {
  const privs = Array.from({ length: size }, (_, i) => keyFor(`ring${size}/member${i}`));
  const ring = privs.map((p) => publicKeyFromPrivateKey(p));
  const signers = privs.map((p) => new RingSigner(p));
  const items = [];
  for (let i = 0; i < count; i++) {
    const j = i % size;
    const message = createHash('sha256').update(`bench/msg/${size}/${i}`).digest();
    items.push({ message, sig: signers[j].sign(message, ring, j) });
  }
  return { ring, signers, items };
}

export async function run({ quick, check }) {
  const results = [];
  const reps = quick ? 5 : 9;
  const record = (r) => {
    results.push(r);
    console.log(`${r.impl.padEnd(16)} ${r.name.padEnd(46)} ${String(Math.round(r.ops_per_s)).padStart(10)} ops/s`);
  };

  for (const size of quick ? [2] : [2, 3, 4]) {
    const { ring, signers, items } = ringWorkload(size, 64);
    const at = (i) => items[i % items.length];
    const name = `ring verify, ${size} members`;
    // cold: nothing reused between calls (plain noble verifier)
    record({ impl: 'noble', name: `${name}, cold`, ring_size: size, ops_per_s: opsPerSecond((i) => verifyRingSignature(at(i).message, at(i).sig), { batch: 10, reps }) });
    // per-session caches: the RingVerifier with each backend, warmed over the workload first
    for (const [impl, arithmetic] of [
      ['noble', createNobleRingArithmetic()],
      ['secp-wasm', createWasmRingArithmetic()],
    ]) {
      const verifier = new RingVerifier({ arithmetic });
      for (let k = 0; k < 40; k++) for (const it of items) if (!verifier.verifyRelay(it.message, it.sig, ring).ok) throw new Error('bench workload does not verify');
      const batch = impl === 'noble' ? 50 : 500;
      record({ impl, name: `${name}, session cache`, ring_size: size, ops_per_s: opsPerSecond((i) => verifier.verifyRelay(at(i).message, at(i).sig, ring), { batch, reps }) });
      verifier.clear();
    }
    record({ impl: 'noble', name: `ring sign, ${size} members`, ring_size: size, ops_per_s: opsPerSecond((i) => signers[i % size].sign(at(i).message, ring, i % size), { batch: 20, reps }) });
  }

  const supplierKey = keyFor('supplier');
  const supplierPub = publicKeyFromPrivateKey(supplierKey);
  const hashes = Array.from({ length: 256 }, (_, i) => createHash('sha256').update(`bench/response/${i}`).digest());
  const sigs = hashes.map((h) => signSupplierHash(supplierKey, h));
  for (const impl of ['noble', 'libsecp256k1']) {
    if (impl === 'libsecp256k1' && supplierSignatureBackend() !== impl) continue;
    const batch = impl === 'noble' ? 200 : 2000;
    record({ impl, name: 'supplier sign', ops_per_s: opsPerSecond((i) => signSupplierHashWith(impl, supplierKey, hashes[i & 255]), { batch, reps }) });
    record({ impl, name: 'supplier verify', ops_per_s: opsPerSecond((i) => verifySupplierHashWith(impl, supplierPub, hashes[i & 255], sigs[i & 255]), { batch, reps }) });
  }

  // relay hashing: mined relays are ~0.7-2 KiB; relayHash is the one-shot OpenSSL path, relayHashBatch WASM SIMD
  for (const bytes of [768, 2048]) {
    const relays = Array.from({ length: 256 }, () => new Uint8Array(randomBytes(bytes)));
    const n = `relay hash, ${bytes} B`;
    record({ impl: 'node:crypto', name: n, value_bytes: bytes, ops_per_s: opsPerSecond((i) => createHash('sha256').update(relays[i & 255]).digest(), { batch: 5000, reps }) });
    record({ impl: 'smt-wasm', name: n, value_bytes: bytes, ops_per_s: opsPerSecond((i) => wasmSha256(relays[i & 255]), { batch: 5000, reps }) });
    record({ impl: 'relayHash', name: n, value_bytes: bytes, ops_per_s: opsPerSecond((i) => relayHash(relays[i & 255]), { batch: 5000, reps }) });
    record({ impl: 'smt-wasm batch', name: n, value_bytes: bytes, ops_per_s: 256 * opsPerSecond(() => relayHashBatch(relays), { batch: 20, reps }) });
  }

  // canonical re-encoding: what a verifier does to every request before hashing it
  {
    const { items } = ringWorkload(2, 1);
    const request = {
      meta: {
        sessionHeader: { applicationAddress: 'pokt1mrqt5f7qh8uxs27cjm9t7v9e74a9vvdnq5jva4', serviceId: 'anvil', sessionId: 'ab'.repeat(32), sessionStartBlockHeight: 11n, sessionEndBlockHeight: 20n },
        signature: items[0].sig,
        supplierOperatorAddress: 'pokt18udq6v5rdwrepyx4asl87tdd0sqvqw47mtfd95',
      },
      payload: new Uint8Array(randomBytes(300)),
    };
    const wire = RelayRequest.marshal(request);
    record({ impl: 'wire', name: `RelayRequest decode + canonical re-encode, ${wire.length} B`, value_bytes: wire.length, ops_per_s: opsPerSecond(() => RelayRequest.marshal(RelayRequest.unmarshal(wire)), { batch: 5000, reps }) });
    record({ impl: 'wire', name: 'RelayRequest decode + signable hash', value_bytes: wire.length, ops_per_s: opsPerSecond(() => relayRequestSignableHash(RelayRequest.unmarshal(wire)), { batch: 5000, reps }) });
  }

  const ratios = [];
  const find = (impl, name) => results.find((r) => r.impl === impl && r.name === name);
  for (const r of results) {
    const base = r.name.startsWith('relay hash')
      ? find('node:crypto', r.name)
      : r.name.includes('session cache')
        ? find('noble', r.name.replace('session cache', 'cold'))
        : r.name.startsWith('supplier')
          ? find('noble', r.name)
          : null;
    if (base && base !== r) ratios.push({ name: r.name, impl: r.impl, baseline: `${base.impl} ${base.name}`, ratio: +(r.ops_per_s / base.ops_per_s).toFixed(2) });
  }
  console.log('\nSame-run ratios:');
  for (const x of ratios) console.log(`  ${x.impl.padEnd(16)} ${x.name.padEnd(46)} ×${x.ratio} vs ${x.baseline}`);

  const failures = [];
  if (check) {
    const wasm2 = find('secp-wasm', 'ring verify, 2 members, session cache');
    if (!(wasm2.ops_per_s >= TARGET_RING2_VERIFY_PER_S)) failures.push(`2-member ring verify ${Math.round(wasm2.ops_per_s)}/s is below ${TARGET_RING2_VERIFY_PER_S}/s`);
  }
  return {
    suite: 'protocol',
    quick,
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version },
    results,
    ratios,
    failures,
  };
}
