/**
 * WebSocket relays (protocol.md §11) over real sockets: the handshake resolves the session and
 * connects the backend, frames are verified, metered, forwarded raw and answered with supplier-signed
 * responses, every request/response pair is emitted, invalid frames get §9 error frames without
 * closing the bridge, refused handshakes get a §9 error reply, and the bridge ends with its session.
 * The last block runs against a localnet with the real ChainRelayAuthenticator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ChainClient } from '@relayminer/chain';
import type { LocalnetHandle } from '@relayminer/localnet';
import {
  RelayRequest,
  RingSigner,
  claimWindowOpenHeight,
  publicKeyFromPrivateKey,
  verifyRelayResponseSignature,
  type RelayResponse,
  type SessionHeader,
} from '@relayminer/protocol';
import { ChainRelayAuthenticator } from '../src/auth/index.js';
import { StaticKeyRing as KeyRing } from '../src/keys/index.js';
import { startRelayServers, type RelayServerOptions } from '../src/server/index.js';
import type { ServedRelay } from '../src/types.js';
import { APP as CHAIN_APP, SERVICE, STRANGER_KEY, SUPPLIER_KEY as CHAIN_SUPPLIER_KEY, advance, chainRing, connect, signedRequest, startNet } from './auth-fixture.js';
import {
  APP,
  CountingMeter,
  FakeAuthenticator,
  RelayError,
  STRANGER,
  SUPPLIER_PUBLIC_KEY,
  closedAfterEach,
  expectError,
  service,
  sessionHeader,
  settle,
} from './server-fixtures.js';
import {
  FakeSessionResolver,
  HandshakeRefused,
  bridgeHeaders,
  decodeResponse,
  openBridge,
  requestFrame,
  send,
  startWsBackend,
  type Frame,
  type FrameReader,
  type WsBackend,
} from './websocket-fixtures.js';

const { harness, track } = closedAfterEach();

async function wsBackend(): Promise<WsBackend> {
  const b = await startWsBackend();
  track(b.close);
  return b;
}

async function bridge(url: string, headers?: Record<string, string>): Promise<FrameReader> {
  const reader = await openBridge(url, headers);
  track(async () => reader.socket.terminate());
  return reader;
}

/** Relay servers whose `svc1` has a websocket backend, with fakes for every seam. */
async function start(extra: Partial<RelayServerOptions> = {}, doubles: Parameters<typeof harness>[2] = {}) {
  const backend = await wsBackend();
  const resolver = new FakeSessionResolver();
  const h = await harness(
    [service('svc1', 'http://127.0.0.1:9', { rpcTypeBackends: { websocket: { url: backend.url } } })],
    { sessionResolver: resolver, bridgeCheckIntervalMs: 20, ...extra },
    doubles,
  );
  return { backend, resolver, h };
}

/** A frame that must be a supplier-signed RelayResponse with a correct payload hash. */
function expectSignedFrame(frame: Frame, publicKey = SUPPLIER_PUBLIC_KEY): RelayResponse {
  const response = decodeResponse(frame);
  if (response.relayMinerError) throw new Error(`error frame: ${response.relayMinerError.message}`);
  expect(verifyRelayResponseSignature(response, publicKey)).toBe(true);
  expect(Buffer.from(response.payloadHash!)).toEqual(createHash('sha256').update(response.payload).digest());
  return response;
}

/** A frame that must be a §9 error RelayResponse (same checks as an HTTP error reply's body). */
function expectErrorFrame(frame: Frame) {
  return expectError({ status: 200, headers: { connection: 'close', 'content-length': String(frame.data.length) }, body: frame.data });
}

