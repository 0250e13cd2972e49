/**
 * Reads the Go relay miner's YAML (protocol.md §8) with its code's defaults and checks, which win
 * where they disagree with the published schema (10 s timeout, 20MB bodies, http/ws listen URLs,
 * query RPC URL defaulting to the tx one).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { parseBodySize } from './body-size.js';
import { parseYamlTree, YamlMap } from './yaml-node.js';
import {
  CONFIG_DEFAULTS,
  RpcType,
  type BackendServiceConfig,
  type EndpointConfig,
  type RelayMinerConfig,
  type RelayServerConfig,
  type ServedRelaysOverflow,
  type SupplierServiceEntry,
} from './relay-miner-config.js';

export interface ParseRelayMinerConfigOptions {
  /** Folder relative `keys_file` paths are resolved against (default: the working directory). */
  baseDir?: string;
  /** CPUs for `mining_workers: 0` (default: os.availableParallelism()). */
  cpus?: number;
  /** Home folder for the legacy in-memory `smt_store_path` forms (default: os.homedir()). */
  home?: string;
}

const LEGACY_IN_MEMORY_SMT = new Set([':memory:', ':memory_pebble:']);
const SERVICE_ID = /^[a-zA-Z0-9_-]{1,42}$/;
const RPC_TYPE_KEYS: Record<string, RpcType> = {
  grpc: RpcType.GRPC,
  websocket: RpcType.WEBSOCKET,
  json_rpc: RpcType.JSON_RPC,
  rest: RpcType.REST,
  comet_bft: RpcType.COMET_BFT,
};

/**
 * Loads a config from a file path, or from YAML text when the argument spans several lines (a
 * one-line YAML document is not a useful config, so the two cannot be confused).
 */
