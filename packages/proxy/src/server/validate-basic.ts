/**
 * `RelayRequest.ValidateBasic` (implemented in auth/validate-basic.ts) as a type guard, so the rest of
 * the pipeline can rely on the metadata it checked.
 */
import type { RelayRequest, SessionHeader } from '@relayminer/protocol';
import { validateRelayRequestBasic as validateBasic } from '../auth/validate-basic.js';

export interface BasicValidRelayRequest extends RelayRequest {
  readonly meta: { sessionHeader: SessionHeader; signature: Uint8Array; supplierOperatorAddress: string };
}

/** Throws `service` 1111 unless the request passes the chain's ValidateBasic. */
export function validateRelayRequestBasic(request: RelayRequest): asserts request is BasicValidRelayRequest {
  validateBasic(request);
}