async function refusal(url: string, headers: Record<string, string>) {
  const refused = await openBridge(url, headers).then(
    (reader) => (reader.socket.terminate(), undefined),
    (error: unknown) => error,
  );
  if (!(refused instanceof HandshakeRefused)) throw new Error(`handshake was not refused with an error reply: ${String(refused)}`);
  return expectError(refused.reply);
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();
const requestPayload = (relay: ServedRelay): string => text(relay.request.payload);

describe('websocket relays: bridging', () => {
  it('round-trips text and binary frames, each answered by a supplier-signed response, emitting every pair', async () => {
    const { backend, resolver, h } = await start();
    const client = await bridge(h.url);
    expect(resolver.calls).toEqual([{ app: APP, serviceId: 'svc1', height: 2n }]);

    const payloads: Array<[Buffer, boolean]> = [
      [Buffer.from('{"id":1}'), false],
      [Buffer.from([0, 1, 2, 0xff]), true],
      [Buffer.from('{"id":3}'), false],
    ];
    for (const [payload, isBinary] of payloads) {
      send(client, requestFrame(payload), isBinary);
      const frame = await client.next();
      expect(frame.isBinary).toBe(isBinary);
      const response = expectSignedFrame(frame);
      expect(Buffer.from(response.payload)).toEqual(Buffer.concat([Buffer.from('echo:'), payload]));
      expect(response.meta?.sessionHeader).toEqual(sessionHeader());
    }
    expect(backend.received).toEqual(payloads.map(([data, isBinary]) => ({ data, isBinary })));
    expect(backend.handshakes).toHaveLength(1);

    await settle();
    // Each frame pairs with the other side's latest: req1 alone is not a relay, every later frame is.
    const pairs = h.served.map((r) => [requestPayload(r), text(r.response.payload)]);
    const [one, two, three] = payloads.map(([p]) => p.toString());
    expect(pairs).toEqual([
      [one, `echo:${one}`],
      [two, `echo:${one}`],
      [two, `echo:${two}`],
      [three, `echo:${two}`],
      [three, `echo:${three}`],
    ]);
    for (const relay of h.served) {
      expect(relay.serviceId).toBe('svc1');
      expect(relay.receivedAtHeight).toBe(2n);
      expect(verifyRelayResponseSignature(relay.response, SUPPLIER_PUBLIC_KEY)).toBe(true);
    }
    expect(h.auth.calls).toBe(3);
    // Metered per frame; the unpaired first request is given back.
    expect(h.meter.charges).toBe(6);
    expect(h.meter.refunds).toBe(1);
    expect(h.servers.stats()).toMatchObject({ served: 3, emitted: 5, rejected: {} });
  });

  it('signs and emits backend pushes with the latest request (subscriptions)', async () => {
    const { backend, h } = await start();
    const client = await bridge(h.url);
    send(client, requestFrame('{"method":"eth_subscribe"}'), false);
    expectSignedFrame(await client.next());
    backend.push('event-1');
    backend.push(Buffer.from([9, 9]), true);
    const first = await client.next();
    const second = await client.next();
    expect(text(expectSignedFrame(first).payload)).toBe('event-1');
    expect(first.isBinary).toBe(false);
    expect(Buffer.from(expectSignedFrame(second).payload)).toEqual(Buffer.from([9, 9]));
    expect(second.isBinary).toBe(true);
    await settle();
    expect(h.served.map(requestPayload)).toEqual(Array(3).fill('{"method":"eth_subscribe"}'));
    expect(h.served.map((r) => text(r.response.payload)).slice(1)).toEqual(['event-1', '\u0009\u0009']);
  });

  it('discards backend frames that arrive before any request (nothing to sign them with)', async () => {
    const { backend, h } = await start();
    const client = await bridge(h.url);
    await settle(); // the backend side of the bridge is open once the client is
    backend.push('too-early');
    await settle(100);
    expect(client.frames).toHaveLength(0);
    send(client, requestFrame('{"id":1}'));
    expect(text(expectSignedFrame(await client.next()).payload)).toBe('echo:{"id":1}');
  });
});

describe('websocket relays: invalid frames', () => {
  it('answers a frame of another session with relay_authenticator 1 and keeps the bridge open', async () => {
    const { backend, h } = await start();
    const client = await bridge(h.url);
    const foreign = sessionHeader('svc1', 'b'.repeat(64));
    send(client, requestFrame('{"id":1}', { header: foreign }));
    const error = expectErrorFrame(await client.next());
    expect(error).toMatchObject({ codespace: 'relay_authenticator', code: 1, description: 'invalid session in relayer request' });
    expect(error.message).toContain('session mismatch');
    expect(error.response.meta?.sessionHeader).toEqual(foreign);
    expect(backend.received).toHaveLength(0);

    send(client, requestFrame('{"id":2}'));
    expect(text(expectSignedFrame(await client.next()).payload)).toBe('echo:{"id":2}');
    expect(h.servers.stats().rejected).toEqual({ 'relay_authenticator:1': 1 });
  });

  it('answers a malformed frame with relayer_proxy 14 and keeps the bridge open (Go closes the bridge)', async () => {
    const { backend, h } = await start();
    const client = await bridge(h.url);
    send(client, new Uint8Array([0xff, 0xff, 0xff]));
    const error = expectErrorFrame(await client.next());
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 14, description: 'failed to unmarshal relay request' });
    expect(error.response.meta?.sessionHeader).toMatchObject({ serviceId: '', sessionId: '' });
    // ValidateBasic runs per frame too.
    send(client, Buffer.from(RelayRequest.marshal({ meta: { sessionHeader: sessionHeader(), signature: new Uint8Array(0), supplierOperatorAddress: '' }, payload: new Uint8Array(1) })));
    expect(expectErrorFrame(await client.next())).toMatchObject({ codespace: 'service', code: 1111 });
    expect(backend.received).toHaveLength(0);

    send(client, requestFrame('{"id":1}'));
    expect(text(expectSignedFrame(await client.next()).payload)).toBe('echo:{"id":1}');
    await settle();
    expect(h.served).toHaveLength(1);
  });

  it('verifies and meters every frame: forged, foreign-supplier and over-budget frames are refused', async () => {
    const auth = new FakeAuthenticator();
    auth.reject = (r) => (text(r.payload) === 'forged' ? new RelayError('rings', 3, 'invalid relay request signature', 'bad ring signature') : undefined);
    const { backend, h } = await start({}, { auth, meter: new CountingMeter(2) });
    const client = await bridge(h.url);

    send(client, requestFrame('forged'));
    expect(expectErrorFrame(await client.next())).toMatchObject({ codespace: 'rings', code: 3 });
    send(client, requestFrame('stranger', { supplier: STRANGER }));
    expect(expectErrorFrame(await client.next())).toMatchObject({ codespace: 'relayer_proxy', code: 9 });
    // Budget 2: 'ok' is charged and given back (nothing to pair with yet), its echo is the first
    // charge, 'ok-2' the second; the echo of 'ok-2' is over budget (sent, not mined), and the next
    // request is refused before reaching the backend.
    send(client, requestFrame('ok'));
    expectSignedFrame(await client.next());
    send(client, requestFrame('ok-2'));
    expectSignedFrame(await client.next());
    send(client, requestFrame('over'));
    expect(expectErrorFrame(await client.next())).toMatchObject({ codespace: 'relayer_proxy', code: 7 });

    expect(backend.received.map((f) => f.data.toString())).toEqual(['ok', 'ok-2']);
    expect(auth.calls).toBe(4);
    await settle();
    expect(h.served.map((r) => [requestPayload(r), text(r.response.payload)])).toEqual([
      ['ok', 'echo:ok'],
      ['ok-2', 'echo:ok'],
    ]);
    expect(h.servers.stats().dropped.over_serviced).toBe(1);
  });
});

