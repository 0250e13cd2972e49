/**
 * The proof module: MsgCreateClaim and MsgSubmitProof (chain.md §5.3, §5.4), the proof EndBlocker
 * (§5.5) and a tokenomics-lite settlement (§5.6). Handlers throw GrpcStatusError with the chain's
 * status code and text; the tx runner turns that into a failed DeliverTx.
 */
import {
  RingVerifier,
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  Relay,
  bytesEqual,
  claimHash,
  claimWindowCloseHeight,
  claimedUpokt,
  earliestSupplierClaimCommitHeight,
  earliestSupplierProofCommitHeight,
  fromHex,
  isRelayMinable,
  numEstimatedComputeUnits,
  numEstimatedRelays,
  proofPath,
  proofRequirement,
  proofRequirementSeedBlockHeight,
  proofWindowCloseHeight,
  readU64be,
  relayHash,
  relayRequestSignableHash,
  ringAddressesForSession,
  verifyRelayResponseSignature,
  type MsgCreateClaim,
  type MsgSubmitProof,
  type pocket,
} from '@relayminer/protocol';
import { checkClosestProofBytes, decompactClosestProof, unmarshalSparseCompactMerkleClosestProof } from '@relayminer/smst';
import type { AbciEvent } from '../abci.js';
import { coinJson } from './coins.js';
import { GrpcStatusError, moduleErrorText, type GrpcCode } from './errors.js';
import { typedEvent } from './events.js';
import { HydrationError, hydrateSession, sessionHeaderProblem } from './session.js';
import { claimKey, cuprAt, difficultyAt, sharedParamsAt, type AppState, type ClaimRecord, type ClaimStatus, type ProofRecord } from './state.js';

export const CLAIM_STATUS_INT: Record<ClaimStatus, number> = { PENDING_VALIDATION: 0, VALIDATED: 1, INVALID: 2 };

function fail(code: GrpcCode, description: string, detail: string, reason: string): GrpcStatusError {
  return new GrpcStatusError(code, moduleErrorText(description, detail), reason);
}

/** Hydrates the header's session at its start and checks id and supplier membership (§5.3 step 2). */
function hydrateForMsg(state: AppState, header: pocket.session.SessionHeader, supplier: string, code: GrpcCode): pocket.session.SessionHeader {
  let hydrated;
  try {
    hydrated = hydrateSession(state, header.applicationAddress, header.serviceId, header.sessionStartBlockHeight);
  } catch (e) {
    if (e instanceof HydrationError) throw fail(code, 'error during session hydration', e.message, 'SESSION_HYDRATION_FAILED');
    throw e;
  }
  if (hydrated.header.sessionId !== header.sessionId)
    throw fail(
      code,
      'invalid session ID',
      `session ID does not match onchain session ID; expected ${JSON.stringify(hydrated.header.sessionId)}, got ${JSON.stringify(header.sessionId)}`,
      'SESSION_ID_MISMATCH',
    );
  if (!hydrated.supplierAddresses.includes(supplier))
    throw fail(code, 'supplier not found', `supplier operator address ${JSON.stringify(supplier)} not found in session ID ${JSON.stringify(header.sessionId)}`, 'SUPPLIER_NOT_IN_SESSION');
  return hydrated.header;
}

function rootSum(root: Uint8Array): bigint {
  return readU64be(root, 32);
}

function rootCount(root: Uint8Array): bigint {
  return readU64be(root, 40);
}

function claimEventFields(state: AppState, claim: ClaimRecord): Record<string, string | number | bigint | { denom: string; amount: string }> {
  const h = claim.sessionHeader;
  const start = h.sessionStartBlockHeight;
  const target = difficultyAt(state, h.serviceId, start).record.targetHash;
  const pricing = sharedParamsAt(state, start);
  const sum = rootSum(claim.rootHash);
  const count = rootCount(claim.rootHash);
  return {
    num_relays: count,
    num_claimed_compute_units: sum,
    num_estimated_compute_units: numEstimatedComputeUnits(sum, target),
    num_estimated_relays: numEstimatedRelays(sum, count, target),
    claimed_upokt: coinJson(claimedUpokt(sum, target, pricing.computeUnitsToTokensMultiplier, pricing.computeUnitCostGranularity)),
    service_id: h.serviceId,
    application_address: h.applicationAddress,
    session_end_block_height: h.sessionEndBlockHeight,
    claim_proof_status_int: CLAIM_STATUS_INT[claim.status],
    supplier_operator_address: claim.supplierOperatorAddress,
  };
}

