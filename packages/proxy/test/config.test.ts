import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, RpcType, loadRelayMinerConfig, parseBodySize, parseRelayMinerConfig } from '../src/config/index.js';

/** protocol.md §8's minimal example, verbatim. */
const MINIMAL = `
default_signing_key_names: [supplier-op-1]
smt_store_path: /var/lib/relayminer/smt
pocket_node:
  query_node_rpc_url: http://full-node:26657
  query_node_grpc_url: http://full-node:9090
  tx_node_rpc_url: http://full-node:26657
suppliers:
  - service_id: anvil
    listen_url: http://0.0.0.0:8545
    service_config:
      backend_url: http://anvil:8547
      forward_pocket_headers: true
    rpc_type_service_configs:
      websocket:
        backend_url: ws://anvil:8548
metrics: { enabled: true, addr: ":9090" }
ping: { enabled: true, addr: ":8081" }
`;

/** Every key of the §8 table set to a non-default value, plus our two. */
const FULL = `
default_signing_key_names: [op-a, op-b]
default_request_timeout_seconds: 30
default_max_body_size: 2MB
smt_store_path: ./smt
disable_smt_persistence: true
enable_over_servicing: yes
enable_eager_relay_request_validation: true
served_relays_buffer_size: 5000
served_relays_overflow: backpressure
mining_pipeline_buffer_size: 64
mining_workers: 3
keys_file: keys.yaml
pocket_node:
  query_node_rpc_url: https://rpc.example:443
  query_node_grpc_url: tcp://grpc.example:9090
  tx_node_rpc_url: https://tx.example:443
suppliers:
  - service_id: eth
    listen_url: http://0.0.0.0:8545
    signing_key_names: [op-c]
    request_timeout_seconds: 5
    max_body_size: 512KB
    x_forwarded_host_lookup: true
    service_config:
      backend_url: https://eth.example/base?token=abc
      authentication: { username: alice, password: s3cret-pass }
      headers: { X-Api-Key: hunter2, X-Port: 8080 }
      forward_pocket_headers: true
    rpc_type_service_configs:
      JSON_RPC: { backend_url: "http://eth-rpc:8547" }
      Rest: { backend_url: "http://eth-rest:8080" }
      comet_bft: { backend_url: "http://eth-comet:26657" }
      websocket: { backend_url: "wss://eth-ws:8546" }
      grpc: { backend_url: "http://eth-grpc:9090" }
  - service_id: sol
    listen_url: ws://0.0.0.0:8545
    max_body_size: 1GB
    service_config:
      backend_url: ws://sol:8900
  - service_id: btc
    listen_url: http://127.0.0.1:9000
    service_config:
      backend_url: http://btc:8332
metrics: { enabled: true, addr: "0.0.0.0:9091" }
pprof: { enabled: true, addr: "localhost:6060" }
ping: { enabled: true, addr: "0.0.0.0:8081" }
`;

