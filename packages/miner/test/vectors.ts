/** Served relays built from ../shared/vectors/protocol/relays.json, read at test time. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RelayRequest, RelayResponse } from '@relayminer/protocol';
import type { ServedRelay } from '@relayminer/proxy';

const VECTORS = fileURLToPath(new URL('../../../../shared/vectors/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const relaysJson: Json = JSON.parse(readFileSync(`${VECTORS}protocol/relays.json`, 'utf8'));

export const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const targets: Record<string, Uint8Array> = Object.fromEntries(
  relaysJson.difficulty_targets.map((t: Json) => [t.label, fromHex(t.target_hash)]),
);

/** A relay as the proxy would emit it, decoded from the Go-produced bytes. */
export function servedFromVector(v: Json): ServedRelay {
  const request = RelayRequest.unmarshal(fromHex(v.request_hex));
  const response = RelayResponse.unmarshal(fromHex(v.response_hex));
  const header = request.meta!.sessionHeader!;
  return {
    request,
    response,
    sessionHeader: header,
    serviceId: header.serviceId,
    supplierOperatorAddress: request.meta!.supplierOperatorAddress,
    receivedAtHeight: header.sessionStartBlockHeight,
  };
}

export const vectorRelays: { label: string; served: ServedRelay; v: Json }[] = relaysJson.relays.map((v: Json) => ({
  label: v.label,
  served: servedFromVector(v),
  v,
}));
