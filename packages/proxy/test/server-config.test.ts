/** Relay servers built from a relay miner YAML via the config loader. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseRelayMinerConfig } from '../src/config/index.js';
import { relayServerOptionsFromConfig, startRelayServers } from '../src/server/index.js';
import {
  CountingMeter,
  FakeAuthenticator,
  StaticKeyRing,
  SUPPLIER_KEY,
  expectSigned,
  post,
  relayRequestBytes,
  sessionHeader,
  startBackend,
  type Backend,
} from './server-fixtures.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((c) => c()));
  cleanup = [];
});
async function backend(name: string): Promise<Backend> {
  const b = await startBackend(undefined, name);
  cleanup.push(b.close);
  return b;
}

describe('relay servers from the YAML config', () => {
  it('serves two services on one listen address with their rpc-type backends, headers and auth', async () => {
    const one = await backend('one');
    const oneRest = await backend('one-rest');
    const two = await backend('two');
    const config = parseRelayMinerConfig(`
default_signing_key_names: [supplier]
smt_store_path: /tmp/smt
enable_eager_relay_request_validation: true
pocket_node:
  query_node_grpc_url: http://127.0.0.1:9090
  tx_node_rpc_url: http://127.0.0.1:26657
suppliers:
  - service_id: svc1
    listen_url: http://127.0.0.1:0
    request_timeout_seconds: 3
    max_body_size: 1MB
    service_config:
      backend_url: ${one.url}/rpc
      forward_pocket_headers: true
      headers: { X-Api-Key: k1 }
      authentication: { username: u, password: p }
    rpc_type_service_configs:
      rest:
        backend_url: ${oneRest.url}
  - service_id: svc2
    listen_url: http://127.0.0.1:0
    service_config:
      backend_url: ${two.url}
ping: { enabled: true, addr: "127.0.0.1:0" }
`);
    const options = relayServerOptionsFromConfig(config, {
      keyRing: new StaticKeyRing([SUPPLIER_KEY]),
      authenticator: new FakeAuthenticator(),
      meter: new CountingMeter(),
      currentHeight: () => 2n,
      rewardable: () => true,
    });
    expect(options.suppliers[0]).toMatchObject({ requestTimeoutMs: 3000, maxBodyBytes: 1 << 20 });
    expect(options.replyAfterPersist).toBe(true); // the config's default: replies wait for the relay log
    const servers = await startRelayServers(options);
    cleanup.push(() => servers.close());
    const sub = servers.servedRelays().subscribe((r) => r.onSettled?.());
    cleanup.push(async () => sub.unsubscribe());
    expect(servers.servers).toHaveLength(1);
    const url = servers.servers[0]!.url;

    expect(expectSigned(await post(url, relayRequestBytes({ url: 'http://g/x' }))).json).toMatchObject({ backend: 'one', url: '/rpc/x' });
    expect(one.seen[0]!.headers['x-api-key']).toBe('k1');
    expect(one.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(one.seen[0]!.headers['pocket-service']).toBe('svc1');
    expect(expectSigned(await post(url, relayRequestBytes(), { 'Rpc-Type': '4' })).json.backend).toBe('one-rest');
    expect(expectSigned(await post(url, relayRequestBytes({ header: sessionHeader('svc2') }))).json.backend).toBe('two');
    expect((await fetch(servers.pingUrl!)).status).toBe(204);
  });
});
