/**
 * The relay server with the real ChainRelayAuthenticator against a localnet: ring-signed relays for an
 * on-chain session are served, signed and emitted; forged or foreign ones are refused (eager) or
 * served but never emitted (lazy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainClient } from '@relayminer/chain';
import type { LocalnetHandle } from '@relayminer/localnet';
import { POKTHTTPRequest, RelayRequest, RingSigner, relayRequestSignableHash, type SessionHeader } from '@relayminer/protocol';
import { ChainRelayAuthenticator } from '../src/auth/index.js';
import { StaticKeyRing } from '../src/keys/index.js';
import { startRelayServers, type RelayServers } from '../src/server/index.js';
import type { ServedRelay } from '../src/types.js';
import { APP, GATEWAY_KEY, PEER_SUPPLIER, SERVICE, STRANGER_KEY, SUPPLIER_KEY, advance, chainRing, connect, startNet } from './auth-fixture.js';
import { CountingMeter, expectError, expectSigned, post, service, settle, startBackend, type Backend } from './server-fixtures.js';

let net: LocalnetHandle;
let chain: ChainClient;
let backend: Backend;
let header: SessionHeader;
let ring: Uint8Array[];
const keyRing = new StaticKeyRing(new Map([['supplier', SUPPLIER_KEY]]));

beforeAll(async () => {
  net = await startNet();
  chain = await connect(net);
  await advance(net, chain, 1); // height 2, inside session [1, 4]
  backend = await startBackend();
  header = (await chain.query.getSession(APP, SERVICE, BigInt(net.height))).header!;
  ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
});

afterAll(async () => {
  await backend?.close();
  chain?.close();
  await net?.stop();
});

/** A relay a gateway of the app would send: POKTHTTPRequest payload, ring-signed over the app's ring. */
function signedRelay(opts: { signerKey?: Uint8Array; supplier?: string; body?: string } = {}): Uint8Array {
  const payload = POKTHTTPRequest.marshal({
    method: 'POST',
    header: { 'Content-Type': { key: 'Content-Type', values: ['application/json'] } },
    url: 'http://gateway/',
    bodyBz: new TextEncoder().encode(opts.body ?? '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}'),
  });
  const unsigned: RelayRequest = {
    meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: opts.supplier ?? keyRing.operatorAddresses[0]! },
    payload,
  };
  const signer = new RingSigner(opts.signerKey ?? GATEWAY_KEY);
  let signingRing = ring;
  if (opts.signerKey) {
    // A key outside the app's ring signs over a ring containing itself: a valid bLSAG the chain's ring refuses.
    const own = new RingSigner(opts.signerKey).publicKey;
    signingRing = [own, ...ring.slice(1)];
  }
  const signature = signer.sign(relayRequestSignableHash(unsigned), signingRing);
  return RelayRequest.marshal({ ...unsigned, meta: { ...unsigned.meta!, signature } });
}

async function start(eagerValidation: boolean): Promise<{ servers: RelayServers; served: ServedRelay[] }> {
  const servers = await startRelayServers({
    suppliers: [service(SERVICE, backend.url)],
    keyRing,
    authenticator: ChainRelayAuthenticator.fromChainClient(chain, keyRing),
    meter: new CountingMeter(),
    eagerValidation,
    overServicing: false,
    currentHeight: () => chain.blocks.height ?? 0n,
    rewardable: () => true,
    servedBuffer: { size: 100, overflow: 'drop' },
  });
  const served: ServedRelay[] = [];
  servers.servedRelays().subscribe((r) => served.push(r));
  return { servers, served };
}

describe('relay server with ChainRelayAuthenticator (localnet)', () => {
  it('serves, signs and emits a ring-signed relay of an on-chain session', async () => {
    const { servers, served } = await start(true);
    try {
      const { response, json } = expectSigned(await post(servers.servers[0]!.url, signedRelay({ body: '{"id":42}' })));
      expect(json.body).toBe('{"id":42}');
      expect(response.meta?.sessionHeader).toEqual(header);
      await settle();
      expect(served).toHaveLength(1);
      expect(served[0]!.sessionHeader).toEqual(header);
    } finally {
      await servers.close();
    }
  });

  it('refuses a signature from outside the app ring and a supplier not in the session (eager)', async () => {
    const { servers, served } = await start(true);
    try {
      const url = servers.servers[0]!.url;
      const seenBefore = backend.seen.length;
      const forged = expectError(await post(url, signedRelay({ signerKey: STRANGER_KEY })));
      expect(forged.codespace).toBe('rings');
      // PEER_SUPPLIER is not ours: refused by the server before authentication.
      expect(expectError(await post(url, signedRelay({ supplier: PEER_SUPPLIER }))).code).toBe(9);
      expect(backend.seen.length).toBe(seenBefore);
      await settle();
      expect(served).toHaveLength(0);
    } finally {
      await servers.close();
    }
  });

  it('lazily serves an unknown session, and does not emit it when its signature is forged', async () => {
    const { servers, served } = await start(false);
    try {
      expectSigned(await post(servers.servers[0]!.url, signedRelay({ signerKey: STRANGER_KEY })));
      await settle(200);
      expect(served).toHaveLength(0);
      expect(servers.stats().dropped.validation_failed).toBe(1);
      expectSigned(await post(servers.servers[0]!.url, signedRelay()));
      await settle(200);
      expect(served).toHaveLength(1);
    } finally {
      await servers.close();
    }
  });
});