export function loadRelayMinerConfig(pathOrYamlText: string, options: ParseRelayMinerConfigOptions = {}): RelayMinerConfig {
  if (typeof pathOrYamlText !== 'string' || pathOrYamlText.trim() === '') throw new ConfigError('', 'config is empty');
  if (pathOrYamlText.includes('\n')) return parseRelayMinerConfig(pathOrYamlText, options);
  let text: string;
  try {
    text = readFileSync(pathOrYamlText, 'utf8');
  } catch (error) {
    throw new ConfigError('', `cannot read config file ${pathOrYamlText} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseRelayMinerConfig(text, { baseDir: dirname(resolve(pathOrYamlText)), ...options });
}

export function parseRelayMinerConfig(yamlText: string, options: ParseRelayMinerConfigOptions = {}): RelayMinerConfig {
  if (yamlText.trim() === '') throw new ConfigError('', 'config is empty');
  const root = YamlMap.of(parseYamlTree(yamlText), '');

  const defaultSigningKeyNames = keyNames(root, 'default_signing_key_names');
  const defaultRequestTimeoutSeconds = positiveOrDefault(root, 'default_request_timeout_seconds', CONFIG_DEFAULTS.defaultRequestTimeoutSeconds);
  const defaultMaxBodySizeBytes = bodySize(root, 'default_max_body_size', CONFIG_DEFAULTS.defaultMaxBodySize);

  let smtStorePath = root.string('smt_store_path');
  if (smtStorePath === '') throw new ConfigError('smt_store_path', 'is required');
  if (LEGACY_IN_MEMORY_SMT.has(smtStorePath)) smtStorePath = join(options.home ?? homedir(), '.pocket', 'smt');

  const overflow = root.string('served_relays_overflow') || CONFIG_DEFAULTS.servedRelaysOverflow;
  if (overflow !== 'backpressure' && overflow !== 'drop') {
    throw new ConfigError('served_relays_overflow', 'must be "backpressure" or "drop"');
  }
  const keysFileRaw = root.string('keys_file');
  const keysFile = keysFileRaw === '' ? undefined : isAbsolute(keysFileRaw) ? keysFileRaw : resolve(options.baseDir ?? process.cwd(), keysFileRaw);

  const miningWorkers = nonNegative(root, 'mining_workers');

  const suppliers = root.list('suppliers').map(({ key, value }) =>
    supplierEntry(YamlMap.of(value, key), defaultSigningKeyNames, defaultRequestTimeoutSeconds, defaultMaxBodySizeBytes),
  );
  if (suppliers.length === 0) throw new ConfigError('suppliers', 'must list at least one supplier');
  const seen = new Set<string>();
  suppliers.forEach((s, i) => {
    if (seen.has(s.serviceId)) throw new ConfigError(`suppliers[${i}].service_id`, `duplicate service id "${s.serviceId}"`);
    seen.add(s.serviceId);
  });

  return {
    defaultSigningKeyNames,
    defaultRequestTimeoutSeconds,
    defaultMaxBodySizeBytes,
    smtStorePath,
    disableSmtPersistence: root.bool('disable_smt_persistence'),
    enableOverServicing: root.bool('enable_over_servicing'),
    enableEagerRelayRequestValidation: root.bool('enable_eager_relay_request_validation'),
    servedRelaysBufferSize: positiveOrDefault(root, 'served_relays_buffer_size', CONFIG_DEFAULTS.servedRelaysBufferSize),
    servedRelaysOverflow: overflow as ServedRelaysOverflow,
    replyAfterPersist: root.boolOr('reply_after_persist', CONFIG_DEFAULTS.replyAfterPersist),
    walFsync: root.bool('wal_fsync'),
    miningPipelineBufferSize: positiveOrDefault(root, 'mining_pipeline_buffer_size', CONFIG_DEFAULTS.miningPipelineBufferSize),
    miningWorkers: miningWorkers === 0 ? (options.cpus ?? availableParallelism()) : miningWorkers,
    keysFile,
    pocketNode: pocketNode(root.map('pocket_node')),
    suppliers,
    servers: groupServers(suppliers),
    signingKeyNames: [...new Set(suppliers.flatMap((s) => s.signingKeyNames))],
    metrics: endpoint(root.map('metrics')),
    pprof: endpoint(root.map('pprof')),
    ping: endpoint(root.map('ping')),
  };
}

function keyNames(m: YamlMap, name: string): string[] {
  const names = m.stringList(name);
  names.forEach((n, i) => {
    if (n.trim() === '') throw new ConfigError(`${m.keyOf(name)}[${i}]`, 'must not be empty');
  });
  return names;
}

function nonNegative(m: YamlMap, name: string): number {
  const n = m.int(name);
  if (n < 0) throw new ConfigError(m.keyOf(name), 'must not be negative');
  return n;
}

/** Go replaces a zero (or absent) value by the default. */
function positiveOrDefault(m: YamlMap, name: string, fallback: number): number {
  return nonNegative(m, name) || fallback;
}

function bodySize(m: YamlMap, name: string, fallback: string): number {
  const text = m.string(name) || fallback;
  const bytes = parseBodySize(text);
  if (bytes === undefined) throw new ConfigError(m.keyOf(name), 'must match ^\\d+(B|KB|MB|GB|TB)$ (e.g. "20MB")');
  return bytes;
}

/**
 * A URL that parses with a host. Its text is never echoed: node URLs may carry credentials.
 */
function url(m: YamlMap, name: string, schemes: readonly string[] | null): URL | undefined {
  const text = m.string(name);
  if (text === '') return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError(m.keyOf(name), 'is not a valid URL');
  }
  if (schemes !== null && !schemes.includes(u.protocol.slice(0, -1))) {
    throw new ConfigError(m.keyOf(name), `scheme must be one of ${schemes.join(', ')} (got "${u.protocol.slice(0, -1)}")`);
  }
  if (u.host === '') throw new ConfigError(m.keyOf(name), 'has no host');
  return u;
}

function requiredUrl(m: YamlMap, name: string, schemes: readonly string[] | null): URL {
  const u = url(m, name, schemes);
  if (u === undefined) throw new ConfigError(m.keyOf(name), 'is required');
  return u;
}

function pocketNode(m: YamlMap): RelayMinerConfig['pocketNode'] {
  // kept as written (not URL-normalised): `tcp://` CometBFT addresses are common in Go configs
  requiredUrl(m, 'tx_node_rpc_url', null);
  requiredUrl(m, 'query_node_grpc_url', null);
  url(m, 'query_node_rpc_url', null);
  const txNodeRpcUrl = m.string('tx_node_rpc_url');
  return {
    txNodeRpcUrl,
    queryNodeRpcUrl: m.string('query_node_rpc_url') || txNodeRpcUrl,
    queryNodeGrpcUrl: m.string('query_node_grpc_url'),
  };
}

function supplierEntry(m: YamlMap, defaultKeys: readonly string[], defaultTimeout: number, defaultMaxBody: number): SupplierServiceEntry {
  const serviceId = m.string('service_id');
  if (serviceId === '') throw new ConfigError(m.keyOf('service_id'), 'is required');
  if (!SERVICE_ID.test(serviceId)) throw new ConfigError(m.keyOf('service_id'), 'must be 1-42 characters of a-z, A-Z, 0-9, _ or -');

  const listenUrl = requiredUrl(m, 'listen_url', ['http', 'ws']);
  if (listenUrl.port === '') throw new ConfigError(m.keyOf('listen_url'), 'must name a port (host:port is the listen address)');

  const own = keyNames(m, 'signing_key_names');
  const signingKeyNames = own.length > 0 ? own : [...defaultKeys];
  if (signingKeyNames.length === 0) {
    throw new ConfigError(m.keyOf('signing_key_names'), 'no signing key names here and default_signing_key_names is empty');
  }

  if (!m.has('service_config')) throw new ConfigError(m.keyOf('service_config'), 'is required');
  const serviceConfig = backendConfig(m.map('service_config'));

  const rpcTypes = new Map<RpcType, BackendServiceConfig>();
  const rpcMap = m.map('rpc_type_service_configs');
  for (const k of rpcMap.keys()) {
    const type = RPC_TYPE_KEYS[k.toLowerCase()];
    if (type === undefined) throw new ConfigError(rpcMap.keyOf(k), 'is not an RPC type (json_rpc, rest, comet_bft, websocket, grpc)');
    if (rpcTypes.has(type)) throw new ConfigError(rpcMap.keyOf(k), 'is given twice (keys are case-insensitive)');
    rpcTypes.set(type, backendConfig(rpcMap.map(k)));
  }

  const timeout = nonNegative(m, 'request_timeout_seconds');
  return {
    serviceId,
    listenUrl,
    listenAddress: listenUrl.host,
    signingKeyNames,
    requestTimeoutSeconds: timeout || defaultTimeout,
    maxBodySizeBytes: m.has('max_body_size') ? bodySize(m, 'max_body_size', '') : defaultMaxBody,
    xForwardedHostLookup: m.bool('x_forwarded_host_lookup'),
    serviceConfig,
    rpcTypeServiceConfigs: rpcTypes,
  };
}

function backendConfig(m: YamlMap): BackendServiceConfig {
  const backendUrl = requiredUrl(m, 'backend_url', ['http', 'https', 'ws', 'wss']);
  let authentication: BackendServiceConfig['authentication'];
  if (m.has('authentication')) {
    const a = m.map('authentication');
    const username = a.string('username');
    const password = a.string('password');
    if (username !== '' || password !== '') authentication = { username, password };
  }
  const headers = m.stringMap('headers');
  for (const name of headers.keys()) {
    // only the name is checked and named: the value may be a credential
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw new ConfigError(m.map('headers').keyOf(name), 'is not a valid HTTP header name');
  }
  return { backendUrl, authentication, headers, forwardPocketHeaders: m.bool('forward_pocket_headers') };
}

function endpoint(m: YamlMap): EndpointConfig {
  const enabled = m.bool('enabled');
  const addr = m.string('addr');
  if (enabled && addr === '') throw new ConfigError(m.keyOf('addr'), 'is required when enabled');
  return { enabled, addr };
}

function groupServers(suppliers: readonly SupplierServiceEntry[]): RelayServerConfig[] {
  const byAddress = new Map<string, { maxBodySizeBytes: number; serviceIds: string[] }>();
  for (const s of suppliers) {
    const server = byAddress.get(s.listenAddress);
    if (server) server.serviceIds.push(s.serviceId);
    else byAddress.set(s.listenAddress, { maxBodySizeBytes: s.maxBodySizeBytes, serviceIds: [s.serviceId] });
  }
  return [...byAddress].map(([listenAddress, s]) => ({ listenAddress, ...s }));
}

