/** Writes relay miner config files and keys files for the tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ConfigInput {
  chainId?: string;
  rpcUrl?: string;
  services?: Array<{ id: string; listen: string; backend: string }>;
  keyNames?: string[];
  keysFile?: string;
  storePath?: string;
  metricsAddr?: string;
  /** Extra YAML lines appended at the top level. */
  extra?: string;
  /** Extra YAML lines inside pocket_node. */
  pocketNodeExtra?: string;
}

export function configYaml(input: ConfigInput = {}): string {
  const services = input.services ?? [{ id: 'svc1', listen: 'http://127.0.0.1:0', backend: 'http://127.0.0.1:1' }];
  const lines = [
    `default_signing_key_names: [${(input.keyNames ?? ['supplier-op-1']).join(', ')}]`,
    `smt_store_path: ${input.storePath ?? './smt'}`,
    `keys_file: ${input.keysFile ?? 'keys.yaml'}`,
    'pocket_node:',
    `  query_node_rpc_url: ${input.rpcUrl ?? 'http://127.0.0.1:26657'}`,
    '  query_node_grpc_url: http://127.0.0.1:9090',
    `  tx_node_rpc_url: ${input.rpcUrl ?? 'http://127.0.0.1:26657'}`,
    ...(input.chainId !== undefined ? [`  chain_id: ${input.chainId}`] : []),
    ...(input.pocketNodeExtra ? input.pocketNodeExtra.split('\n').map((l) => `  ${l}`) : []),
    'suppliers:',
    ...services.flatMap((s) => [`  - service_id: ${s.id}`, `    listen_url: ${s.listen}`, '    service_config:', `      backend_url: ${s.backend}`]),
    ...(input.metricsAddr !== undefined ? [`metrics: { enabled: true, addr: "${input.metricsAddr}" }`] : []),
    ...(input.extra ? [input.extra] : []),
  ];
  return lines.join('\n') + '\n';
}

export function writeConfig(dir: string, input: ConfigInput = {}, name = 'relayminer.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, configYaml(input));
  return path;
}

export function writeKeys(dir: string, keys: Record<string, Uint8Array | string>, name = 'keys.yaml'): string {
  const path = join(dir, name);
  const text = Object.entries(keys)
    .map(([k, v]) => `${k}: "${typeof v === 'string' ? v : Buffer.from(v).toString('hex')}"`)
    .join('\n');
  writeFileSync(path, text + '\n', { mode: 0o600 });
  return path;
}
