/**
 * The chain client's settings that the Go relay miner takes as flags (`--chain-id`, `--gas-prices`,
 * ...) may also be written in the config file's `pocket_node` section, under the chain client's own
 * snake_case names (see @relayminer/chain's config.ts), so a relay miner can start from its config
 * file alone. Precedence: command-line flags, then `pocket_node`, then the chain client's defaults.
 */
import { parseDocument, isMap, isScalar, type Node } from 'yaml';
import { ConfigError } from '@relayminer/proxy';
import type { ChainClientConfig } from '@relayminer/chain';

/** `pocket_node` keys passed through to the chain client, and how each is typed. */
const STRING_KEYS = ['chain_id', 'query_node_ws_url', 'gas_prices', 'fees'] as const;
const NUMBER_KEYS = ['gas_adjustment'] as const;
const INTEGER_KEYS = [
  'gas_limit',
  'query_timeout_ms',
  'query_max_attempts',
  'query_backoff_initial_ms',
  'query_backoff_max_ms',
  'block_interval_ms',
  'stall_blocks',
  'ws_reconnect_initial_ms',
  'ws_reconnect_max_ms',
  'max_rebroadcasts',
] as const;

export type ChainSettings = Partial<Omit<ChainClientConfig, 'tx_node_rpc_url' | 'query_node_rpc_url' | 'query_node_grpc_url'>>;

export const CHAIN_SETTING_KEYS: readonly string[] = [...STRING_KEYS, ...NUMBER_KEYS, ...INTEGER_KEYS];

/**
 * Reads the chain settings from the `pocket_node` section of the relay miner YAML. Values are read
 * as text (YAML 1.1, like the rest of the file) and typed here; errors name `pocket_node.<key>`.
 */
export function chainSettingsFromYaml(yamlText: string): ChainSettings {
  // The proxy's loader has already rejected a malformed document; this only looks at one section.
  const doc = parseDocument(yamlText, { schema: 'failsafe', version: '1.1', prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return {};
  const section = doc.contents.get('pocket_node', true) as Node | undefined;
  if (section === undefined || section === null || !isMap(section)) return {};

  const text = (key: string): string | undefined => {
    const node = section.get(key, true) as Node | undefined;
    if (node === undefined || node === null) return undefined;
    if (!isScalar(node)) throw new ConfigError(`pocket_node.${key}`, 'must be a single value');
    const value = String(node.value ?? '').trim();
    return value === '' || value === '~' || value === 'null' ? undefined : value;
  };

  const settings: Record<string, string | number> = {};
  for (const key of STRING_KEYS) {
    const value = text(key);
    if (value !== undefined) settings[key] = value;
  }
  for (const key of NUMBER_KEYS) {
    const value = text(key);
    if (value === undefined) continue;
    const n = Number(value);
    if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) || !Number.isFinite(n)) {
      throw new ConfigError(`pocket_node.${key}`, 'must be a number');
    }
    settings[key] = n;
  }
  for (const key of INTEGER_KEYS) {
    const value = text(key);
    if (value === undefined) continue;
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new ConfigError(`pocket_node.${key}`, 'must be a non-negative integer');
    settings[key] = Number(value);
  }
  return settings as ChainSettings;
}
