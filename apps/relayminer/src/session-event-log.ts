/**
 * One log line per meaningful session event: what an operator follows to see claims and proofs go
 * through. High-volume events (trees created, relay log commits) are debug; failures are warnings,
 * and errors when final (the reward, or the claim's stake, is lost).
 */
import type { SessionEvent, SessionRef } from '@relayminer/sessions';
import type { LogFields, Logger } from './log/logger.js';
import { isValidProofStatus } from './proof-status.js';

export function logSessionEvent(log: Logger, event: SessionEvent): void {
  switch (event.kind) {
    case 'tree_created':
      return log.debug('session tree created', ref(event));
    case 'relays_persisted':
      return log.debug('relays persisted', { count: event.count, bytes: event.bytes, write_ms: event.writeMs });
    case 'relays_rejected':
      return log.warn('relays refused by the session store', { count: event.count, reason: event.reason, session_id: event.sessionId, service_id: event.serviceId });
    case 'claim_skipped':
      return log.info('claim skipped', { ...ref(event), reason: event.reason, claimed_upokt: event.claimedUpokt });
    case 'claims_submitted':
      return log.info('claims submitted', { ...batch(event), attempt: event.attempt });
    case 'claims_included':
      return log.info('claims included', {
        ...batch(event),
        tx_hash: event.txHash,
        height: event.height,
        relays: event.relays,
        compute_units: event.computeUnits,
        claimed_upokt: event.claimedUpokt,
      });
    case 'claims_failed':
      return (event.final ? log.error : log.warn).call(log, event.final ? 'claims failed' : 'claims failed, will retry', { ...batch(event), reason: event.reason });
    case 'proof_requirement':
      return log.debug('proof requirement', { ...ref(event), required: event.required, reason: event.reason });
    case 'proofs_submitted':
      return log.info('proofs submitted', { ...batch(event), attempt: event.attempt });
    case 'proofs_included':
      return log.info('proofs included', { ...batch(event), tx_hash: event.txHash, height: event.height });
    case 'proofs_failed':
      return (event.final ? log.error : log.warn).call(log, event.final ? 'proofs failed' : 'proofs failed, will retry', { ...batch(event), reason: event.reason });
    case 'proof_validated':
      return (isValidProofStatus(event.status) ? log.info : log.warn).call(log, 'proof validated', { ...ref(event), status: event.status });
    case 'session_done':
      return log.info('session done', { ...ref(event), outcome: event.outcome, relays: event.relays });
    case 'session_recovered':
      return log.info('session recovered', { ...ref(event), state: event.state, relays: event.relays, note: event.note });
    case 'error':
      return log.error('session manager error', { message: event.message, ...(event.session && ref(event.session)) });
    default:
      return log.debug('session event', { kind: (event as { kind: string }).kind });
  }
}

function ref(r: SessionRef): LogFields {
  return {
    supplier_operator_address: r.supplierOperatorAddress,
    service_id: r.serviceId,
    session_id: r.sessionId,
    application_address: r.applicationAddress,
    session_end_height: r.sessionEndHeight,
  };
}

function batch(e: { supplierOperatorAddress: string; sessionEndHeight: bigint; sessions: readonly SessionRef[] }): LogFields {
  return { supplier_operator_address: e.supplierOperatorAddress, session_end_height: e.sessionEndHeight, sessions: e.sessions.length };
}
