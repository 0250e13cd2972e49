/**
 * Everything `relayminer start` and `relayminer config validate` read before touching the network:
 * the relay miner YAML (through @relayminer/proxy's loader, so both agree on every key), the chain
 * client's settings (flags over `pocket_node`), and the keys file location. Checked as far as can be
 * without a node, so that `config validate` catches what `start` would trip on.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ChainConfigError, resolveChainClientConfig, type ChainClientConfig } from '@relayminer/chain';
import { ConfigError, parseRelayMinerConfig, type RelayMinerConfig } from '@relayminer/proxy';
import { chainSettingsFromYaml } from './chain-settings.js';
import type { CliFlags } from './cli-flags.js';

export interface AppConfig {
  /** Absolute path of the config file. */
  readonly path: string;
  readonly relayMiner: RelayMinerConfig;
  /** What `ChainClient.connect` gets (validated with `resolveChainClientConfig`). */
  readonly chain: ChainClientConfig;
  /** `--keys-file`, else `keys_file` (resolved against the config file's folder). */
  readonly keysFile: string | undefined;
  /** `wal_fsync` (proxy config), default false. */
  readonly walFsync: boolean;
  /** Keys that are read but have no effect here, with why (logged at start, printed by validate). */
  readonly notes: readonly string[];
}

/** Maps a chain client config key to where the operator wrote it, for error messages. */
const FLAG_OF: Readonly<Record<string, keyof CliFlags>> = {
  chain_id: 'chainId',
  gas_prices: 'gasPrices',
  gas_adjustment: 'gasAdjustment',
  fees: 'fees',
};
const FLAG_NAME: Readonly<Record<string, string>> = {
  chainId: '--chain-id',
  gasPrices: '--gas-prices',
  gasAdjustment: '--gas-adjustment',
  fees: '--fees',
  node: '--node',
};
const URL_KEYS = new Set(['tx_node_rpc_url', 'query_node_rpc_url', 'query_node_ws_url', 'query_node_grpc_url']);

export function loadAppConfig(configPath: string, flags: Partial<CliFlags> = {}): AppConfig {
  if (typeof configPath !== 'string' || configPath.trim() === '') throw new ConfigError('', 'no config file given (--config FILE)');
  const path = resolve(configPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('', `cannot read config file ${configPath} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const relayMiner = parseRelayMinerConfig(text, { baseDir: dirname(path) });
  const settings = chainSettingsFromYaml(text);

  const node = flags.node === undefined ? undefined : cometRpcUrl(flags.node);
  const chain: ChainClientConfig = {
    ...settings,
    chain_id: flags.chainId ?? settings.chain_id ?? '',
    tx_node_rpc_url: node ?? cometRpcUrl(relayMiner.pocketNode.txNodeRpcUrl),
    query_node_rpc_url: node ?? cometRpcUrl(relayMiner.pocketNode.queryNodeRpcUrl),
    query_node_grpc_url: relayMiner.pocketNode.queryNodeGrpcUrl,
    // --node moves the websocket with it
    query_node_ws_url: node === undefined ? settings.query_node_ws_url : undefined,
    ...(flags.gasPrices !== undefined && { gas_prices: flags.gasPrices }),
    ...(flags.gasAdjustment !== undefined && { gas_adjustment: flags.gasAdjustment }),
    ...(flags.fees !== undefined && { fees: flags.fees }),
  };
  if (chain.query_node_ws_url === undefined) delete chain.query_node_ws_url;
  if (chain.chain_id === '') throw new ConfigError('pocket_node.chain_id', 'is required: pass --chain-id or set pocket_node.chain_id');
  checkChainConfig(chain, flags);

  const keysFile = flags.keysFile !== undefined && flags.keysFile !== '' ? resolve(flags.keysFile) : relayMiner.keysFile;
  return { path, relayMiner, chain, keysFile, walFsync: relayMiner.walFsync, notes: notesOn(relayMiner) };
}

/** CometBFT addresses are often written `tcp://host:26657` in Go configs; that is plain HTTP JSON-RPC. */
export function cometRpcUrl(url: string): string {
  return url.replace(/^tcp:\/\//i, 'http://');
}

function checkChainConfig(chain: ChainClientConfig, flags: Partial<CliFlags>): void {
  try {
    resolveChainClientConfig(chain);
  } catch (error) {
    if (!(error instanceof ChainConfigError)) throw error;
    const flag = FLAG_OF[error.key];
    const from = error.key === 'tx_node_rpc_url' || error.key === 'query_node_rpc_url' ? (flags.node !== undefined ? 'node' : undefined) : flag;
    const where = from !== undefined && flags[from] !== undefined ? FLAG_NAME[from]! : `pocket_node.${error.key}`;
    // The chain client's message quotes the value; a URL may carry credentials, so those get our own text.
    const reason = URL_KEYS.has(error.key) ? 'must be an http(s) URL (tcp:// is read as http://)' : error.message.slice(error.key.length + 2);
    throw new ConfigError(where, reason);
  }
}

function notesOn(config: RelayMinerConfig): string[] {
  const notes: string[] = [];
  if (config.disableSmtPersistence) notes.push('disable_smt_persistence is not supported: session trees are always persisted at smt_store_path');
  if (config.pprof.enabled) notes.push('pprof is a Go profiler and is ignored (use node --inspect or --cpu-prof)');
  return notes;
}
