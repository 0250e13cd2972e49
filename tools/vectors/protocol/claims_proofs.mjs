// protocol/claims_proofs.json: claimed uPOKT, MsgCreateClaim / Claim / Any bytes, proof paths, and real
// session trees — relays mined into our SMST, root, claim, proof requirement sample, closest proofs,
// their compact gob (the MsgSubmitProof payload) and the chain's verification path.
import * as protocol from '@relayminer/protocol';
import * as smst from '@relayminer/smst';
import { floatBits } from '../checks.mjs';

const {
  fromHex,
  toHex,
  google,
  Claim,
  MsgCreateClaim,
  MsgSubmitProof,
  claimHash,
  msgCreateClaimToAny,
  msgSubmitProofToAny,
  claimedUpokt,
  numEstimatedComputeUnits,
  numEstimatedRelays,
  relayDifficultyMultiplier,
  proofPath,
  proofRequirementSampleValue,
  relayHash,
  relaySmstPath,
} = protocol;

const bytes = (hex) => (hex ? fromHex(hex) : new Uint8Array(0));
const hex = (b) => (b == null ? null : toHex(b));
const anyBytes = (any) => google.protobuf.Any.marshal(any);

function header(v) {
  return {
    applicationAddress: v.application_address,
    serviceId: v.service_id,
    sessionId: v.session_id,
    sessionStartBlockHeight: BigInt(v.session_start_block_height),
    sessionEndBlockHeight: BigInt(v.session_end_block_height),
  };
}

function claimedUpoktCases(json, check) {
  for (const c of json.claimed_upokt) {
    const sum = BigInt(c.root_sum);
    const count = BigInt(c.root_count);
    const target = bytes(c.target_hash);
    const m = relayDifficultyMultiplier(target);
    check(`${c.label} multiplier`, m.num.toString() === c.difficulty_multiplier_num && m.den.toString() === c.difficulty_multiplier_den, `${m.num}/${m.den}`);
    if (c.num_estimated_compute_units !== null) {
      check(`${c.label} estimated compute units`, numEstimatedComputeUnits(sum, target).toString() === c.num_estimated_compute_units);
      check(`${c.label} estimated relays`, numEstimatedRelays(sum, count, target).toString() === c.num_estimated_relays);
    }
    const upokt = claimedUpokt(sum, target, BigInt(c.compute_units_to_tokens_multiplier), BigInt(c.compute_unit_cost_granularity));
    check(`${c.label} claimed uPOKT`, upokt.toString() === c.claimed_upokt, `got ${upokt}`);
  }
}

function claimMessages(json, check) {
  for (const c of json.msg_create_claim) {
    const msg = { supplierOperatorAddress: c.supplier_operator_address, sessionHeader: header(c.session_header), rootHash: bytes(c.root_hash) };
    check(`${c.label} MsgCreateClaim bytes`, hex(MsgCreateClaim.marshal(msg)) === c.msg_create_claim_hex);
    check(`${c.label} Any bytes`, hex(anyBytes(msgCreateClaimToAny(msg))) === c.any_hex);
    const claim = { ...msg, proofValidationStatus: 0 };
    check(`${c.label} Claim bytes`, hex(Claim.marshal(claim)) === c.claim_hex);
    check(`${c.label} claim hash`, hex(claimHash(claim)) === c.claim_hash);
    const back = MsgCreateClaim.unmarshal(bytes(c.msg_create_claim_hex));
    check(`${c.label} MsgCreateClaim decodes to the same message`, hex(MsgCreateClaim.marshal(back)) === c.msg_create_claim_hex);
  }
  for (const p of json.proof_paths) {
    check(`${p.label} proof path`, hex(proofPath(bytes(p.block_hash), p.session_id)) === p.path);
  }
}

