/**
 * What a failed chain query becomes for the client. A query the chain answered with an error keeps
 * the chain's codespace and code (what the Go miner forwards from its gRPC client); a node that could
 * not be reached is an unregistered error, as in Go.
 */
import { ChainQueryError } from '@relayminer/chain';
import { RelayError } from '../types.js';
import { unregisteredRelayError } from './relay-errors.js';

export function relayErrorFromChainFailure(error: unknown, what: string): RelayError {
  if (error instanceof RelayError) return error;
  if (error instanceof ChainQueryError) {
    return new RelayError(error.codespace || 'undefined', error.abciCode, error.log || 'query failed', what);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return unregisteredRelayError(`${what}: ${reason}`);
}
