/** `relayminer config validate`: the resolved summary on a good file, each problem with its YAML path on bad ones. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './cli-harness.js';
import { configYaml, writeConfig, writeKeys } from './config-fixture.js';
import { cosmosAddress } from './independent-hd.js';
import { writeFileSync } from 'node:fs';

const KEY = new Uint8Array(32).fill(0x22);
const KEY_HEX = Buffer.from(KEY).toString('hex');
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
  writeKeys(tmp.dir, { 'supplier-op-1': KEY });
});
afterEach(() => tmp.remove());

const validate = (path: string, ...flags: string[]) => cli(['config', 'validate', '--config', path, ...flags]);

describe('config validate', () => {
  it('prints services, listen addresses, operator addresses and the store path of a good config', async () => {
    const path = writeConfig(tmp.dir, {
      chainId: 'pocket-test',
      services: [
        { id: 'anvil', listen: 'http://0.0.0.0:8545', backend: 'https://user:s3cret@rpc.example.com/v1/API-KEY-123?token=abc' },
        { id: 'base', listen: 'http://0.0.0.0:8545', backend: 'http://10.0.0.2:8547' },
      ],
      metricsAddr: ':9090',
    });
    const run = await validate(path);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('chain id:       pocket-test');
    expect(run.out).toMatch(/anvil +listen http:\/\/0\.0\.0\.0:8545 +backend https:\/\/rpc\.example\.com\n/);
    expect(run.out).toMatch(/base +listen http:\/\/0\.0\.0\.0:8545 +backend http:\/\/10\.0\.0\.2:8547/);
    expect(run.out).toMatch(new RegExp(`supplier-op-1 +${cosmosAddress(KEY)}`));
    expect(run.out).toContain(`smt store path: ${join(process.cwd(), 'smt')}`);
    expect(run.out).toContain('metrics:        :9090');
    expect(run.out.endsWith('config OK')).toBe(true);
    // no secrets: key, backend credentials, API key in the path or query
    for (const secret of [KEY_HEX, 's3cret', 'API-KEY-123', 'token=abc']) expect(run.out + run.err).not.toContain(secret);
  });

  it('takes the chain id and keys file from the flags', async () => {
    const path = writeConfig(tmp.dir, { keysFile: 'missing.yaml' });
    const other = join(tmp.dir, 'elsewhere');
    writeFileSync(other, `supplier-op-1: "${KEY_HEX}"\n`);
    const run = await validate(path, '--chain-id', 'flag-chain', '--keys-file', other, '--node', 'tcp://127.0.0.1:26657');
    expect(run.err).toBe('');
    expect(run.out).toContain('chain id:       flag-chain');
    expect(run.out).toContain('query node:     http://127.0.0.1:26657');
    expect(run.out).toContain(`keys file:      ${other}`);
  });

  it('names the YAML path of a bad value', async () => {
    const cases: Array<[string, string]> = [
      [configYaml({ chainId: 'c' }).replace('backend_url: http://127.0.0.1:1', 'backend_url: ftp://x'), 'suppliers[0].service_config.backend_url: scheme must be one of'],
      [configYaml({ chainId: 'c' }).replace('listen_url: http://127.0.0.1:0', 'listen_url: https://127.0.0.1:1'), 'suppliers[0].listen_url: scheme must be one of http, ws'],
      [configYaml({ chainId: 'c' }).replace(/suppliers:[\s\S]*$/, 'suppliers: []\n'), 'suppliers: must list at least one supplier'],
      [configYaml({ chainId: 'c' }).replace('smt_store_path: ./smt', ''), 'smt_store_path: is required'],
      [configYaml(), 'pocket_node.chain_id: is required: pass --chain-id or set pocket_node.chain_id'],
      [configYaml({ chainId: 'c', pocketNodeExtra: 'gas_adjustment: lots' }), 'pocket_node.gas_adjustment: must be a number'],
      [configYaml({ chainId: 'c', pocketNodeExtra: 'gas_prices: cheap' }), 'pocket_node.gas_prices: expected one coin'],
      [configYaml({ chainId: 'c', pocketNodeExtra: 'query_timeout_ms: -5' }), 'pocket_node.query_timeout_ms: must be a non-negative integer'],
      [configYaml({ chainId: 'c', rpcUrl: 'grpc://user:pw@node:1' }), 'pocket_node.tx_node_rpc_url: must be an http(s) URL'],
      [configYaml({ chainId: 'c' }) + 'metrics: { enabled: true }\n', 'metrics.addr: is required when enabled'],
      ['suppliers: [\n', 'is not valid YAML'],
    ];
    for (const [yaml, message] of cases) {
      const path = join(tmp.dir, 'bad.yaml');
      writeFileSync(path, yaml);
      const run = await validate(path);
      expect(run.code, message).toBe(1);
      expect(run.err, message).toContain(`error: ${message}`);
      expect(run.err).not.toContain('pw@');
      expect(run.out).toBe('');
    }
  });

  it('reports every independent problem: keys, metrics address, port clash', async () => {
    const path = writeConfig(tmp.dir, {
      chainId: 'c',
      keyNames: ['supplier-op-1', 'nobody'],
      services: [{ id: 'svc1', listen: 'http://0.0.0.0:8545', backend: 'http://127.0.0.1:1' }],
      metricsAddr: '127.0.0.1:8545',
      extra: 'ping: { enabled: true, addr: "nonsense" }',
    });
    const run = await validate(path);
    expect(run.code).toBe(1);
    expect(run.err.split('\n')).toEqual([
      'error: metrics.addr: port 8545 is also used by the listen_url of service svc1',
      'error: ping.addr: must be host:port or :port',
      'error: keys_file: has no key named "nobody"',
    ]);
  });

  it('flags that do not parse are usage errors (exit 2)', async () => {
    const path = writeConfig(tmp.dir, { chainId: 'c' });
    expect((await validate(path, '--gas-adjustment', 'x')).code).toBe(2);
    expect((await validate(path, '--node', 'node:26657')).code).toBe(2);
    expect((await cli(['config', 'validate'])).code).toBe(2);
    expect((await cli(['config', 'check', '--config', path])).code).toBe(2);
    const gas = await validate(path, '--gas-prices', 'free');
    expect(gas.code).toBe(1);
    expect(gas.err).toContain('error: --gas-prices: expected one coin');
    const missing = await validate(join(tmp.dir, 'nope.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read config file');
  });
});