function configError(yaml: string): ConfigError {
  try {
    parseRelayMinerConfig(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadRelayMinerConfig: the spec examples', () => {
  it('reads the minimal example with every default the Go code applies', () => {
    const c = parseRelayMinerConfig(MINIMAL, { cpus: 6 });
    expect(c.defaultSigningKeyNames).toEqual(['supplier-op-1']);
    expect(c.defaultRequestTimeoutSeconds).toBe(10);
    expect(c.defaultMaxBodySizeBytes).toBe(20 * 1024 * 1024);
    expect(c.smtStorePath).toBe('/var/lib/relayminer/smt');
    expect(c.disableSmtPersistence).toBe(false);
    expect(c.enableOverServicing).toBe(false);
    expect(c.enableEagerRelayRequestValidation).toBe(false);
    expect(c.servedRelaysBufferSize).toBe(1000);
    expect(c.servedRelaysOverflow).toBe('drop');
    expect(c.miningPipelineBufferSize).toBe(50);
    expect(c.miningWorkers).toBe(6);
    expect(c.keysFile).toBeUndefined();
    expect(c.pocketNode).toEqual({
      queryNodeRpcUrl: 'http://full-node:26657',
      queryNodeGrpcUrl: 'http://full-node:9090',
      txNodeRpcUrl: 'http://full-node:26657',
    });
    expect(c.suppliers).toHaveLength(1);
    const s = c.suppliers[0]!;
    expect(s.serviceId).toBe('anvil');
    expect(s.listenAddress).toBe('0.0.0.0:8545');
    expect(s.signingKeyNames).toEqual(['supplier-op-1']);
    expect(s.requestTimeoutSeconds).toBe(10);
    expect(s.maxBodySizeBytes).toBe(20 * 1024 * 1024);
    expect(s.xForwardedHostLookup).toBe(false);
    expect(s.serviceConfig.backendUrl.href).toBe('http://anvil:8547/');
    expect(s.serviceConfig.forwardPocketHeaders).toBe(true);
    expect(s.serviceConfig.authentication).toBeUndefined();
    expect(s.serviceConfig.headers.size).toBe(0);
    expect([...s.rpcTypeServiceConfigs.keys()]).toEqual([RpcType.WEBSOCKET]);
    expect(s.rpcTypeServiceConfigs.get(RpcType.WEBSOCKET)!.backendUrl.href).toBe('ws://anvil:8548/');
    expect(c.servers).toEqual([{ listenAddress: '0.0.0.0:8545', maxBodySizeBytes: 20 * 1024 * 1024, serviceIds: ['anvil'] }]);
    expect(c.signingKeyNames).toEqual(['supplier-op-1']);
    expect(c.metrics).toEqual({ enabled: true, addr: ':9090' });
    expect(c.pprof).toEqual({ enabled: false, addr: '' });
    expect(c.ping).toEqual({ enabled: true, addr: ':8081' });
  });

  it('reads every key of the table from a file, resolving keys_file next to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relayminer-config-'));
    const file = join(dir, 'relayminer.yaml');
    writeFileSync(file, FULL);
    const c = loadRelayMinerConfig(file);
    expect(c.defaultSigningKeyNames).toEqual(['op-a', 'op-b']);
    expect(c.defaultRequestTimeoutSeconds).toBe(30);
    expect(c.defaultMaxBodySizeBytes).toBe(2 * 1024 * 1024);
    expect(c.smtStorePath).toBe('./smt');
    expect(c.disableSmtPersistence).toBe(true);
    expect(c.enableOverServicing).toBe(true); // YAML 1.1 `yes`, as yaml.v2 reads it
    expect(c.enableEagerRelayRequestValidation).toBe(true);
    expect(c.servedRelaysBufferSize).toBe(5000);
    expect(c.servedRelaysOverflow).toBe('backpressure');
    expect(c.miningPipelineBufferSize).toBe(64);
    expect(c.miningWorkers).toBe(3);
    expect(c.keysFile).toBe(join(dir, 'keys.yaml'));
    expect(c.pocketNode).toEqual({
      queryNodeRpcUrl: 'https://rpc.example:443',
      queryNodeGrpcUrl: 'tcp://grpc.example:9090',
      txNodeRpcUrl: 'https://tx.example:443',
    });

    const [eth, sol, btc] = c.suppliers;
    expect(eth!.signingKeyNames).toEqual(['op-c']);
    expect(eth!.requestTimeoutSeconds).toBe(5);
    expect(eth!.maxBodySizeBytes).toBe(512 * 1024);
    expect(eth!.xForwardedHostLookup).toBe(true);
    expect(eth!.serviceConfig.backendUrl.pathname).toBe('/base');
    expect(eth!.serviceConfig.authentication).toEqual({ username: 'alice', password: 's3cret-pass' });
    expect(Object.fromEntries(eth!.serviceConfig.headers)).toEqual({ 'X-Api-Key': 'hunter2', 'X-Port': '8080' });
    expect([...eth!.rpcTypeServiceConfigs.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(eth!.rpcTypeServiceConfigs.get(RpcType.REST)!.backendUrl.host).toBe('eth-rest:8080');
    expect(eth!.rpcTypeServiceConfigs.get(RpcType.JSON_RPC)!.backendUrl.host).toBe('eth-rpc:8547');
    expect(sol!.signingKeyNames).toEqual(['op-a', 'op-b']);
    expect(sol!.maxBodySizeBytes).toBe(1024 ** 3);
    expect(btc!.requestTimeoutSeconds).toBe(30);
    expect(btc!.maxBodySizeBytes).toBe(2 * 1024 * 1024);

    // http and ws entries on one address share a server whose limit is the first entry's
    expect(c.servers).toEqual([
      { listenAddress: '0.0.0.0:8545', maxBodySizeBytes: 512 * 1024, serviceIds: ['eth', 'sol'] },
      { listenAddress: '127.0.0.1:9000', maxBodySizeBytes: 2 * 1024 * 1024, serviceIds: ['btc'] },
    ]);
    expect(c.signingKeyNames).toEqual(['op-c', 'op-a', 'op-b']);
    expect(c.metrics).toEqual({ enabled: true, addr: '0.0.0.0:9091' });
    expect(c.pprof).toEqual({ enabled: true, addr: 'localhost:6060' });
    expect(c.ping).toEqual({ enabled: true, addr: '0.0.0.0:8081' });
  });

  it('defaults query_node_rpc_url to tx_node_rpc_url and maps the legacy in-memory SMT paths', () => {
    const yaml = MINIMAL.replace('  query_node_rpc_url: http://full-node:26657\n', '').replace('/var/lib/relayminer/smt', '":memory_pebble:"');
    const c = parseRelayMinerConfig(yaml, { home: '/home/op' });
    expect(c.pocketNode.queryNodeRpcUrl).toBe('http://full-node:26657');
    expect(c.smtStorePath).toBe('/home/op/.pocket/smt');
    expect(parseRelayMinerConfig(MINIMAL.replace('/var/lib/relayminer/smt', '":memory:"'), { home: '/h' }).smtStorePath).toBe('/h/.pocket/smt');
  });

  it('treats zero as "use the default", as the Go reader does', () => {
    const yaml = `${MINIMAL}default_request_timeout_seconds: 0\nserved_relays_buffer_size: 0\nmining_pipeline_buffer_size: 0\nmining_workers: 0\n`;
    const c = parseRelayMinerConfig(yaml, { cpus: 2 });
    expect([c.defaultRequestTimeoutSeconds, c.servedRelaysBufferSize, c.miningPipelineBufferSize, c.miningWorkers]).toEqual([10, 1000, 50, 2]);
  });
});