describe('websocket relays: handshake', () => {
  it('refuses an unknown service with relayer_proxy 3 and the unknown_service_id header', async () => {
    const { backend, h } = await start();
    const error = await refusal(h.url, bridgeHeaders('nope'));
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 3, description: 'service endpoint not handled by relayer proxy' });
    expect(error.response.meta?.sessionHeader).toMatchObject({ serviceId: 'unknown_service_id', sessionId: '', applicationAddress: '' });
    expect(backend.handshakes).toHaveLength(0);
    expect(h.servers.stats().rejected).toEqual({ 'relayer_proxy:3': 1 });
  });

  it('refuses with relayer_proxy 3 without a websocket backend, a session resolver or Rpc-Type 2', async () => {
    const backend = await wsBackend();
    const withWs = { rpcTypeBackends: { websocket: { url: backend.url } } };
    const noWsBackend = await harness([service('svc1', 'http://127.0.0.1:9')], { sessionResolver: new FakeSessionResolver() });
    expect((await refusal(noWsBackend.url, bridgeHeaders())).code).toBe(3);
    const noResolver = await harness([service('svc1', 'http://127.0.0.1:9', withWs)]);
    expect((await refusal(noResolver.url, bridgeHeaders())).code).toBe(3);
    const resolved = await harness([service('svc1', 'http://127.0.0.1:9', withWs)], { sessionResolver: new FakeSessionResolver() });
    expect((await refusal(resolved.url, { ...bridgeHeaders(), 'Rpc-Type': '3' })).code).toBe(3);
    expect((await refusal(resolved.url, { ...bridgeHeaders(), 'Rpc-Type': 'two' })).code).toBe(5);
    expect(backend.handshakes).toHaveLength(0);
  });

  it('refuses with relayer_proxy 5 when the backend is down, without its address', async () => {
    const { backend, h } = await start();
    await backend.close();
    const error = await refusal(h.url, bridgeHeaders());
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 5, description: 'internal error' });
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('refuses with relayer_proxy 5 when the session cannot be resolved, without the query error', async () => {
    const { backend, resolver, h } = await start();
    resolver.fail = true;
    const error = await refusal(h.url, bridgeHeaders());
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 5 });
    expect(error.message).not.toContain('10.0.0.7');
    expect(backend.handshakes).toHaveLength(0);
  });
});

