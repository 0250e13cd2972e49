/**
 * What a config resolves to, for `config validate` and the start-up log line: services and where they
 * listen, operator addresses (derived from the keys, never the keys), store path, endpoints. URLs are
 * shown as origins only: backend and node URLs often carry API keys in their path, query or user info.
 */
import { resolve } from 'node:path';
import type { StaticKeyRing } from '@relayminer/proxy';
import type { AppConfig } from './app-config.js';

export interface ConfigSummary {
  readonly configFile: string;
  readonly chainId: string;
  readonly queryNode: string;
  readonly txNode: string;
  readonly services: ReadonlyArray<{ readonly serviceId: string; readonly listen: string; readonly backend: string; readonly rpcTypes: readonly string[] }>;
  readonly operators: ReadonlyArray<{ readonly name: string; readonly address: string }>;
  readonly keysFile: string | undefined;
  readonly smtStorePath: string;
  readonly walFsync: boolean;
  readonly metrics: string | undefined;
  readonly ping: string | undefined;
  readonly notes: readonly string[];
}

const RPC_TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'grpc', 2: 'websocket', 3: 'json_rpc', 4: 'rest', 5: 'comet_bft' };

export function originOf(url: string | URL): string {
  try {
    const u = new URL(String(url));
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return '[invalid url]';
  }
}

export function summarizeConfig(app: AppConfig, keyRing: StaticKeyRing | undefined): ConfigSummary {
  const c = app.relayMiner;
  return {
    configFile: app.path,
    chainId: app.chain.chain_id,
    queryNode: originOf(app.chain.query_node_rpc_url ?? app.chain.tx_node_rpc_url),
    txNode: originOf(app.chain.tx_node_rpc_url),
    services: c.suppliers.map((s) => ({
      serviceId: s.serviceId,
      listen: `${s.listenUrl.protocol}//${s.listenAddress}`,
      backend: originOf(s.serviceConfig.backendUrl),
      rpcTypes: [...s.rpcTypeServiceConfigs.keys()].map((t) => RPC_TYPE_NAMES[t] ?? String(t)),
    })),
    operators: keyRing ? keyRing.operatorAddresses.map((address) => ({ name: keyRing.keyNameOf(address) ?? '', address })) : [],
    keysFile: app.keysFile,
    // relative to the working directory, as in Go: shown resolved so the operator sees where it lands
    smtStorePath: resolve(c.smtStorePath),
    walFsync: app.walFsync,
    metrics: c.metrics.enabled ? c.metrics.addr : undefined,
    ping: c.ping.enabled ? c.ping.addr : undefined,
    notes: app.notes,
  };
}

/** Human-readable, for the terminal. */
export function formatSummary(s: ConfigSummary): string {
  const lines = [
    `config:         ${s.configFile}`,
    `chain id:       ${s.chainId}`,
    `query node:     ${s.queryNode}`,
    `tx node:        ${s.txNode}`,
    `services:`,
    ...s.services.map((x) => `  ${x.serviceId.padEnd(20)} listen ${x.listen}  backend ${x.backend}${x.rpcTypes.length ? `  rpc types ${x.rpcTypes.join(', ')}` : ''}`),
    `operators:`,
    ...s.operators.map((o) => `  ${o.name.padEnd(20)} ${o.address}`),
    `keys file:      ${s.keysFile ?? '(none)'}`,
    `smt store path: ${s.smtStorePath}${s.walFsync ? ' (fsync)' : ''}`,
    `metrics:        ${s.metrics ?? 'disabled'}`,
    `ping:           ${s.ping ?? 'disabled'}`,
    ...s.notes.map((n) => `note: ${n}`),
  ];
  return lines.join('\n');
}
