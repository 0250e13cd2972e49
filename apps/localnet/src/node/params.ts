/**
 * Reading JSON-RPC params the way CometBFT does: named params, int64s as decimal strings (numbers are
 * tolerated), byte blobs as base64 (or 0x-hex when they came through a GET URI).
 */
import { fromBase64, fromHex, toBase64 } from './bytes.js';
import { invalidParams } from './errors.js';

export type Params = Record<string, unknown>;

export function optionalInt(params: Params, name: string): number | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw invalidParams(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

export function optionalString(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParams(`${name} must be a string`);
  return v;
}

export function requiredString(params: Params, name: string): string {
  const v = optionalString(params, name);
  if (v === undefined) throw invalidParams(`missing ${name}`);
  return v;
}

/** Bytes sent as base64 (JSON bodies; URI requests are converted by paramsFromSearch). */
export function requiredBytes(params: Params, name: string): Uint8Array {
  const v = requiredString(params, name);
  try {
    return fromBase64(v);
  } catch {
    throw invalidParams(`${name} must be base64`);
  }
}

/** abci_query's `data` is hex in JSON (cosmjs sends it without 0x). */
export function hexBytes(params: Params, name: string): Uint8Array {
  const v = optionalString(params, name) ?? '';
  try {
    return fromHex(v);
  } catch {
    throw invalidParams(`${name} must be hex`);
  }
}

/**
 * Turns a GET query string into named params. CometBFT's URI form quotes strings ("…"), leaves numbers bare
 * and writes bytes as 0x-hex; we strip the quotes and keep the rest as strings for the readers above.
 */
const BASE64_IN_JSON = new Set(['tx', 'hash']);

export function paramsFromSearch(search: URLSearchParams): Params {
  const out: Params = {};
  for (const [k, raw] of search) {
    const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
    const v = quoted ? raw.slice(1, -1) : raw;
    if (!quoted && /^0x/i.test(v) && BASE64_IN_JSON.has(k)) {
      // Byte params are base64 in JSON bodies; the URI form gives them as hex.
      out[k] = toBase64(fromHex(v));
    } else if (!quoted && /^0x/i.test(v)) {
      out[k] = v.slice(2);
    } else {
      out[k] = v === 'true' ? true : v === 'false' ? false : v;
    }
  }
  return out;
}