describe('websocket relays: lifetime', () => {
  it('closes the bridge and its backend connection once the session is no longer rewardable', async () => {
    let rewardable = true;
    const { backend, h } = await start({ rewardable: () => rewardable });
    const client = await bridge(h.url);
    send(client, requestFrame('{"id":1}'));
    expectSignedFrame(await client.next());
    rewardable = false;
    expect(await client.closed).toEqual({ code: 1000, reason: 'session ended' });
    await settle(100);
    expect(backend.connections()).toBe(0);
  });

  it('closes the client when the backend goes away, and the backend when the client does', async () => {
    const { backend, h } = await start();
    const first = await bridge(h.url);
    await backend.close();
    expect((await first.closed).code).toBe(1011);
    const other = await start();
    const second = await bridge(other.h.url);
    await settle();
    expect(other.backend.connections()).toBe(1);
    second.socket.close(1000);
    await second.closed;
    await settle(100);
    expect(other.backend.connections()).toBe(0);
  });

  it('closes open bridges with 1001 when the servers close', async () => {
    const { h } = await start();
    const client = await bridge(h.url);
    const closing = h.close();
    expect((await client.closed).code).toBe(1001);
    await closing;
  });
});

describe('websocket relays with ChainRelayAuthenticator (localnet)', () => {
  let net: LocalnetHandle;
  let chain: ChainClient;
  let backend: WsBackend;
  let header: SessionHeader;
  let ring: Uint8Array[];
  const keyRing = new KeyRing(new Map([['supplier', CHAIN_SUPPLIER_KEY]]));

  beforeAll(async () => {
    net = await startNet();
    chain = await connect(net);
    await advance(net, chain, 1); // height 2, inside session [1, 4]
    backend = await startWsBackend();
    header = (await chain.query.getSession(CHAIN_APP, SERVICE, BigInt(net.height))).header!;
    ring = await chainRing(chain, CHAIN_APP, header.sessionEndBlockHeight);
  });

  afterAll(async () => {
    await backend?.close();
    chain?.close();
    await net?.stop();
  });

  const frame = (payload: string, opts: { signerKey?: Uint8Array; ring?: Uint8Array[] } = {}): Buffer =>
    Buffer.from(RelayRequest.marshal(signedRequest(header, ring, { payload, ...opts })));

  it('bridges ring-signed frames of the on-chain session, refuses a forged one, and closes at the claim window', async () => {
    const params = await chain.query.sharedParamsAtHeight(header.sessionEndBlockHeight);
    const current = (): bigint => chain.blocks.height ?? 0n;
    const servers = await startRelayServers({
      suppliers: [service(SERVICE, 'http://127.0.0.1:9', { rpcTypeBackends: { websocket: { url: backend.url } } })],
      keyRing,
      authenticator: ChainRelayAuthenticator.fromChainClient(chain, keyRing),
      meter: new CountingMeter(),
      sessionResolver: chain.query,
      // WebSocket frames are verified before forwarding whatever this says (as Go).
      eagerValidation: false,
      overServicing: false,
      currentHeight: current,
      rewardable: (h) => current() < claimWindowOpenHeight(params, h.sessionEndBlockHeight),
      servedBuffer: { size: 100, overflow: 'drop' },
      bridgeCheckIntervalMs: 20,
    });
    const served: ServedRelay[] = [];
    servers.servedRelays().subscribe((r) => served.push(r));
    try {
      const client = await openBridge(servers.servers[0]!.url, bridgeHeaders(SERVICE, CHAIN_APP));
      const supplierPublicKey = publicKeyFromPrivateKey(CHAIN_SUPPLIER_KEY);
      for (const id of [1, 2]) {
        client.socket.send(frame(`{"id":${id}}`));
        const response = expectSignedFrame(await client.next(5000), supplierPublicKey);
        expect(text(response.payload)).toBe(`echo:{"id":${id}}`);
        expect(response.meta?.sessionHeader).toEqual(header);
      }
      // A key outside the app's ring signing over a ring containing itself: valid bLSAG, wrong ring.
      client.socket.send(frame('forged', { signerKey: STRANGER_KEY, ring: [new RingSigner(STRANGER_KEY).publicKey, ...ring.slice(1)] }));
      expect(expectErrorFrame(await client.next(5000)).codespace).toBe('rings');
      expect(backend.received.map((f) => f.data.toString())).toEqual(['{"id":1}', '{"id":2}']);
      await settle(100);
      expect(served).toHaveLength(3);
      expect(served.every((r) => r.sessionHeader.sessionId === header.sessionId)).toBe(true);

      // The claim window of session [1, 4] opens at 6: the bridge ends with its session.
      await advance(net, chain, Number(claimWindowOpenHeight(params, header.sessionEndBlockHeight) - current()));
      expect(await client.closed).toEqual({ code: 1000, reason: 'session ended' });
    } finally {
      await servers.close();
    }
  });
});