function trees(json, check) {
  for (const t of json.trees) {
    const trie = new smst.SparseMerkleSumTrie();
    for (const leaf of t.leaves) {
      const value = bytes(leaf.value);
      const key = relayHash(value);
      check(`${leaf.relay_label} relay hash is the key`, hex(key) === leaf.key);
      check(`${leaf.relay_label} smst path`, hex(relaySmstPath(key)) === leaf.path);
      trie.update(key, value, BigInt(leaf.weight));
    }
    const root = trie.root();
    check(`${t.label} root`, hex(root) === t.root, `got ${hex(root)}`);
    check(`${t.label} sum and count`, trie.sum().toString() === t.root_sum && trie.count().toString() === t.root_count);
    const msg = { supplierOperatorAddress: t.supplier_operator_address, sessionHeader: header(t.session_header), rootHash: root };
    check(`${t.label} MsgCreateClaim`, hex(MsgCreateClaim.marshal(msg)) === t.msg_create_claim_hex);
    const cHash = claimHash({ ...msg, proofValidationStatus: 0 });
    check(`${t.label} claim hash`, hex(cHash) === t.claim_hash);
    const upokt = claimedUpokt(trie.sum(), bytes('ff'.repeat(32)), 42_000_000n, 1_000_000n);
    check(`${t.label} claimed uPOKT at default params`, upokt.toString() === String(t.claimed_upokt_default_params));
    const sample = proofRequirementSampleValue(cHash, bytes(t.proof_seed_block_hash));
    check(`${t.label} proof requirement sample`, floatBits(sample) === t.proof_requirement_sample_value_bits, `got ${sample}`);

    for (const p of t.proofs) {
      const label = p.label;
      if (p.path_derivation.startsWith('GetPathForProof')) {
        check(`${label} on-chain path`, hex(proofPath(bytes(t.proof_seed_block_hash), t.session_header.session_id)) === p.path);
      }
      const proof = trie.proveClosest(bytes(p.path));
      check(`${label} closest leaf`, hex(proof.closestPath) === p.closest_path && hex(proof.closestValueHash) === p.closest_value_hash);
      check(`${label} depth and flipped bits`, proof.depth === p.depth && JSON.stringify(proof.flippedBits) === JSON.stringify(p.flipped_bits));
      check(`${label} side nodes`, JSON.stringify(proof.closestProof.sideNodes.map(hex)) === JSON.stringify(p.side_nodes));
      // Go may emit an extension-node sibling (02…); ours must be byte-identical or hash to the same node
      const sibling = hex(proof.closestProof.siblingData);
      check(`${label} sibling data`, sibling === p.sibling_data || (p.sibling_data !== null && sibling !== null && smst.verifyClosestProof(proof, root)), `got ${sibling?.slice(0, 12)}`);
      const gob = smst.marshalSparseCompactMerkleClosestProof(smst.compactClosestProof(proof));
      if (sibling === p.sibling_data) check(`${label} compact proof gob (MsgSubmitProof.proof)`, hex(gob) === p.compact_proof_gob);
      const verdict = smst.checkClosestProofBytes(bytes(p.compact_proof_gob), root);
      check(`${label} Go's proof bytes verify against our root`, verdict.valid === p.verify_from_gob, JSON.stringify(verdict));
      check(`${label} our proof bytes verify`, smst.checkClosestProofBytes(gob, root).valid === true);
      check(`${label} relay bytes from the proof`, hex(smst.getValueHash(proof)) === p.relay_bytes_from_proof);
      const submit = { supplierOperatorAddress: t.supplier_operator_address, sessionHeader: header(t.session_header), proof: bytes(p.compact_proof_gob) };
      check(`${label} MsgSubmitProof bytes`, hex(MsgSubmitProof.marshal(submit)) === p.msg_submit_proof_hex);
      check(`${label} MsgSubmitProof Any`, hex(anyBytes(msgSubmitProofToAny(submit))) === p.any_hex);
    }
    trie.dispose();
  }
}

export default async function claimsProofs(json, check) {
  claimedUpoktCases(json, check);
  claimMessages(json, check);
  trees(json, check);
}
