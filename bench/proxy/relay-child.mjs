// The relayminer side of the proxy benchmark, in its own process (forked with IPC so the suite can ask
// for counters between runs): a localnet whose sessions outlast the run, the relay servers with the
// real ChainRelayAuthenticator and ChainRelayMeter in eager mode (every relay fully verified before it
// is served), and a subscriber draining servedRelays() the way the miner would.
// Usage: node relay-child.mjs <backendPort> <bodiesFile> <poolSize>
// Writes the pre-signed pool to bodiesFile, then sends { port } over IPC. Answers 'stats' with stats().
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ChainClient } from '@relayminer/chain';
import { startLocalnet } from '@relayminer/localnet';
import {
  POKTHTTPRequest,
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  RelayRequest,
  RingSigner,
  addressFromPrivateKey,
  fromHex,
  relayRequestSignableHash,
  ringAddressesForSession,
} from '@relayminer/protocol';
import { ChainRelayAuthenticator, ChainRelayMeter, StaticKeyRing, createRingVerifyWorkers, startRelayServers } from '@relayminer/proxy';

const [backendPort, bodiesFile, poolArg] = process.argv.slice(2);
const poolSize = Number(poolArg ?? 400);

const key = (label) => new Uint8Array(createHash('sha256').update(`bench/proxy/${label}`).digest());
const hex = (b) => Buffer.from(b).toString('hex');
const APP_KEY = key('app');
const GATEWAY_KEY = key('gateway');
const SUPPLIER_KEY = key('supplier');
const SERVICE = 'anvil';

// Sessions of 1000 one-second blocks: a whole benchmark run stays inside the first session, so the
// ring and session lookups are cached as they would be in steady state and nothing expires midway.
// The stake buys ~10^13 relays at 42 uPOKT each: metering never refuses.
const genesis = {
  chain_id: 'bench-proxy',
  block_time_ms: 1000,
  min_gas_price: '0.000001upokt',
  params: {
    shared: {
      num_blocks_per_session: 1000,
      grace_period_end_offset_blocks: 1,
      claim_window_open_offset_blocks: 1,
      claim_window_close_offset_blocks: 8,
      proof_window_open_offset_blocks: 0,
      proof_window_close_offset_blocks: 4,
      supplier_unbonding_period_sessions: 4,
      application_unbonding_period_sessions: 4,
      gateway_unbonding_period_sessions: 4,
      compute_units_to_tokens_multiplier: 42_000_000,
      compute_unit_cost_granularity: 1_000_000,
    },
    session: { num_suppliers_per_session: 15 },
    proof: { proof_request_probability: 0 },
  },
  accounts: [
    { name: 'app', private_key: hex(APP_KEY), balance: '100000000000000000000upokt' },
    { name: 'supplier', private_key: hex(SUPPLIER_KEY), balance: '1000000000upokt' },
    { name: 'gateway', private_key: hex(GATEWAY_KEY), balance: '1000000upokt' },
  ],
  services: [{ id: SERVICE, name: 'Anvil', compute_units_per_relay: 1, owner: 'app' }],
  relay_mining_difficulty: [{ service_id: SERVICE, target_hash: 'ff'.repeat(32), num_relays_ema: 100 }],
  applications: [{ account: 'app', stake: '10000000000000000000upokt', services: [SERVICE], delegatees: ['gateway'] }],
  suppliers: [
    {
      operator: 'supplier',
      stake: '1000000upokt',
      services: [{ service_id: SERVICE, endpoints: [{ url: 'http://127.0.0.1:1', rpc_type: 'JSON_RPC' }] }],
    },
  ],
};

const net = await startLocalnet({ genesis, port: 0 });
const chain = await ChainClient.connect({
  chain_id: net.chainId,
  query_node_rpc_url: net.rpcUrl,
  query_node_grpc_url: 'http://127.0.0.1:9090',
  tx_node_rpc_url: net.rpcUrl,
  query_node_ws_url: net.wsUrl,
  query_timeout_ms: 5000,
  query_max_attempts: 3,
  query_backoff_initial_ms: 20,
  query_backoff_max_ms: 200,
  ws_reconnect_initial_ms: 50,
  ws_reconnect_max_ms: 500,
});
await chain.blocks.waitFor(BigInt(net.height));

const APP = addressFromPrivateKey(APP_KEY);
const header = (await chain.query.getSession(APP, SERVICE, chain.blocks.height)).header;
const addresses = ringAddressesForSession(await chain.query.application(APP), header.sessionEndBlockHeight);
const ring = await Promise.all(
  addresses.map(async (a) => (a === RING_PLACEHOLDER_ADDRESS ? fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX) : (await chain.query.account(a)).pubKey)),
);

const keyRing = new StaticKeyRing(new Map([['supplier', SUPPLIER_KEY]]));
const supplier = keyRing.operatorAddresses[0];

// Distinct requests (their bodies differ), half signed by the app itself and half by its gateway.
const signers = [new RingSigner(APP_KEY), new RingSigner(GATEWAY_KEY)];
const frames = [];
for (let i = 0; i < poolSize; i++) {
  const payload = POKTHTTPRequest.marshal({
    method: 'POST',
    header: { 'Content-Type': { key: 'Content-Type', values: ['application/json'] } },
    url: 'http://gateway/',
    bodyBz: new TextEncoder().encode(`{"jsonrpc":"2.0","id":${i},"method":"eth_blockNumber","params":[]}`),
  });
  const unsigned = { meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: supplier }, payload };
  const signature = signers[i % 2].sign(relayRequestSignableHash(unsigned), ring);
  const bytes = RelayRequest.marshal({ ...unsigned, meta: { ...unsigned.meta, signature } });
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  frames.push(len, Buffer.from(bytes));
}
writeFileSync(bodiesFile, Buffer.concat(frames));

const servers = await startRelayServers({
  suppliers: [
    {
      serviceId: SERVICE,
      listenUrl: 'http://127.0.0.1:0',
      backend: { url: `http://127.0.0.1:${backendPort}/` },
      requestTimeoutMs: 10_000,
      maxBodyBytes: 20 * 1024 * 1024,
    },
  ],
  keyRing,
  // Ring verification on worker threads as the miner runs it; RELAYMINER_VERIFY_WORKERS=0 keeps it in-process.
  authenticator: ChainRelayAuthenticator.fromChainClient(chain, keyRing, createRingVerifyWorkers()),
  meter: ChainRelayMeter.fromChainClient(chain),
  eagerValidation: true,
  overServicing: false,
  currentHeight: () => chain.blocks.height ?? 0n,
  rewardable: () => true,
  servedBuffer: { size: 1000, overflow: 'drop' },
  onBackgroundError: (e) => console.error(`relay-child: ${e.message}`),
});
let mined = 0;
servers.servedRelays().subscribe(() => mined++);

process.on('message', async (msg) => {
  if (msg === 'stats') process.send({ stats: servers.stats(), mined, height: String(chain.blocks.height) });
  else if (msg === 'stop') {
    await servers.close();
    chain.close();
    await net.stop();
    process.exit(0);
  }
});
process.send({ port: new URL(servers.servers[0].url).port, ringSize: ring.length, sessionEnd: String(header.sessionEndBlockHeight) });
