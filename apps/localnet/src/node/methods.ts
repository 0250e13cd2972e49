/**
 * The JSON-RPC methods a Pocket client uses, answered from the chain and the app. Result shapes follow
 * CometBFT 0.38; comments note where a choice was made for cosmjs's decoders.
 */
import type { LocalnetApp } from '../abci.js';
import { VALIDATOR_ADDRESS, type StoredBlock } from './block.js';
import { hexUpper, rfc3339Nano, toBase64 } from './bytes.js';
import type { Chain, IndexedTx } from './chain.js';
import { internalError, QuerySyntaxError } from './errors.js';
import {
  blockIdJson,
  blockJson,
  blockMetaJson,
  blockResultsJson,
  commitJson,
  headerJson,
  txResponseJson,
  txResultJson,
  VALIDATOR_PUBKEY_JSON,
  type Json,
} from './json.js';
import { hexBytes, optionalInt, optionalString, requiredBytes, requiredString, type Params } from './params.js';
import { parseQuery } from './query.js';

export const COMETBFT_VERSION = '0.38.17';

export interface NodeContext {
  chain: Chain;
  app: LocalnetApp;
  /** 40 lower-case hex chars, like a CometBFT node id. */
  nodeId: string;
  /** `tcp://127.0.0.1:<port>` once listening. */
  rpcAddress: () => string;
  /** Resolves with the indexed tx once it is in a block, or undefined after `timeoutMs`. */
  waitForTx: (hash: string, timeoutMs: number) => Promise<IndexedTx | undefined>;
  broadcastCommitTimeoutMs: number;
}

export type MethodHandler = (params: Params) => Json | Promise<Json>;

function blockAt(chain: Chain, requested: number | undefined): StoredBlock {
  const latest = chain.height;
  const h = requested ?? latest;
  if (h <= 0) throw internalError(`height must be greater than 0, but got ${h}`);
  if (h > latest) throw internalError(`height ${h} must be less than or equal to the current blockchain height ${latest}`);
  return chain.block(h)!;
}

function parse(query: string) {
  try {
    return parseQuery(query);
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw internalError(err.message);
    throw err;
  }
}

