// sessions.json: session grid and window heights, grace checks, session ids, supplier selection.
import { sha3_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  computeSessionId,
  fromHex,
  isSessionGracePeriodElapsed,
  selectSessionSuppliers,
  sessionEndHeight,
  sessionGracePeriodEndHeight,
  sessionIdFromPreimage,
  sessionIdPreimage,
  sessionLifecycleHeights,
  sessionNumber,
  sessionStartHeight,
  sortSuppliersBySelectionWeight,
  supplierSelectionWeight,
  supplierWeightSeed,
  toHex,
  u64le,
  utf8ToBytes,
} from '@relayminer/protocol';
import { guarded } from '../checks.mjs';

const WINDOW_FIELDS = {
  session_number: 'sessionNumber',
  session_start_height: 'sessionStartHeight',
  session_end_height: 'sessionEndHeight',
  is_session_start_height: 'isSessionStartHeight',
  is_session_end_height: 'isSessionEndHeight',
  next_session_start_height: 'nextSessionStartHeight',
  grace_period_end_height: 'gracePeriodEndHeight',
  claim_window_open_height: 'claimWindowOpenHeight',
  claim_window_close_height: 'claimWindowCloseHeight',
  proof_window_open_height: 'proofWindowOpenHeight',
  proof_window_close_height: 'proofWindowCloseHeight',
  earliest_supplier_claim_commit_height: 'earliestSupplierClaimCommitHeight',
  earliest_supplier_proof_commit_height: 'earliestSupplierProofCommitHeight',
  proof_requirement_seed_block_height: 'proofRequirementSeedBlockHeight',
  session_end_to_proof_window_close_blocks: 'sessionEndToProofWindowCloseBlocks',
  settlement_height: 'settlementHeight',
  num_pending_sessions: 'numPendingSessions',
};

// expand(seed, n): the first n bytes of H(seed ":0") ‖ H(seed ":1") ‖ …
function expand(seed, n) {
  const parts = [];
  for (let i = 0; parts.length * 32 < n; i++) parts.push(sha256(utf8ToBytes(`${seed}:${i}`)));
  const out = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => out.set(p, i * 32));
  return out.slice(0, n);
}

function toParams(p) {
  return {
    numBlocksPerSession: BigInt(p.num_blocks_per_session),
    gracePeriodEndOffsetBlocks: BigInt(p.grace_period_end_offset_blocks),
    claimWindowOpenOffsetBlocks: BigInt(p.claim_window_open_offset_blocks),
    claimWindowCloseOffsetBlocks: BigInt(p.claim_window_close_offset_blocks),
    proofWindowOpenOffsetBlocks: BigInt(p.proof_window_open_offset_blocks),
    proofWindowCloseOffsetBlocks: BigInt(p.proof_window_close_offset_blocks),
    sessionGridAnchorHeight: BigInt(p.session_grid_anchor_height),
    sessionNumberAtAnchor: BigInt(p.session_number_at_anchor),
  };
}

const same = (got, want) => (typeof want === 'boolean' ? got === want : got === BigInt(want));

