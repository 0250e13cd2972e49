/**
 * The demo runs the relay miner the way an operator would: from a config file and a keys file written
 * to a fresh folder, with its LevelDB store in that folder too, so a run leaves nothing behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RelayMinerFilesInput {
  rpcUrl: string;
  chainId: string;
  serviceId: string;
  backendUrl: string;
  supplierKeyName: string;
  supplierPrivateKey: Uint8Array;
}

export interface RelayMinerFiles {
  configPath: string;
  keysPath: string;
  smtStorePath: string;
}

export function writeRelayMinerFiles(dir: string, input: RelayMinerFilesInput): RelayMinerFiles {
  const keysPath = join(dir, 'keys.yaml');
  const configPath = join(dir, 'relayminer.yaml');
  const smtStorePath = join(dir, 'smt');
  // owner-only, like a real keys file: it holds the supplier's signing key
  writeFileSync(keysPath, `${input.supplierKeyName}: "${Buffer.from(input.supplierPrivateKey).toString('hex')}"\n`, { mode: 0o600 });
  const config = `# relayminer demo: written by \`relayminer demo\`, removed when it ends (unless --keep-data)
default_signing_key_names: [${input.supplierKeyName}]
keys_file: keys.yaml
smt_store_path: ${JSON.stringify(smtStorePath)}
default_request_timeout_seconds: 5
pocket_node:
  chain_id: ${JSON.stringify(input.chainId)}
  query_node_rpc_url: ${JSON.stringify(input.rpcUrl)}
  # recorded only: every query goes over CometBFT abci_query
  query_node_grpc_url: ${JSON.stringify(input.rpcUrl)}
  tx_node_rpc_url: ${JSON.stringify(input.rpcUrl)}
metrics:
  enabled: true
  addr: 127.0.0.1:0
suppliers:
  - service_id: ${input.serviceId}
    listen_url: http://127.0.0.1:0
    service_config:
      backend_url: ${JSON.stringify(input.backendUrl)}
`;
  writeFileSync(configPath, config, { mode: 0o600 });
  return { configPath, keysPath, smtStorePath };
}
