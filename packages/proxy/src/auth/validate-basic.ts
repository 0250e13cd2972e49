/**
 * RelayRequest.ValidateBasic and SessionHeader.ValidateBasic of the chain (x/service, x/session):
 * the shape checks the server runs on every decoded request before anything costs a query.
 */
import { isValidBech32Address, type RelayRequest, type SessionHeader } from '@relayminer/protocol';
import type { RelayError } from '../types.js';
import { relayError } from './relay-errors.js';

const SERVICE_ID = /^[a-zA-Z0-9_-]+$/;
const MAX_SERVICE_ID_LENGTH = 42;

/** Why a session header fails the chain's ValidateBasic, or undefined when it passes. */
export function sessionHeaderProblem(header: SessionHeader | undefined): string | undefined {
  if (header === undefined || header === null) return 'missing session header';
  if (!isValidBech32Address(header.applicationAddress)) return 'invalid application address';
  if (header.sessionId === '') return 'missing session id';
  if (header.serviceId.length > MAX_SERVICE_ID_LENGTH || !SERVICE_ID.test(header.serviceId)) return 'invalid service id';
  if (header.sessionStartBlockHeight < 1n) return 'sessions can only start at height 1 or greater';
  if (header.sessionStartBlockHeight >= header.sessionEndBlockHeight) {
    return 'session end block height cannot be less than or equal to session start block height';
  }
  return undefined;
}

/** Throws `service` 1111 "invalid relay request" unless the request passes RelayRequest.ValidateBasic. */
export function validateRelayRequestBasic(request: RelayRequest): void {
  const problem = relayRequestProblem(request);
  if (problem !== undefined) throw problem;
}

function relayRequestProblem(request: RelayRequest): RelayError | undefined {
  const meta = request?.meta;
  const headerProblem = sessionHeaderProblem(meta?.sessionHeader);
  if (headerProblem !== undefined) return relayError('invalidRelayRequest', `invalid session header: ${headerProblem}`);
  if (!meta!.signature || meta!.signature.length === 0) return relayError('invalidRelayRequest', 'missing application signature');
  if (!meta!.supplierOperatorAddress) return relayError('invalidRelayRequest', 'relay metadata missing supplier operator address');
  return undefined;
}
