/**
 * The shape checks the chain applies to a relay in a proof (RelayRequest.ValidateBasic and
 * RelayResponse.ValidateBasic, protocol.md §5.2). A relay failing them could never be proven, so
 * mining it would only put an unprovable leaf in the tree.
 */
import { sessionHeaderProblem, validateRelayRequestBasic } from '@relayminer/proxy';
import type { RelayRequest, RelayResponse } from '@relayminer/protocol';
import { InvalidRelayError } from './errors.js';

/** Why the request fails RelayRequest.ValidateBasic, or undefined when it passes. */
export function relayRequestProblem(request: RelayRequest): InvalidRelayError | undefined {
  try {
    validateRelayRequestBasic(request);
    return undefined;
  } catch (err) {
    // The proxy's error text is what the client saw; keep only the reason, never the bytes.
    return new InvalidRelayError('request', err instanceof Error ? err.message : 'ValidateBasic failed');
  }
}

/** Why the response fails RelayResponse.ValidateBasic, or undefined when it passes. */
export function relayResponseProblem(response: RelayResponse): InvalidRelayError | undefined {
  const meta = response?.meta;
  if (meta?.sessionHeader === undefined || meta.sessionHeader === null) return new InvalidRelayError('response', 'missing meta');
  const headerProblem = sessionHeaderProblem(meta.sessionHeader);
  if (headerProblem !== undefined) return new InvalidRelayError('response', `invalid session header: ${headerProblem}`);
  if (!meta.supplierOperatorSignature || meta.supplierOperatorSignature.length === 0) {
    return new InvalidRelayError('response', 'missing supplier operator signature');
  }
  return undefined;
}