export default async (json, check) => {
  const params = new Map(json.params.map((p) => [p.label, toParams(p)]));

  for (const row of json.windows) {
    guarded(check, `windows ${row.params} h=${row.query_height}`, () => {
      const tag = `windows ${row.params} h=${row.query_height}`;
      const got = sessionLifecycleHeights(params.get(row.params), BigInt(row.query_height));
      for (const [field, key] of Object.entries(WINDOW_FIELDS)) {
        check(`${tag} ${field}`, same(got[key], row[field]), `got ${got[key]}, want ${row[field]}`);
      }
    });
  }

  for (const g of json.grace_checks) {
    guarded(check, `grace ${g.params} E=${g.session_end_height}`, () => {
      const tag = `grace ${g.params} E=${g.session_end_height} current=${g.current_height}`;
      const p = params.get(g.params);
      const end = BigInt(g.session_end_height);
      const graceEnd = sessionGracePeriodEndHeight(p, end);
      check(`${tag} grace_period_end_height`, graceEnd === BigInt(g.grace_period_end_height), `got ${graceEnd}`);
      const elapsed = isSessionGracePeriodElapsed(p, end, BigInt(g.current_height));
      check(`${tag} grace_period_elapsed`, elapsed === g.grace_period_elapsed, `got ${elapsed}`);
    });
  }

  const preimages = new Map();
  for (const c of json.session_ids) {
    guarded(check, `session_ids ${c.label}`, () => {
      const tag = `session_ids ${c.label}`;
      const p = params.get(c.params);
      const h = BigInt(c.query_height);
      const start = sessionStartHeight(p, h);
      check(`${tag} session_start_height`, start === BigInt(c.session_start_height), `got ${start}`);
      check(`${tag} session_end_height`, sessionEndHeight(p, h) === BigInt(c.session_end_height), `got ${sessionEndHeight(p, h)}`);
      check(`${tag} session_number`, sessionNumber(p, h) === BigInt(c.session_number), `got ${sessionNumber(p, h)}`);
      // The derivation names its own seed (the label prefix differs between vector sets).
      const derivation = /^expand\("(.*)", (\d+)\)$/.exec(c.block_hash_derivation ?? '');
      if (derivation) {
        check(`${tag} block hash seed names the start height`, derivation[1].endsWith(`block-hash/${start}`), derivation[1]);
        const derived = toHex(expand(derivation[1], Number(derivation[2])));
        check(`${tag} block_hash_at_session_start (derivation)`, derived === c.block_hash_at_session_start, `got ${derived}`);
      }
      check(`${tag} session_start_height_le64`, toHex(u64le(start)) === c.session_start_height_le64, toHex(u64le(start)));
      const input = {
        blockHashAtSessionStart: fromHex(c.block_hash_at_session_start),
        serviceId: c.service_id,
        applicationAddress: c.application_address,
        sessionStartHeight: start,
      };
      const preimage = sessionIdPreimage(input);
      preimages.set(c.label, preimage);
      check(`${tag} session_id_preimage`, toHex(preimage) === c.session_id_preimage, toHex(preimage));
      const id = computeSessionId(input);
      check(`${tag} session_id`, id === c.session_id, `got ${id}`);
      check(`${tag} session_id from preimage`, sessionIdFromPreimage(fromHex(c.session_id_preimage)) === c.session_id);
      if (c.repo_expected_session_id) check(`${tag} repo_expected_session_id`, id === c.repo_expected_session_id, `got ${id}`);
    });
  }

  for (const s of json.supplier_selection) {
    guarded(check, `supplier_selection ${s.label}`, () => {
      const tag = `supplier_selection ${s.label}`;
      const preimage = fromHex(s.session_id_preimage);
      const fromCase = preimages.get(s.session_id_case);
      check(`${tag} session_id_preimage matches ${s.session_id_case}`, fromCase !== undefined && toHex(fromCase) === s.session_id_preimage);
      s.candidates.forEach((cand, i) => {
        const ctag = `${tag} candidate ${i}`;
        const seed = supplierWeightSeed(preimage, cand.operator_address);
        check(`${ctag} weight_seed`, toHex(seed) === cand.weight_seed);
        check(`${ctag} weight_seed_sha3_256`, toHex(sha3_256(seed)) === cand.weight_seed_sha3_256);
        const w = supplierSelectionWeight(preimage, cand.operator_address);
        check(`${ctag} weight`, w === BigInt(cand.weight), `got ${w}, want ${cand.weight}`);
      });
      const addresses = s.candidates.map((c) => c.operator_address);
      const sorted = sortSuppliersBySelectionWeight(preimage, addresses);
      check(`${tag} sorted_operator_addresses`, JSON.stringify(sorted) === JSON.stringify(s.sorted_operator_addresses));
      const selected = selectSessionSuppliers(preimage, addresses, BigInt(s.num_suppliers_per_session));
      check(`${tag} selected_operator_addresses`, JSON.stringify(selected) === JSON.stringify(s.selected_operator_addresses));
    });
  }
};
