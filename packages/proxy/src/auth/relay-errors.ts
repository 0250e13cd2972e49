/**
 * The registered errors a client can receive in RelayResponse.relay_miner_error (protocol.md §9),
 * with their exact codespace, code and description, so every part of the proxy rejects the way the
 * Go relay miner does.
 */
import { RelayError } from '../types.js';

export const REGISTERED_RELAY_ERRORS = Object.freeze({
  serviceNotHandled: { codespace: 'relayer_proxy', code: 3, description: 'service endpoint not handled by relayer proxy' },
  internal: { codespace: 'relayer_proxy', code: 5, description: 'internal error' },
  rateLimited: { codespace: 'relayer_proxy', code: 7, description: 'offchain rate limit hit by relayer proxy' },
  supplierNotReachable: { codespace: 'relayer_proxy', code: 9, description: 'supplier(s) not reachable' },
  requestTimeout: { codespace: 'relayer_proxy', code: 10, description: 'relayer proxy request timed out' },
  responseLimit: { codespace: 'relayer_proxy', code: 12, description: 'response limit exceed' },
  requestLimit: { codespace: 'relayer_proxy', code: 13, description: 'request limit exceed' },
  unmarshalRequest: { codespace: 'relayer_proxy', code: 14, description: 'failed to unmarshal relay request' },
  invalidSession: { codespace: 'relay_authenticator', code: 1, description: 'invalid session in relayer request' },
  supplierNotInSession: { codespace: 'relay_authenticator', code: 2, description: 'supplier does not belong to session' },
  missingSupplierAddress: { codespace: 'relay_authenticator', code: 6, description: 'supplier operator address is missing' },
  ringInvalidRequest: { codespace: 'rings', code: 2, description: 'invalid relay request' },
  ringInvalidSignature: { codespace: 'rings', code: 3, description: 'invalid relay request signature' },
  invalidRelayRequest: { codespace: 'service', code: 1111, description: 'invalid relay request' },
} as const);

export type RegisteredRelayError = keyof typeof REGISTERED_RELAY_ERRORS;

/** A RelayError with a registered codespace/code/description and our context. */
export function relayError(kind: RegisteredRelayError, context: string): RelayError {
  const e = REGISTERED_RELAY_ERRORS[kind];
  return new RelayError(e.codespace, e.code, e.description, context);
}

/** Go's reply for an error that is not registered (e.g. a transport failure reaching the node). */
export function unregisteredRelayError(context: string): RelayError {
  return new RelayError('undefined', 0, 'Unregistered error', context);
}
