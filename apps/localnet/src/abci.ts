/**
 * The seam between the two halves of localnet, shaped like ABCI: `node/` plays CometBFT (blocks,
 * mempool, JSON-RPC, websocket events, the tx index, faults) and `app/` plays the Pocket application
 * (genesis, state, ante checks, queries, the proof module, end-of-block validation). The node drives
 * the app only through this interface, the way CometBFT drives a Cosmos SDK app.
 */

/** An ABCI event; attribute values are plain strings, as CometBFT 0.38 emits them. */
export interface AbciEvent {
  type: string;
  attributes: { key: string; value: string; index: boolean }[];
}

/** Result of CheckTx or DeliverTx. `code` 0 = success; `rejectReason` is ours, for test assertions. */
export interface AbciTxResult {
  code: number;
  codespace: string;
  log: string;
  /** TxMsgData bytes on success (empty on failure). */
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: AbciEvent[];
  /** Machine-readable cause of a failure, e.g. CLAIM_OUTSIDE_WINDOW, WRONG_SEQUENCE, BAD_CLOSEST_PROOF. */
  rejectReason?: string;
}

/** Result of an abci_query (gRPC path + protobuf request), as CometBFT's ResponseQuery. */
export interface AbciQueryResult {
  code: number;
  codespace: string;
  log: string;
  /** Protobuf response bytes (empty on error). */
  value: Uint8Array;
  height: bigint;
}

/** What the node tells the app when a block starts. */
export interface AbciBlockHeader {
  height: bigint;
  /** Block time, milliseconds since the epoch (virtual clock: deterministic). */
  timeMs: number;
  /** This block's hash (the node's deterministic header hash): the session module stores it. */
  hash: Uint8Array;
  /** Hash of the previous block (empty at height 1). */
  lastBlockHash: Uint8Array;
}

export interface LocalnetApp {
  readonly chainId: string;
  /** `abci_info.response.version`, e.g. "v0.1.35". */
  readonly appVersion: string;
  /** Height and app hash of the last committed block (0 and empty before the first). */
  info(): { lastBlockHeight: bigint; lastBlockAppHash: Uint8Array };
  /**
   * abci_query against committed state. `height` 0 = latest; a height above the latest gets code 26.
   * Paths are gRPC method paths (`/pocket.session.Query/GetSession`, `/cosmos.tx.v1beta1.Service/Simulate`, …).
   */
  query(path: string, data: Uint8Array, height: bigint): AbciQueryResult;
  /** CheckTx against the check state (committed state plus the txs already admitted to the mempool). */
  checkTx(tx: Uint8Array): AbciTxResult;
  /** Starts executing block `header.height`. */
  beginBlock(header: AbciBlockHeader): void;
  /** Executes one tx of the current block (ante, then its messages all-or-nothing). */
  deliverTx(tx: Uint8Array): AbciTxResult;
  /** End of block: proof validation, settlement, storing the block hash. Returns finalize_block_events. */
  endBlock(): { events: AbciEvent[] };
  /**
   * Commits the block and returns the new app hash (it goes into the next block's header). Rebuilds the
   * check state from committed state; the node rechecks the remaining mempool txs with checkTx afterwards.
   */
  commit(): Uint8Array;
}