describe('loadRelayMinerConfig: each invalid key is named', () => {
  const sub = (from: string, to: string): string => {
    expect(MINIMAL).toContain(from);
    return MINIMAL.replace(from, to);
  };

  it.each<[string, string, string]>([
    ['missing smt_store_path', sub('smt_store_path: /var/lib/relayminer/smt\n', ''), 'smt_store_path'],
    ['bad default_max_body_size', `${MINIMAL}default_max_body_size: 20mb\n`, 'default_max_body_size'],
    ['decimal body size', `${MINIMAL}default_max_body_size: 1.5MB\n`, 'default_max_body_size'],
    ['quoted bool', `${MINIMAL}enable_over_servicing: "true"\n`, 'enable_over_servicing'],
    ['non-integer timeout', `${MINIMAL}default_request_timeout_seconds: ten\n`, 'default_request_timeout_seconds'],
    ['negative buffer', `${MINIMAL}served_relays_buffer_size: -1\n`, 'served_relays_buffer_size'],
    ['negative workers', `${MINIMAL}mining_workers: -2\n`, 'mining_workers'],
    ['bad overflow policy', `${MINIMAL}served_relays_overflow: block\n`, 'served_relays_overflow'],
    ['missing tx_node_rpc_url', sub('  tx_node_rpc_url: http://full-node:26657\n', ''), 'pocket_node.tx_node_rpc_url'],
    ['missing query_node_grpc_url', sub('  query_node_grpc_url: http://full-node:9090\n', ''), 'pocket_node.query_node_grpc_url'],
    ['bad query_node_rpc_url', sub('query_node_rpc_url: http://full-node:26657', 'query_node_rpc_url: not a url'), 'pocket_node.query_node_rpc_url'],
    ['no suppliers', MINIMAL.replace(/suppliers:[\s\S]*?(?=metrics:)/, 'suppliers: []\n'), 'suppliers'],
    ['missing service_id', sub('  - service_id: anvil\n    listen_url', '  - listen_url'), 'suppliers[0].service_id'],
    ['https listen_url', sub('listen_url: http://0.0.0.0:8545', 'listen_url: https://0.0.0.0:8545'), 'suppliers[0].listen_url'],
    ['listen_url without port', sub('listen_url: http://0.0.0.0:8545', 'listen_url: http://0.0.0.0'), 'suppliers[0].listen_url'],
    ['missing service_config', sub('    service_config:\n      backend_url: http://anvil:8547\n      forward_pocket_headers: true\n', ''), 'suppliers[0].service_config'],
    ['missing backend_url', sub('      backend_url: http://anvil:8547\n', ''), 'suppliers[0].service_config.backend_url'],
    ['ftp backend_url', sub('backend_url: http://anvil:8547', 'backend_url: ftp://anvil:8547'), 'suppliers[0].service_config.backend_url'],
    ['unknown rpc type', sub('      websocket:\n', '      jsonrpc2:\n'), 'suppliers[0].rpc_type_service_configs.jsonrpc2'],
    ['bad rpc type backend', sub('backend_url: ws://anvil:8548', 'backend_url: gopher://anvil'), 'suppliers[0].rpc_type_service_configs.websocket.backend_url'],
    ['bad supplier max_body_size', sub('    listen_url: http://0.0.0.0:8545\n', '    listen_url: http://0.0.0.0:8545\n    max_body_size: 10 MB\n'), 'suppliers[0].max_body_size'],
    ['no signing keys anywhere', sub('default_signing_key_names: [supplier-op-1]\n', ''), 'suppliers[0].signing_key_names'],
    ['empty key name', sub('[supplier-op-1]', '["supplier-op-1", ""]'), 'default_signing_key_names[1]'],
    ['metrics without addr', sub('metrics: { enabled: true, addr: ":9090" }', 'metrics: { enabled: true }'), 'metrics.addr'],
    ['ping enabled not bool', sub('ping: { enabled: true,', 'ping: { enabled: 2,'), 'ping.enabled'],
  ].map(([name, yaml, key]) => [name, key, yaml] as [string, string, string]))('%s → %s', (_name, key, yaml) => {
    expect(configError(yaml).key).toBe(key);
  });

  it('names the second of two entries with the same service id', () => {
    const yaml = MINIMAL.replace('metrics:', '  - service_id: anvil\n    listen_url: http://0.0.0.0:9000\n    service_config: { backend_url: "http://x:1" }\nmetrics:');
    const e = configError(yaml);
    expect(e.key).toBe('suppliers[1].service_id');
  });

  it('names the supplier index for later entries', () => {
    const yaml = MINIMAL.replace('metrics:', '  - service_id: two\n    listen_url: http://0.0.0.0:9000\n    service_config: { backend_url: "mailto:x" }\nmetrics:');
    expect(configError(yaml).key).toBe('suppliers[1].service_config.backend_url');
  });

  it('never echoes secrets: passwords, header values or URLs with credentials', () => {
    const withSecrets = MINIMAL.replace(
      '      forward_pocket_headers: true\n',
      '      forward_pocket_headers: true\n      authentication: { username: bob, password: TOPSECRETPW }\n      headers: { "Bad Header": TOPSECRETHDR }\n',
    );
    const e = configError(withSecrets);
    expect(e.key).toBe('suppliers[0].service_config.headers.Bad Header');
    expect(e.message).not.toContain('TOPSECRET');
    const badUrl = MINIMAL.replace('backend_url: http://anvil:8547', 'backend_url: "http://user:TOPSECRETPW@[bad"');
    const e2 = configError(badUrl);
    expect(e2.key).toBe('suppliers[0].service_config.backend_url');
    expect(e2.message).not.toContain('TOPSECRET');
  });

  it('reports YAML syntax errors and empty configs', () => {
    expect(configError('suppliers: [\n').key).toBe('');
    expect(() => parseRelayMinerConfig('   ')).toThrow(ConfigError);
    expect(() => loadRelayMinerConfig('/nonexistent/relayminer.yaml')).toThrow(ConfigError);
  });
});

describe('parseBodySize', () => {
  it('uses binary units and the Go pattern only', () => {
    expect(parseBodySize('0B')).toBe(0);
    expect(parseBodySize('1KB')).toBe(1024);
    expect(parseBodySize('20MB')).toBe(20971520);
    expect(parseBodySize('3GB')).toBe(3 * 2 ** 30);
    expect(parseBodySize('1TB')).toBe(2 ** 40);
    for (const bad of ['1kb', '1 MB', '1.5MB', 'MB', '1PB', '-1MB', '1M']) expect(parseBodySize(bad)).toBeUndefined();
  });
});
