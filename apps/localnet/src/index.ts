/** @relayminer/localnet: a local Pocket (Shannon) chain in one process, for tests and the demo. */
export type { AbciBlockHeader, AbciEvent, AbciQueryResult, AbciTxResult, LocalnetApp } from './abci.js';
export type { Genesis, LocalnetAppControl, PocketLocalnetApp, ClaimRecord, ClaimStatus, ProofRecord, SettlementRecord } from './app/index.js';
export {
  DEMO_GENESIS_PATH,
  startLocalnet,
  type LocalnetHandle,
  type LocalnetOptions,
  type TxFilter,
  type WaitOptions,
} from './node/handle.js';
export type { RecordedEvent, TxRecord, TxStatus } from './node/chain.js';
export type { EventKind, MuteSpec } from './node/faults.js';
export type { StoredBlock, BlockHeader, BlockId } from './node/block.js';
export { LocalnetStoppedError, QuerySyntaxError, RpcError, WaitTimeoutError } from './node/errors.js';
export { parseQuery, matches, type EventQuery, type EventMap } from './node/query.js';
