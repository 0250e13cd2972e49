/**
 * The persisted record of one session tree: enough to resume it after a restart. The relays
 * themselves are in the relay log; the root is kept once fixed, so a restarted miner proves exactly
 * what it claimed.
 */
import { SessionHeader } from '@relayminer/protocol';
import { SessionRecordError } from '../errors.js';
import type { SessionTreeState } from '../types.js';

export interface SessionRecord {
  readonly supplierOperatorAddress: string;
  readonly header: SessionHeader;
  readonly state: SessionTreeState;
  /** The 48-byte root, from the moment the tree was flushed for its claim. */
  readonly root?: Uint8Array;
}

const STATES: readonly SessionTreeState[] = ['open', 'claiming', 'claimed', 'proving'];
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

export function sessionKeyOf(supplierOperatorAddress: string, sessionId: string): string {
  return `${supplierOperatorAddress}/${sessionId}`;
}

export function encodeSessionRecord(r: SessionRecord): Uint8Array {
  const json = { v: 1, supplier: r.supplierOperatorAddress, header: hex(SessionHeader.marshal(r.header)), state: r.state, root: r.root && hex(r.root) };
  return new TextEncoder().encode(JSON.stringify(json));
}

export function decodeSessionRecord(key: string, bytes: Uint8Array): SessionRecord {
  let json: { v?: unknown; supplier?: unknown; header?: unknown; state?: unknown; root?: unknown };
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new SessionRecordError(`session record ${key} is not JSON`);
  }
  if (json.v !== 1) throw new SessionRecordError(`session record ${key} has unknown version ${String(json.v)}`);
  if (typeof json.supplier !== 'string' || typeof json.header !== 'string') throw new SessionRecordError(`session record ${key} lacks supplier or header`);
  if (!STATES.includes(json.state as SessionTreeState)) throw new SessionRecordError(`session record ${key} has unknown state ${String(json.state)}`);
  if (json.root !== undefined && (typeof json.root !== 'string' || json.root.length !== 96)) throw new SessionRecordError(`session record ${key} has a malformed root`);
  let header: SessionHeader;
  try {
    header = SessionHeader.unmarshal(unhex(json.header));
  } catch (error) {
    throw new SessionRecordError(`session record ${key} has an undecodable header: ${(error as Error).message}`);
  }
  return {
    supplierOperatorAddress: json.supplier,
    header,
    state: json.state as SessionTreeState,
    root: typeof json.root === 'string' ? unhex(json.root) : undefined,
  };
}
