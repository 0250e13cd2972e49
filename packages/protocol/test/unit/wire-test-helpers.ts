/**
 * Test helpers for the wire/relay suites: loading the shared golden vectors (never copied into the repo)
 * and turning their JSON views (protocol/README.md "JSON views of messages") into ts-proto objects.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../src/bytes.js';
import type { Claim, Relay, RelayRequest, RelayResponse, SessionHeader } from '../../src/wire/index.js';

const vectorsDir = new URL('../../../../../shared/vectors/', import.meta.url);

export type Json = any;

export function loadVectors(file: string): Json {
  return JSON.parse(readFileSync(fileURLToPath(new URL(file, vectorsDir)), 'utf8'));
}

/** `null` and `""` both mean "no bytes" for a field without presence. */
function bytesOf(hex: string | null | undefined): Uint8Array {
  return hex ? fromHex(hex) : new Uint8Array(0);
}

export function headerFromView(v: Json): SessionHeader | undefined {
  if (v === null || v === undefined) return undefined;
  return {
    applicationAddress: v.application_address ?? '',
    serviceId: v.service_id ?? '',
    sessionId: v.session_id ?? '',
    sessionStartBlockHeight: BigInt(v.session_start_block_height ?? 0),
    sessionEndBlockHeight: BigInt(v.session_end_block_height ?? 0),
  };
}

export function requestFromView(v: Json): RelayRequest | undefined {
  if (v === null || v === undefined) return undefined;
  return {
    meta: {
      sessionHeader: headerFromView(v.meta?.session_header),
      signature: bytesOf(v.meta?.signature),
      supplierOperatorAddress: v.meta?.supplier_operator_address ?? '',
    },
    payload: bytesOf(v.payload),
  };
}

export function responseFromView(v: Json): RelayResponse | undefined {
  if (v === null || v === undefined) return undefined;
  const e = v.relay_miner_error;
  return {
    meta: {
      sessionHeader: headerFromView(v.meta?.session_header),
      supplierOperatorSignature: bytesOf(v.meta?.supplier_operator_signature),
    },
    payload: bytesOf(v.payload),
    relayMinerError: e ? { codespace: e.codespace ?? '', code: e.code ?? 0, description: e.description ?? '', message: e.message ?? '' } : undefined,
    // payload_hash keeps Go's presence: null = absent, "" = present and empty.
    payloadHash: v.payload_hash === null || v.payload_hash === undefined ? undefined : fromHex(v.payload_hash),
  };
}

export function relayFromView(v: Json): Relay {
  return { req: requestFromView(v.req), res: responseFromView(v.res) };
}

export function claimFromView(v: Json): Claim {
  return {
    supplierOperatorAddress: v.supplier_operator_address ?? '',
    sessionHeader: headerFromView(v.session_header),
    rootHash: bytesOf(v.root_hash),
    proofValidationStatus: v.proof_validation_status ?? 0,
  };
}

/** The ts-proto object a decode_reencode case's `decoded` view stands for. */
export function messageFromView(type: string, v: Json): unknown {
  switch (type) {
    case 'SessionHeader':
      return headerFromView(v);
    case 'RelayRequest':
      return requestFromView(v);
    case 'RelayResponse':
      return responseFromView(v);
    case 'Relay':
      return relayFromView(v);
    case 'Claim':
      return claimFromView(v);
    case 'MsgCreateClaim': {
      const { proofValidationStatus: _, ...msg } = claimFromView(v);
      return msg;
    }
  }
  throw new Error(`no view converter for ${type}`);
}

/** `[name, case]` rows for test.each, named by the case's `key` field. */
export function rows(list: Json[], key = 'label'): [string, Json][] {
  return list.map((c) => [String(c[key]), c]);
}