export function handleCreateClaim(state: AppState, height: bigint, msg: MsgCreateClaim, msgIndex: number): AbciEvent[] {
  const header = msg.sessionHeader!;
  const supplier = msg.supplierOperatorAddress;
  hydrateForMsg(state, header, supplier, 'InvalidArgument');

  // windows come from params at the msg's own end height (the chain takes E as given)
  const end = header.sessionEndBlockHeight;
  const p = sharedParamsAt(state, end);
  const open = earliestSupplierClaimCommitHeight(p, end);
  const close = claimWindowCloseHeight(p, end);
  const windowText = "claim attempted outside of the session's claim window";
  if (height < open)
    throw fail('FailedPrecondition', windowText, `current block height (${height}) is less than session claim window open height (${open})`, 'CLAIM_OUTSIDE_WINDOW');
  if (height > close)
    throw fail('FailedPrecondition', windowText, `current block height (${height}) is greater than session claim window close height (${close})`, 'CLAIM_OUTSIDE_WINDOW');

  const numRelays = rootCount(msg.rootHash);
  const numCu = rootSum(msg.rootHash);
  const cupr = cuprAt(state, header.serviceId, header.sessionStartBlockHeight);
  if (cupr === undefined) throw fail('NotFound', 'service not found', `service ${JSON.stringify(header.serviceId)} not found`, 'SERVICE_NOT_FOUND');
  if (numCu !== numRelays * cupr)
    throw fail(
      'InvalidArgument',
      'compute units mismatch',
      `claimed compute units (${numCu}) != number of relays (${numRelays}) * compute units per relay (${cupr})`,
      'COMPUTE_UNITS_MISMATCH',
    );

  const key = claimKey(header.sessionId, supplier);
  const existed = state.claims.has(key);
  const claim: ClaimRecord = {
    supplierOperatorAddress: supplier,
    sessionHeader: { ...header },
    rootHash: msg.rootHash.slice(),
    status: 'PENDING_VALIDATION',
    claimedAtHeight: height,
  };
  state.claims.set(key, claim);
  state.claimLog.set(key, structuredClone(claim));
  return [typedEvent(existed ? 'pocket.proof.EventClaimUpdated' : 'pocket.proof.EventClaimCreated', claimEventFields(state, claim), msgIndex)];
}

interface DecodedProof {
  path: Uint8Array;
  relayBytes: Uint8Array;
  relay: Relay;
}

/** Gob-decodes and decompacts the proof, then decodes its relay (§5.4 2d–2e). Throws a reason text. */
function decodeProof(bytes: Uint8Array): DecodedProof | { problem: string; reason: 'MALFORMED_PROOF' | 'INVALID_RELAY' } {
  let valueHash: Uint8Array | null;
  let path: Uint8Array;
  try {
    const proof = decompactClosestProof(unmarshalSparseCompactMerkleClosestProof(bytes));
    valueHash = proof.closestValueHash;
    path = proof.path;
  } catch (e) {
    return { problem: `failed to decode the proof: ${(e as Error).message}`, reason: 'MALFORMED_PROOF' };
  }
  const relayBytes = (valueHash ?? new Uint8Array(0)).subarray(0, Math.max(0, (valueHash?.length ?? 0) - 16));
  try {
    return { path, relayBytes, relay: Relay.unmarshal(relayBytes) };
  } catch (e) {
    return { problem: `failed to decode the relay: ${(e as Error).message}`, reason: 'INVALID_RELAY' };
  }
}

function headersMatch(a: pocket.session.SessionHeader | undefined, b: pocket.session.SessionHeader): boolean {
  return (
    !!a &&
    a.applicationAddress === b.applicationAddress &&
    a.serviceId === b.serviceId &&
    a.sessionId === b.sessionId &&
    a.sessionStartBlockHeight === b.sessionStartBlockHeight &&
    a.sessionEndBlockHeight === b.sessionEndBlockHeight
  );
}

