import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainClient } from '@relayminer/chain';
import type { LocalnetHandle } from '@relayminer/localnet';
import { RING_PLACEHOLDER_PUBLIC_KEY_HEX, fromHex, publicKeyFromPrivateKey, type RelayRequest, type SessionHeader } from '@relayminer/protocol';
import { ChainRelayAuthenticator, validateRelayRequestBasic, type RelayAuthQueries } from '../src/auth/index.js';
import { StaticKeyRing } from '../src/keys/index.js';
import { RelayError } from '../src/types.js';
import {
  APP,
  APP_KEY,
  GATEWAY,
  OTHER_SUPPLIER,
  OTHER_SUPPLIER_KEY,
  PEER_SUPPLIER,
  SERVICE,
  SMALL_APP,
  SMALL_APP_KEY,
  STRANGER_KEY,
  SUPPLIER,
  SUPPLIER_KEY,
  advance,
  chainRing,
  connect,
  signedRequest,
  startNet,
  strangerPublicKey,
} from './auth-fixture.js';

let net: LocalnetHandle;
let chain: ChainClient;
const keyRing = new StaticKeyRing(new Map([['supplier', SUPPLIER_KEY], ['other', OTHER_SUPPLIER_KEY]]));

beforeAll(async () => {
  net = await startNet();
  chain = await connect(net);
  await advance(net, chain, 1); // height 2, inside session [1, 4]
});

afterAll(async () => {
  chain?.close();
  await net?.stop();
});

const authenticator = (): ChainRelayAuthenticator => ChainRelayAuthenticator.fromChainClient(chain, keyRing);

async function currentHeader(app = APP): Promise<SessionHeader> {
  const session = await chain.query.getSession(app, SERVICE, BigInt(net.height));
  return session.header!;
}

async function rejection(promise: Promise<unknown>): Promise<RelayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RelayError);
  return error as RelayError;
}

function expectCode(error: RelayError, codespace: string, code: number, description: string): void {
  expect({ codespace: error.codespace, code: error.code, description: error.description }).toEqual({ codespace, code, description });
}

function withHeader(request: RelayRequest, header: Partial<SessionHeader>): RelayRequest {
  return { ...request, meta: { ...request.meta!, sessionHeader: { ...request.meta!.sessionHeader!, ...header } } };
}

