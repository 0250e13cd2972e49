/**
 * JSON shapes exactly as CometBFT 0.38 prints them and cosmjs's comet38 decoders check them: HexBytes in
 * upper-case hex, []byte in base64, int64 as decimal strings, int32 as numbers.
 */
import type { AbciEvent, AbciTxResult } from '../abci.js';
import { VALIDATOR_ADDRESS, VALIDATOR_PUBKEY, type BlockHeader, type BlockId, type StoredBlock } from './block.js';
import { hexUpper, rfc3339Nano, toBase64 } from './bytes.js';
import type { EventMap } from './query.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function blockIdJson(id: BlockId | null): Json {
  if (!id) return { hash: '', parts: { total: 0, hash: '' } };
  return { hash: hexUpper(id.hash), parts: { total: 1, hash: hexUpper(id.partsHash) } };
}

export function headerJson(h: BlockHeader): Json {
  return {
    version: { block: '11', app: '0' },
    chain_id: h.chainId,
    height: String(h.height),
    time: rfc3339Nano(h.timeMs),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: hexUpper(h.lastCommitHash),
    data_hash: hexUpper(h.dataHash),
    validators_hash: hexUpper(h.validatorsHash),
    next_validators_hash: hexUpper(h.nextValidatorsHash),
    consensus_hash: hexUpper(h.consensusHash),
    app_hash: hexUpper(h.appHash),
    last_results_hash: hexUpper(h.lastResultsHash),
    evidence_hash: hexUpper(h.evidenceHash),
    proposer_address: hexUpper(h.proposerAddress),
  };
}

const FAKE_SIGNATURE = toBase64(new Uint8Array(64));

/** The commit for block `block` (what CometBFT stores as the next block's last_commit). */
export function commitJson(block: StoredBlock): Json {
  return {
    height: String(block.header.height),
    round: 0,
    block_id: blockIdJson(block.id),
    signatures: [
      {
        block_id_flag: 2,
        validator_address: hexUpper(VALIDATOR_ADDRESS),
        // The vote is cast just after the block time; any deterministic stamp will do.
        timestamp: rfc3339Nano(block.header.timeMs),
        signature: FAKE_SIGNATURE,
      },
    ],
  };
}

const EMPTY_LAST_COMMIT: Json = { height: '0', round: 0, block_id: blockIdJson(null), signatures: [] };

export function blockJson(block: StoredBlock, previous: StoredBlock | undefined): Json {
  return {
    header: headerJson(block.header),
    data: { txs: block.txs.map(toBase64) },
    evidence: { evidence: [] },
    last_commit: previous ? commitJson(previous) : EMPTY_LAST_COMMIT,
  };
}

export function eventJson(e: AbciEvent): Json {
  return {
    type: e.type,
    attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })),
  };
}

/** ExecTxResult / ResponseCheckTx. Go leaves empty bytes out as null; cosmjs accepts both. */
export function txResultJson(r: AbciTxResult): Json {
  return {
    code: r.code,
    data: r.data.length ? toBase64(r.data) : null,
    log: r.log,
    info: '',
    gas_wanted: r.gasWanted.toString(),
    gas_used: r.gasUsed.toString(),
    events: r.events.map(eventJson),
    codespace: r.codespace,
  };
}

export function txResponseJson(hash: string, height: number, index: number, tx: Uint8Array, r: AbciTxResult): Json {
  return { hash, height: String(height), index, tx_result: txResultJson(r), tx: toBase64(tx) };
}

export function blockResultsJson(block: StoredBlock): Json {
  return {
    height: String(block.header.height),
    txs_results: block.results.length ? block.results.map(txResultJson) : null,
    finalize_block_events: block.finalizeEvents.length ? block.finalizeEvents.map(eventJson) : null,
    validator_updates: null,
    consensus_param_updates: null,
    app_hash: toBase64(block.appHashAfter),
  };
}

export function blockMetaJson(block: StoredBlock): Json {
  return {
    block_id: blockIdJson(block.id),
    block_size: String(block.size),
    header: headerJson(block.header),
    num_txs: String(block.txs.length),
  };
}

export const VALIDATOR_PUBKEY_JSON: Json = { type: 'tendermint/PubKeyEd25519', value: toBase64(VALIDATOR_PUBKEY) };

/** Flattens events into CometBFT's composite-key map, the thing queries are matched against. */
export function flattenEvents(events: AbciEvent[], into: EventMap = {}): EventMap {
  for (const e of events) {
    for (const a of e.attributes) {
      const key = `${e.type}.${a.key}`;
      (into[key] ??= []).push(a.value);
    }
  }
  return into;
}