/** Whether the claim needs a proof (§5.4 step 5), with the pieces the decision used. */
export function claimProofRequirement(state: AppState, claim: ClaimRecord) {
  const h = claim.sessionHeader;
  const start = h.sessionStartBlockHeight;
  const pricing = sharedParamsAt(state, start);
  const seedHeight = proofRequirementSeedBlockHeight(sharedParamsAt(state, h.sessionEndBlockHeight), h.sessionEndBlockHeight);
  return proofRequirement({
    claimHash: claimHash({ supplierOperatorAddress: claim.supplierOperatorAddress, sessionHeader: h, rootHash: claim.rootHash, proofValidationStatus: 0 }),
    proofSeedBlockHash: state.blockHashes.get(seedHeight) ?? new Uint8Array(0),
    rootSum: rootSum(claim.rootHash),
    targetHash: difficultyAt(state, h.serviceId, start).record.targetHash,
    computeUnitsToTokensMultiplier: pricing.computeUnitsToTokensMultiplier,
    computeUnitCostGranularity: pricing.computeUnitCostGranularity,
    proofRequirementThresholdUpokt: state.proofParams.proofRequirementThreshold,
    proofRequestProbability: state.proofParams.proofRequestProbability,
  });
}

export function handleSubmitProof(state: AppState, height: bigint, msg: MsgSubmitProof, msgIndex: number): AbciEvent[] {
  const supplier = msg.supplierOperatorAddress;
  const header = hydrateForMsg(state, msg.sessionHeader!, supplier, 'FailedPrecondition');
  const end = header.sessionEndBlockHeight;
  const p = sharedParamsAt(state, end);
  const open = earliestSupplierProofCommitHeight(p, end);
  const close = proofWindowCloseHeight(p, end);
  const windowText = "proof attempted outside of the session's proof window";
  if (height < open)
    throw fail('FailedPrecondition', windowText, `current block height (${height}) is less than session proof window open height (${open})`, 'PROOF_OUTSIDE_WINDOW');
  if (height > close)
    throw fail('FailedPrecondition', windowText, `current block height (${height}) is greater than session proof window close height (${close})`, 'PROOF_OUTSIDE_WINDOW');

  const decoded = decodeProof(msg.proof);
  if ('problem' in decoded)
    throw fail('FailedPrecondition', decoded.reason === 'MALFORMED_PROOF' ? 'invalid proof' : 'invalid relay', decoded.problem, decoded.reason);
  const { relay, relayBytes } = decoded;
  const req = relay.req;
  const res = relay.res;
  const reqProblem = !req
    ? 'relay request is missing'
    : (sessionHeaderProblem(req.meta?.sessionHeader) ??
      (req.meta?.signature?.length ? undefined : 'relay request signature is empty') ??
      (req.meta?.supplierOperatorAddress ? undefined : 'relay request supplier operator address is empty'));
  if (reqProblem) throw fail('FailedPrecondition', 'invalid relay request', reqProblem, 'INVALID_RELAY_REQUEST');
  const reqMeta = req!.meta!;
  const resMeta = res!.meta!;
  if (reqMeta.supplierOperatorAddress !== supplier)
    throw fail(
      'FailedPrecondition',
      'supplier operator address mismatch',
      `relay request supplier ${JSON.stringify(reqMeta.supplierOperatorAddress)} is not the message signer ${JSON.stringify(supplier)}`,
      'SUPPLIER_MISMATCH',
    );
  const resProblem = !res
    ? 'relay response is missing'
    : (sessionHeaderProblem(res.meta?.sessionHeader) ?? (res.meta?.supplierOperatorSignature?.length ? undefined : 'relay response signature is empty'));
  if (resProblem) throw fail('FailedPrecondition', 'invalid relay response', resProblem, 'INVALID_RELAY_RESPONSE');
  if (!headersMatch(reqMeta.sessionHeader, header) || !headersMatch(resMeta.sessionHeader, header))
    throw fail('FailedPrecondition', 'invalid relay', 'the relay session header does not match the onchain session header', 'RELAY_SESSION_MISMATCH');

  const target = difficultyAt(state, header.serviceId, header.sessionStartBlockHeight).record.targetHash;
  if (!isRelayMinable(relayHash(relayBytes), target))
    throw fail(
      'FailedPrecondition',
      'invalid relay difficulty',
      `relay hash ${Buffer.from(relayHash(relayBytes)).toString('hex')} is not below the target ${Buffer.from(target).toString('hex')}`,
      'DIFFICULTY',
    );

  const key = claimKey(header.sessionId, supplier);
  const claim = state.claims.get(key);
  if (!claim)
    throw fail('FailedPrecondition', 'claim not found', `no claim for session ${header.sessionId} and supplier ${supplier}`, 'CLAIM_NOT_FOUND');
  const ch = claim.sessionHeader;
  if (
    ch.sessionStartBlockHeight !== header.sessionStartBlockHeight ||
    ch.sessionEndBlockHeight !== header.sessionEndBlockHeight ||
    ch.applicationAddress !== header.applicationAddress ||
    ch.serviceId !== header.serviceId
  )
    throw fail('FailedPrecondition', 'invalid session header', 'the claim session header does not match the onchain session header', 'CLAIM_HEADER_MISMATCH');

  const fee = state.proofParams.proofSubmissionFee;
  const account = state.accounts.get(supplier);
  const balance = account?.balance ?? 0n;
  if (balance <= fee)
    throw fail('FailedPrecondition', 'not enough funds to submit proof', `account has ${balance}upokt, but the proof submission fee is ${fee}upokt`, 'NOT_ENOUGH_FUNDS');
  account!.balance -= fee;
  state.proofModuleBalance += fee;

  const requirement = claimProofRequirement(state, claim);
  if (!requirement.required)
    throw fail('FailedPrecondition', 'proof not required', `claim for session ${header.sessionId} does not require a proof`, 'NOT_REQUIRED');
  claim.proofRequired = true;
  claim.proofRequirementReason = requirement.reason;

  const existed = state.pendingProofs.has(key);
  state.pendingProofs.set(key, {
    supplierOperatorAddress: supplier,
    sessionHeader: { ...header },
    proofBytes: msg.proof.slice(),
    submittedAtHeight: height,
    status: 'PENDING',
  });
  return [
    typedEvent(
      existed ? 'pocket.proof.EventProofUpdated' : 'pocket.proof.EventProofSubmitted',
      claimEventFields(state, claim),
      msgIndex,
    ),
  ];
}

