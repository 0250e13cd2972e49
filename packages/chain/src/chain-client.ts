/**
 * Wiring for a relay miner process: one query client (query node), one block watcher (query node
 * websocket) that also drives the query caches, and one tx client per supplier key (tx node).
 */
import { resolveChainClientConfig, type ChainClientConfig, type ResolvedChainClientConfig } from './config.js';
import { BlockWatcher, type ChainBlock } from './blocks/block-watcher.js';
import { ChainQueryClient } from './query/query-client.js';
import { CometRpc } from './rpc.js';
import { SupplierTxClient } from './tx/supplier-tx-client.js';
import { TxSigner } from './tx/tx-builder.js';
import type { Subscription } from 'rxjs';

export class ChainClient {
  readonly config: ResolvedChainClientConfig;
  readonly query: ChainQueryClient;
  readonly blocks: BlockWatcher;
  private readonly txRpc: CometRpc;
  private readonly txClients = new Map<string, SupplierTxClient>();
  private readonly cacheSub: Subscription;

  private constructor(config: ResolvedChainClientConfig, options: { startHeight?: bigint }) {
    this.config = config;
    this.query = new ChainQueryClient(config);
    this.txRpc = config.txRpcUrl === config.queryRpcUrl ? this.query.rpc : new CometRpc(config.txRpcUrl, config.queryTimeoutMs);
    this.blocks = new BlockWatcher({
      wsUrl: config.queryWsUrl,
      rpc: this.query.rpc,
      blockIntervalMs: config.blockIntervalMs,
      stallBlocks: config.stallBlocks,
      reconnectInitialMs: config.wsReconnectInitialMs,
      reconnectMaxMs: config.wsReconnectMaxMs,
      startHeight: options.startHeight,
    });
    // Session-scoped caches are emptied on the first block of a new session.
    this.cacheSub = this.blocks.blocks$.subscribe((b: ChainBlock) => {
      this.query.onBlock(b.height).catch(() => {
        // params unavailable for one block: the next block tries again
      });
    });
  }

  /** Validates the config, checks the chain id and starts the block watcher (resolves after its first block). */
  static async connect(config: ChainClientConfig, options: { startHeight?: bigint } = {}): Promise<ChainClient> {
    const client = new ChainClient(resolveChainClientConfig(config), options);
    try {
      await client.query.verifyChainId();
      await client.blocks.start();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** The tx client of one supplier operator key (created once per key). */
  async txClientFor(privateKey: Uint8Array): Promise<SupplierTxClient> {
    const signer = await TxSigner.fromPrivateKey(privateKey);
    let client = this.txClients.get(signer.address);
    if (!client) {
      client = new SupplierTxClient({ signer, config: this.config, txRpc: this.txRpc, query: this.query, blocks$: this.blocks.blocks$ });
      this.txClients.set(signer.address, client);
    }
    return client;
  }

  close(): void {
    for (const c of this.txClients.values()) c.close();
    this.txClients.clear();
    this.cacheSub.unsubscribe();
    this.blocks.stop();
    this.query.close();
    if (this.txRpc !== this.query.rpc) this.txRpc.disconnect();
  }
}