describe('ChainRelayAuthenticator against localnet', () => {
  it('accepts a gateway-signed request and returns the on-chain session, then knows the session', async () => {
    const auth = authenticator();
    const header = await currentHeader();
    const request = signedRequest(header, await chainRing(chain, APP, header.sessionEndBlockHeight));
    expect(auth.isKnownSession(header.sessionId)).toBe(false);
    const result = await auth.authenticate(request);
    expect(result.session.sessionId).toBe(header.sessionId);
    expect(result.session.suppliers.map((s) => s.operatorAddress)).toContain(SUPPLIER);
    expect(result.queryHeight).toBe(BigInt(net.height));
    expect(auth.isKnownSession(header.sessionId)).toBe(true);
  });

  it('accepts a request the application signed itself', async () => {
    const header = await currentHeader();
    const ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
    await expect(authenticator().authenticate(signedRequest(header, ring, { signerKey: APP_KEY }))).resolves.toBeDefined();
  });

  it('accepts an app without gateways signing over the placeholder ring', async () => {
    const header = await currentHeader(SMALL_APP);
    const ring = [publicKeyFromPrivateKey(SMALL_APP_KEY), fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX)];
    const result = await authenticator().authenticate(signedRequest(header, ring, { signerKey: SMALL_APP_KEY }));
    expect(result.session.application?.address).toBe(SMALL_APP);
  });

  it('rejects a signature by a key outside the ring (rings 3)', async () => {
    const header = await currentHeader();
    const ring = [publicKeyFromPrivateKey(APP_KEY), strangerPublicKey()];
    const e = await rejection(authenticator().authenticate(signedRequest(header, ring, { signerKey: STRANGER_KEY })));
    expectCode(e, 'rings', 3, 'invalid relay request signature');
  });

  it('rejects a tampered signature, and a signature over other bytes (rings 3)', async () => {
    const header = await currentHeader();
    const ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
    const good = signedRequest(header, ring);
    const sig = good.meta!.signature.slice();
    sig[10] ^= 0x01; // inside c0
    const flipped = { ...good, meta: { ...good.meta!, signature: sig } };
    expectCode(await rejection(authenticator().authenticate(flipped)), 'rings', 3, 'invalid relay request signature');
    const otherPayload = { ...good, payload: new TextEncoder().encode('something else') };
    expectCode(await rejection(authenticator().authenticate(otherPayload)), 'rings', 3, 'invalid relay request signature');
    const garbage = { ...good, meta: { ...good.meta!, signature: new Uint8Array([0, 0, 0, 2, 1, 2, 3]) } };
    expectCode(await rejection(authenticator().authenticate(garbage)), 'rings', 3, 'invalid relay request signature');
  });

  it('rejects a missing signature and a malformed header (rings 2)', async () => {
    const header = await currentHeader();
    const ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
    const good = signedRequest(header, ring);
    const unsigned = { ...good, meta: { ...good.meta!, signature: new Uint8Array(0) } };
    expectCode(await rejection(authenticator().authenticate(unsigned)), 'rings', 2, 'invalid relay request');
    const badApp = withHeader(good, { applicationAddress: 'pokt1notanaddress' });
    expectCode(await rejection(authenticator().authenticate(badApp)), 'rings', 2, 'invalid relay request');
  });

  it('rejects when a ring member has no public key on chain (rings 2)', async () => {
    const q = chain.query;
    const queries: RelayAuthQueries = {
      sharedParams: () => q.sharedParams(),
      sharedParamsAtHeight: (h) => q.sharedParamsAtHeight(h),
      application: (a) => q.application(a),
      getSession: (a, s, h) => q.getSession(a, s, h),
      account: async (a) => (a === GATEWAY ? { pubKey: undefined } : q.account(a)),
    };
    const auth = new ChainRelayAuthenticator({ queries, currentHeight: () => chain.blocks.height, keyRing });
    const header = await currentHeader();
    const e = await rejection(auth.authenticate(signedRequest(header, await chainRing(chain, APP, header.sessionEndBlockHeight))));
    expectCode(e, 'rings', 2, 'invalid relay request');
    expect(e.message).toContain(GATEWAY);
  });

  it('rejects a wrong session id, and each wrong header field (relay_authenticator 1)', async () => {
    const header = await currentHeader();
    const ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
    const cases: Partial<SessionHeader>[] = [
      { sessionId: 'ab'.repeat(32) },
      { sessionStartBlockHeight: header.sessionStartBlockHeight + 1n },
      { sessionEndBlockHeight: header.sessionEndBlockHeight + 1n },
    ];
    for (const change of cases) {
      // signed after the change, so only the session check can object
      const request = signedRequest({ ...header, ...change }, ring);
      expectCode(await rejection(authenticator().authenticate(request)), 'relay_authenticator', 1, 'invalid session in relayer request');
    }
  });

  it('refuses a supplier that is not ours (relayer_proxy 9) and one of ours outside the session (relay_authenticator 2)', async () => {
    const header = await currentHeader();
    const ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
    const peer = await rejection(authenticator().authenticate(signedRequest(header, ring, { supplier: PEER_SUPPLIER })));
    expectCode(peer, 'relayer_proxy', 9, 'supplier(s) not reachable');
    const outsider = await rejection(authenticator().authenticate(signedRequest(header, ring, { supplier: OTHER_SUPPLIER })));
    expectCode(outsider, 'relay_authenticator', 2, 'supplier does not belong to session');
  });

  it('serves a session in its grace period at its end height, then rejects it as expired', async () => {
    const auth = authenticator();
    const header = await currentHeader();
    const ring = await chainRing(chain, APP, header.sessionEndBlockHeight);
    const end = header.sessionEndBlockHeight;
    await advance(net, chain, Number(end + 1n) - net.height); // current = E + 1: grace period
    const inGrace = await auth.authenticate(signedRequest(header, ring));
    expect(inGrace.queryHeight).toBe(end);
    expect(auth.isKnownSession(header.sessionId)).toBe(true);

    await advance(net, chain, 1); // current = E + 2 > E + grace
    expect(auth.isKnownSession(header.sessionId)).toBe(false); // end + 1 < current
    const e = await rejection(auth.authenticate(signedRequest(header, ring)));
    expectCode(e, 'relay_authenticator', 1, 'invalid session in relayer request');
    expect(e.message).toContain('session expired');
  });

  it('checks timing before the signature: an expired, unsigned request gets relay_authenticator 1', async () => {
    const header = await currentHeader();
    await advance(net, chain, Number(header.sessionEndBlockHeight + 2n) - net.height);
    const stale: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: SUPPLIER }, payload: new Uint8Array() };
    expectCode(await rejection(authenticator().authenticate(stale)), 'relay_authenticator', 1, 'invalid session in relayer request');
  });
});

describe('validateRelayRequestBasic', () => {
  const header: SessionHeader = {
    applicationAddress: APP,
    serviceId: SERVICE,
    sessionId: 'ab'.repeat(32),
    sessionStartBlockHeight: 1n,
    sessionEndBlockHeight: 4n,
  };
  const ok: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array([1]), supplierOperatorAddress: SUPPLIER }, payload: new Uint8Array() };

  it('passes a well-formed request', () => {
    expect(() => validateRelayRequestBasic(ok)).not.toThrow();
  });

  it.each<[string, RelayRequest]>([
    ['no header', { ...ok, meta: { ...ok.meta!, sessionHeader: undefined } }],
    ['bad app address', withHeader(ok, { applicationAddress: 'cosmos1xyz' })],
    ['empty session id', withHeader(ok, { sessionId: '' })],
    ['bad service id', withHeader(ok, { serviceId: 'svc 1' })],
    ['long service id', withHeader(ok, { serviceId: 'x'.repeat(43) })],
    ['start 0', withHeader(ok, { sessionStartBlockHeight: 0n })],
    ['end = start', withHeader(ok, { sessionEndBlockHeight: 1n })],
    ['no signature', { ...ok, meta: { ...ok.meta!, signature: new Uint8Array(0) } }],
    ['no supplier', { ...ok, meta: { ...ok.meta!, supplierOperatorAddress: '' } }],
  ])('rejects %s with service 1111', (_name, request) => {
    let error: unknown;
    try {
      validateRelayRequestBasic(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RelayError);
    expectCode(error as RelayError, 'service', 1111, 'invalid relay request');
  });
});
