/**
 * Block headers and their deterministic hash. The hash is not CometBFT's real header hash (that needs
 * protobuf-encoded fields under an RFC 6962 tree); it is sha256 over a tagged, length-prefixed encoding of
 * every header field. What matters to clients is that one value is used everywhere: block_id.hash, the
 * next header's last_block_id, status, events and the hash handed to the app.
 */
import type { AbciEvent, AbciTxResult } from '../abci.js';
import { sha256, u64be, utf8 } from './bytes.js';

export interface BlockId {
  hash: Uint8Array;
  /** A single part per block; its hash only has to be stable and non-empty. */
  partsHash: Uint8Array;
}

export interface BlockHeader {
  chainId: string;
  height: number;
  timeMs: number;
  lastBlockId: BlockId | null;
  lastCommitHash: Uint8Array;
  dataHash: Uint8Array;
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
  consensusHash: Uint8Array;
  /** App hash after the previous block (CometBFT semantics: header H carries the state root of H-1). */
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  evidenceHash: Uint8Array;
  proposerAddress: Uint8Array;
}

export interface StoredBlock {
  header: BlockHeader;
  id: BlockId;
  txs: Uint8Array[];
  /** Upper-case hex sha256 of each tx, in block order. */
  txHashes: string[];
  results: AbciTxResult[];
  finalizeEvents: AbciEvent[];
  /** App hash returned by commit() for this block. */
  appHashAfter: Uint8Array;
  /** Rough serialized size, for block_metas[].block_size. */
  size: number;
}

/** The one fake validator. Its key is fixed so that status and commits are reproducible. */
export const VALIDATOR_PUBKEY = sha256(utf8('localnet validator ed25519 public key'));
export const VALIDATOR_ADDRESS = sha256(VALIDATOR_PUBKEY).slice(0, 20);
export const VALIDATOR_POWER = 10n;
const VALIDATOR_SET_HASH = sha256(VALIDATOR_ADDRESS, VALIDATOR_PUBKEY, u64be(VALIDATOR_POWER));
const CONSENSUS_PARAMS_HASH = sha256(utf8('localnet consensus params v1'));

const EMPTY_HASH = sha256();

/** RFC 6962 tree (leaf 0x00, inner 0x01, split at the largest power of two below n), as CometBFT uses. */
export function merkleRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_HASH;
  if (leaves.length === 1) return sha256(Uint8Array.of(0), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Uint8Array.of(1), merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

function resultLeaf(r: AbciTxResult): Uint8Array {
  // Only the deterministic parts of a result, like CometBFT's last_results_hash.
  return sha256(u64be(r.code), r.data, u64be(r.gasWanted), u64be(r.gasUsed));
}

export function lastCommitHash(lastBlockId: BlockId | null, lastHeight: number): Uint8Array {
  if (!lastBlockId) return new Uint8Array();
  return sha256(utf8('commit'), u64be(lastHeight), lastBlockId.hash, VALIDATOR_ADDRESS);
}

export interface HeaderInputs {
  chainId: string;
  height: number;
  timeMs: number;
  previous: StoredBlock | undefined;
  txs: Uint8Array[];
  appHash: Uint8Array;
}

export function buildHeader(inp: HeaderInputs): BlockHeader {
  const lastBlockId = inp.previous ? inp.previous.id : null;
  return {
    chainId: inp.chainId,
    height: inp.height,
    timeMs: inp.timeMs,
    lastBlockId,
    lastCommitHash: lastCommitHash(lastBlockId, inp.height - 1),
    dataHash: merkleRoot(inp.txs.map((tx) => sha256(tx))),
    validatorsHash: VALIDATOR_SET_HASH,
    nextValidatorsHash: VALIDATOR_SET_HASH,
    consensusHash: CONSENSUS_PARAMS_HASH,
    appHash: inp.appHash,
    lastResultsHash: inp.previous ? merkleRoot(inp.previous.results.map(resultLeaf)) : EMPTY_HASH,
    evidenceHash: EMPTY_HASH,
    proposerAddress: VALIDATOR_ADDRESS,
  };
}

function field(tag: number, bytes: Uint8Array): Uint8Array[] {
  const prefix = new Uint8Array(5);
  prefix[0] = tag;
  new DataView(prefix.buffer).setUint32(1, bytes.length);
  return [prefix, bytes];
}

/** The canonical encoding: each field tagged and length-prefixed, in header order. */
export function encodeHeader(h: BlockHeader): Uint8Array[] {
  return [
    ...field(1, utf8('localnet-header-v1')),
    ...field(2, utf8(h.chainId)),
    ...field(3, u64be(h.height)),
    ...field(4, u64be(h.timeMs)),
    ...field(5, h.lastBlockId?.hash ?? new Uint8Array()),
    ...field(6, h.lastBlockId?.partsHash ?? new Uint8Array()),
    ...field(7, h.lastCommitHash),
    ...field(8, h.dataHash),
    ...field(9, h.validatorsHash),
    ...field(10, h.nextValidatorsHash),
    ...field(11, h.consensusHash),
    ...field(12, h.appHash),
    ...field(13, h.lastResultsHash),
    ...field(14, h.evidenceHash),
    ...field(15, h.proposerAddress),
  ];
}

export function blockIdOf(h: BlockHeader, txs: Uint8Array[]): BlockId {
  const hash = sha256(...encodeHeader(h));
  const partsHash = sha256(utf8('parts'), hash, ...txs.map((tx) => sha256(tx)));
  return { hash, partsHash };
}
