/**
 * The relay server's rejections, built from the registered error table in auth/relay-errors.ts (one
 * source for every codespace/code/description the proxy can send, protocol.md §9).
 */
import { relayError, unregisteredRelayError } from '../auth/relay-errors.js';
import { RelayError } from '../types.js';

export const proxyErrors = {
  serviceNotHandled: (context: string) => relayError('serviceNotHandled', context),
  internal: (context: string) => relayError('internal', context),
  rateLimited: (context: string) => relayError('rateLimited', context),
  supplierNotReachable: (context: string) => relayError('supplierNotReachable', context),
  timedOut: (context: string) => relayError('requestTimeout', context),
  responseLimit: (context: string) => relayError('responseLimit', context),
  requestLimit: (context: string) => relayError('requestLimit', context),
  unmarshalRequest: (context: string) => relayError('unmarshalRequest', context),
} as const;

/**
 * Any failure as the client sees it. Errors nobody registered (a bug, or an interface implementation
 * throwing something else) become Go's "unregistered error" shape; their text is not echoed because it
 * comes from code we do not control and could carry secrets.
 */
export function asRelayError(error: unknown): RelayError {
  if (error instanceof RelayError) return error;
  return unregisteredRelayError('');
}

/** `codespace:code`, the key the server counts rejections by. */
export const rejectionKey = (error: RelayError): string => `${error.codespace}:${error.code}`;