type ValidationFailure = { reason: string; code: string };

/** §5.5 step 2: signatures, path and closest proof of one stored proof. */
function validateProof(state: AppState, proof: ProofRecord, claim: ClaimRecord, ring: RingVerifier): ValidationFailure | undefined {
  const supplierKey = state.accounts.get(proof.supplierOperatorAddress)?.publicKey;
  if (!supplierKey) return { code: 'SUPPLIER_PUBKEY_MISSING', reason: `supplier ${proof.supplierOperatorAddress} has no public key on chain` };
  const decoded = decodeProof(proof.proofBytes);
  if ('problem' in decoded) return { code: decoded.reason, reason: decoded.problem };
  const req = decoded.relay.req!;
  const res = decoded.relay.res!;

  const reqHeader = req.meta!.sessionHeader!;
  const app = state.applications.get(reqHeader.applicationAddress);
  if (!app) return { code: 'BAD_RING_SIG', reason: `application ${reqHeader.applicationAddress} not found` };
  const pending: Record<string, { gatewayAddresses: string[] }> = {};
  for (const [h, list] of app.pendingUndelegations) pending[h.toString()] = { gatewayAddresses: list.gatewayAddresses };
  const addresses = ringAddressesForSession({ address: app.address, delegateeGatewayAddresses: app.delegateeGatewayAddresses, pendingUndelegations: pending }, reqHeader.sessionEndBlockHeight);
  const keys: Uint8Array[] = [];
  for (const address of addresses) {
    const key = address === RING_PLACEHOLDER_ADDRESS ? fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX) : state.accounts.get(address)?.publicKey;
    if (!key) return { code: 'BAD_RING_SIG', reason: `ring member ${address} has no public key on chain` };
    keys.push(key);
  }
  let ringVerdict;
  try {
    ringVerdict = ring.verifyRelay(relayRequestSignableHash(req), req.meta!.signature, keys);
  } catch (e) {
    ringVerdict = { ok: false as const, message: (e as Error).message };
  }
  if (!ringVerdict.ok) return { code: 'BAD_RING_SIG', reason: `invalid ring signature: ${ringVerdict.message}` };

  let supplierOk = false;
  try {
    supplierOk = verifyRelayResponseSignature(res, supplierKey);
  } catch {
    supplierOk = false;
  }
  if (!supplierOk) return { code: 'BAD_SUPPLIER_SIG', reason: 'invalid relay response signature' };

  const h = claim.sessionHeader;
  const seedHeight = proofRequirementSeedBlockHeight(sharedParamsAt(state, h.sessionEndBlockHeight), h.sessionEndBlockHeight);
  const expectedPath = proofPath(state.blockHashes.get(seedHeight) ?? new Uint8Array(0), h.sessionId);
  if (!bytesEqual(decoded.path, expectedPath))
    return {
      code: 'BAD_PATH',
      reason: `the path of the proof (${Buffer.from(decoded.path).toString('hex')}) is not the expected path (${Buffer.from(expectedPath).toString('hex')})`,
    };

  const check = checkClosestProofBytes(proof.proofBytes, claim.rootHash);
  if (!check.valid) return { code: 'BAD_CLOSEST_PROOF', reason: `invalid closest merkle proof (${check.stage}): ${check.error ?? 'does not verify'}` };
  return undefined;
}