export function rpcMethods(ctx: NodeContext): Record<string, MethodHandler> {
  const { chain, app } = ctx;

  const txJson = (t: IndexedTx): Json => txResponseJson(t.hash, t.height, t.index, t.tx, t.result);

  return {
    health: () => ({}),

    status: () => {
      const latest = chain.latest!;
      const first = chain.block(1)!;
      return {
        node_info: {
          protocol_version: { p2p: '8', block: '11', app: '0' },
          id: ctx.nodeId,
          listen_addr: 'tcp://127.0.0.1:26656',
          network: chain.config.chainId,
          version: COMETBFT_VERSION,
          channels: '40202122233038606100',
          moniker: 'localnet',
          other: { tx_index: 'on', rpc_address: ctx.rpcAddress() },
        },
        sync_info: {
          latest_block_hash: hexUpper(latest.id.hash),
          latest_app_hash: hexUpper(latest.header.appHash),
          latest_block_height: String(latest.header.height),
          latest_block_time: rfc3339Nano(latest.header.timeMs),
          earliest_block_hash: hexUpper(first.id.hash),
          earliest_app_hash: hexUpper(first.header.appHash),
          earliest_block_height: '1',
          earliest_block_time: rfc3339Nano(first.header.timeMs),
          catching_up: false,
        },
        validator_info: {
          address: hexUpper(VALIDATOR_ADDRESS),
          pub_key: VALIDATOR_PUBKEY_JSON,
          voting_power: '10',
        },
      };
    },

    abci_info: () => {
      const info = app.info();
      return {
        response: {
          data: 'pocket',
          version: app.appVersion,
          app_version: '1',
          last_block_height: info.lastBlockHeight.toString(),
          last_block_app_hash: toBase64(info.lastBlockAppHash),
        },
      };
    },

    abci_query: (p) => {
      const path = requiredString(p, 'path');
      const data = hexBytes(p, 'data');
      const height = optionalInt(p, 'height') ?? 0;
      const injected = chain.faults.queryFailure(path);
      let r;
      if (injected) {
        r = { code: injected.code, codespace: 'localnet', log: injected.log, value: new Uint8Array(), height: BigInt(chain.height) };
      } else {
        try {
          r = app.query(path, data, BigInt(height));
        } catch (err) {
          r = { code: 1, codespace: 'undefined', log: `query panicked: ${err instanceof Error ? err.message : String(err)}`, value: new Uint8Array(), height: 0n };
        }
      }
      return {
        response: {
          code: r.code,
          log: r.log,
          info: '',
          index: '0',
          key: null,
          value: r.value.length ? toBase64(r.value) : null,
          proofOps: null,
          // cosmjs's QueryClient throws when height is missing or 0, so an app that leaves it out gets ours.
          height: String(r.height > 0n ? r.height : BigInt(height || chain.height)),
          codespace: r.codespace,
        },
      };
    },

    block: (p) => {
      const b = blockAt(chain, optionalInt(p, 'height'));
      return { block_id: blockIdJson(b.id), block: blockJson(b, chain.block(b.header.height - 1)) };
    },

    block_by_hash: (p) => {
      const want = hexUpper(requiredBytes(p, 'hash'));
      for (let h = chain.height; h >= 1; h--) {
        const b = chain.block(h)!;
        if (hexUpper(b.id.hash) === want) return { block_id: blockIdJson(b.id), block: blockJson(b, chain.block(h - 1)) };
      }
      return { block_id: blockIdJson(null), block: null };
    },

    blockchain: (p) => {
      const latest = chain.height;
      let min = optionalInt(p, 'minHeight') ?? 0;
      let max = optionalInt(p, 'maxHeight') ?? 0;
      if (min < 0 || max < 0) throw internalError('heights must be non-negative');
      if (min === 0) min = 1;
      if (max === 0 || max > latest) max = latest;
      min = Math.max(min, max - 20 + 1);
      if (min > max) throw internalError(`min height ${min} can't be greater than max height ${max}`);
      const metas: Json[] = [];
      for (let h = max; h >= min; h--) metas.push(blockMetaJson(chain.block(h)!));
      return { last_height: String(latest), block_metas: metas };
    },

    block_results: (p) => blockResultsJson(blockAt(chain, optionalInt(p, 'height'))),

    commit: (p) => {
      const b = blockAt(chain, optionalInt(p, 'height'));
      // CometBFT marks the newest commit non-canonical: it is the node's own seen commit.
      return { signed_header: { header: headerJson(b.header), commit: commitJson(b) }, canonical: b.header.height < chain.height };
    },

    validators: (p) => {
      const b = blockAt(chain, optionalInt(p, 'height'));
      return {
        block_height: String(b.header.height),
        validators: [{ address: hexUpper(VALIDATOR_ADDRESS), pub_key: VALIDATOR_PUBKEY_JSON, voting_power: '10', proposer_priority: '0' }],
        count: '1',
        total: '1',
      };
    },

    broadcast_tx_sync: (p) => {
      const { hash, result } = chain.submit(requiredBytes(p, 'tx'));
      // CometBFT types `data` as hex while cosmjs decodes base64: only "" reads the same both ways.
      return { code: result.code, data: '', log: result.log, codespace: result.codespace, hash };
    },

    broadcast_tx_async: (p) => {
      const { hash } = chain.submit(requiredBytes(p, 'tx'));
      return { code: 0, data: '', log: '', codespace: '', hash };
    },

    broadcast_tx_commit: async (p) => {
      const { hash, result } = chain.submit(requiredBytes(p, 'tx'));
      if (result.code !== 0) {
        return { check_tx: txResultJson(result), tx_result: {}, hash, height: '0' };
      }
      const included = await ctx.waitForTx(hash, ctx.broadcastCommitTimeoutMs);
      if (!included) throw internalError('timed out waiting for tx to be included in a block');
      return { check_tx: txResultJson(result), tx_result: txResultJson(included.result), hash, height: String(included.height) };
    },

    tx: (p) => {
      const hash = hexUpper(requiredBytes(p, 'hash'));
      const t = chain.findTx(hash);
      if (!t) throw internalError(`tx (${hash}) not found`);
      return txJson(t);
    },

    tx_search: (p) => {
      const query = parse(requiredString(p, 'query'));
      const order = optionalString(p, 'order_by') ?? '';
      if (order !== '' && order !== 'asc' && order !== 'desc') throw internalError('expected order_by to be either `asc` or `desc` or empty');
      const page = optionalInt(p, 'page') ?? 1;
      const perPageRaw = optionalInt(p, 'per_page') ?? 30;
      const perPage = perPageRaw < 1 ? 30 : Math.min(perPageRaw, 100);
      const found = chain.searchTxs(query);
      if (order === 'desc') found.reverse();
      const pages = Math.max(1, Math.ceil(found.length / perPage));
      if (page < 1 || page > pages) throw internalError(`page should be within [1, ${pages}] range, given ${page}`);
      const slice = found.slice((page - 1) * perPage, page * perPage);
      return { txs: slice.map(txJson), total_count: String(found.length) };
    },
  };
}