/** The proof EndBlocker: validates every proof stored in this block, then drops it. */
export function validateProofsEndBlock(state: AppState, height: bigint, ring: RingVerifier): AbciEvent[] {
  const events: AbciEvent[] = [];
  for (const [key, proof] of state.pendingProofs) {
    const claim = state.claims.get(key);
    if (!claim) continue;
    const failure = validateProof(state, proof, claim, ring);
    claim.status = failure ? 'INVALID' : 'VALIDATED';
    proof.status = claim.status;
    if (failure) {
      claim.failureReason = proof.failureReason = failure.reason;
      claim.failureCode = proof.failureCode = failure.code;
    } else {
      delete claim.failureReason;
      delete claim.failureCode;
    }
    state.claimLog.set(key, structuredClone(claim));
    state.proofLog.push(structuredClone(proof));
    const h = claim.sessionHeader;
    events.push(
      typedEvent('pocket.proof.EventProofValidityChecked', {
        block_height: height,
        failure_reason: failure?.reason ?? '',
        service_id: h.serviceId,
        application_address: h.applicationAddress,
        session_end_block_height: h.sessionEndBlockHeight,
        claim_proof_status_int: CLAIM_STATUS_INT[claim.status],
        supplier_operator_address: claim.supplierOperatorAddress,
      }),
    );
  }
  state.pendingProofs.clear();
  return events;
}

/** Settles the claims whose proof window closes at `height` (§5.6): events only, plus the slash. */
export function settleClaimsEndBlock(state: AppState, height: bigint): AbciEvent[] {
  const events: AbciEvent[] = [];
  for (const [key, claim] of [...state.claims]) {
    const end = claim.sessionHeader.sessionEndBlockHeight;
    if (proofWindowCloseHeight(sharedParamsAt(state, end), end) !== height) continue;
    const requirement = claimProofRequirement(state, claim);
    const fields = claimEventFields(state, claim);
    let outcome: ClaimRecord['settlement'];
    if (!requirement.required || claim.status === 'VALIDATED') outcome = 'SETTLED';
    else outcome = claim.status === 'INVALID' ? 'EXPIRED_PROOF_INVALID' : 'EXPIRED_PROOF_MISSING';
    if (outcome === 'SETTLED') {
      events.push(typedEvent('pocket.tokenomics.EventClaimSettled', { ...fields, proof_requirement_int: ['NOT_REQUIRED', 'PROBABILISTIC', 'THRESHOLD'].indexOf(requirement.reason) }));
    } else {
      events.push(
        typedEvent('pocket.tokenomics.EventClaimExpired', {
          ...fields,
          expiration_reason: outcome === 'EXPIRED_PROOF_INVALID' ? 'PROOF_INVALID' : 'PROOF_MISSING',
        }),
      );
      const supplier = state.suppliers.get(claim.supplierOperatorAddress);
      if (supplier?.stake) {
        const stake = BigInt(supplier.stake.amount);
        const penalty = state.proofParams.proofMissingPenalty < stake ? state.proofParams.proofMissingPenalty : stake;
        supplier.stake = { denom: supplier.stake.denom, amount: (stake - penalty).toString() };
        events.push(
          typedEvent('pocket.tokenomics.EventSupplierSlashed', {
            supplier_operator_address: claim.supplierOperatorAddress,
            proof_missing_penalty: coinJson(penalty),
            service_id: claim.sessionHeader.serviceId,
            application_address: claim.sessionHeader.applicationAddress,
            session_end_block_height: end,
          }),
        );
      }
    }
    claim.settlement = outcome;
    const logged = state.claimLog.get(key);
    if (logged) logged.settlement = outcome;
    state.settlementLog.push({
      height,
      sessionId: claim.sessionHeader.sessionId,
      supplierOperatorAddress: claim.supplierOperatorAddress,
      applicationAddress: claim.sessionHeader.applicationAddress,
      serviceId: claim.sessionHeader.serviceId,
      sessionEndHeight: end,
      outcome,
      claimedUpokt: requirement.claimedUpokt,
    });
    state.claims.delete(key);
  }
  return events;
}

export { claimKey };
