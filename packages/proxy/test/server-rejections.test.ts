/** Every rejection path: the right codespace/code in a well-formed §9 error reply, and nothing emitted. */
import { describe, expect, it } from 'vitest';
import { RelayRequest } from '@relayminer/protocol';
import {
  CountingMeter,
  FakeAuthenticator,
  RelayError,
  STRANGER,
  expectError,
  expectSigned,
  post,
  relayRequestBytes,
  service,
  sessionHeader,
  settle,
  type Harness,
  closedAfterEach,
  startBackend,
} from './server-fixtures.js';

const { backend, harness } = closedAfterEach();

async function expectNothingEmitted(h: Harness): Promise<void> {
  await settle();
  expect(h.served).toHaveLength(0);
  expect(h.servers.stats().emitted).toBe(0);
}

describe('relay server: rejections', () => {
  it('rejects bytes that are not a RelayRequest with relayer_proxy 14 and an empty header', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    const error = expectError(await post(h.url, new Uint8Array([0xff, 0xff, 0xff])));
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 14, description: 'failed to unmarshal relay request' });
    expect(error.message).toBe('body is not a RelayRequest: failed to unmarshal relay request');
    expect(error.response.meta?.sessionHeader).toMatchObject({ serviceId: '', sessionId: '' });
    expect(b.seen).toHaveLength(0);
    expect(h.servers.stats().rejected).toEqual({ 'relayer_proxy:14': 1 });
    await expectNothingEmitted(h);
  });

  it('rejects a request failing ValidateBasic with service 1111, echoing its header', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    const error = expectError(await post(h.url, relayRequestBytes({ signature: new Uint8Array(0) })));
    expect(error).toMatchObject({ codespace: 'service', code: 1111, description: 'invalid relay request' });
    expect(error.response.meta?.sessionHeader).toEqual(sessionHeader());
    const noHeader = RelayRequest.marshal({ meta: { sessionHeader: undefined, signature: new Uint8Array([1]), supplierOperatorAddress: 'x' }, payload: new Uint8Array() });
    expect(expectError(await post(h.url, noHeader)).code).toBe(1111);
    const badService = relayRequestBytes({ header: { ...sessionHeader(), serviceId: 'has space' } });
    expect(expectError(await post(h.url, badService)).code).toBe(1111);
    await expectNothingEmitted(h);
  });

  it('rejects a supplier this process has no key for with relayer_proxy 9', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    const error = expectError(await post(h.url, relayRequestBytes({ supplier: STRANGER })));
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 9, description: 'supplier(s) not reachable' });
    expect(b.seen).toHaveLength(0);
    await expectNothingEmitted(h);
  });

  it('rejects a service not configured on this listen address with relayer_proxy 3', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url), service('svc2', b.url, { listenUrl: 'http://localhost:0' })]);
    const error = expectError(await post(h.servers.urlOf('svc1')!, relayRequestBytes({ header: sessionHeader('svc2') })));
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 3 });
    expect(expectError(await post(h.url, relayRequestBytes({ header: sessionHeader('nope') }))).code).toBe(3);
    await expectNothingEmitted(h);
  });

  it('rejects a request body over the limit with relayer_proxy 13', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url, { maxBodyBytes: 1024 })]);
    const big = relayRequestBytes({ body: 'x'.repeat(4096) });
    expect(expectError(await post(h.url, big))).toMatchObject({ codespace: 'relayer_proxy', code: 13, description: 'request limit exceed' });
    // Also when the client streams without announcing a length.
    const chunked = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(h.url, { method: 'POST', agent: false, headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        });
        req.on('error', reject);
        req.write(big.subarray(0, 2000));
        req.end(big.subarray(2000));
      }, reject);
    });
    expect(expectError({ status: 200, headers: { connection: 'close', 'content-length': String(chunked.length) }, body: chunked }).code).toBe(13);
    expect(b.seen).toHaveLength(0);
    await expectNothingEmitted(h);
  });

  it('rejects a backend response over the limit with relayer_proxy 12 and refunds the meter', async () => {
    const b = await backend((_, res) => {
      // Chunked, so the limit is hit while streaming rather than from Content-Length.
      res.write('y'.repeat(3000));
      res.end('y'.repeat(3000));
    });
    const h = await harness([service('svc1', b.url, { maxBodyBytes: 4096 })]);
    expect(expectError(await post(h.url, relayRequestBytes()))).toMatchObject({ codespace: 'relayer_proxy', code: 12, description: 'response limit exceed' });
    expect(h.meter.refunds).toBe(1);
    await expectNothingEmitted(h);
  });

  it('rejects when the backend is down with relayer_proxy 5', async () => {
    const b = await startBackend();
    await b.close();
    const h = await harness([service('svc1', b.url)]);
    expect(expectError(await post(h.url, relayRequestBytes()))).toMatchObject({ codespace: 'relayer_proxy', code: 5, description: 'internal error' });
    expect(h.meter.refunds).toBe(1);
    await expectNothingEmitted(h);
  });

  it('rejects when the backend does not answer in time with relayer_proxy 10', async () => {
    const b = await backend((_, res) => setTimeout(() => res.end('late'), 2500));
    const h = await harness([service('svc1', b.url, { requestTimeoutMs: 1000 })]);
    const started = Date.now();
    expect(expectError(await post(h.url, relayRequestBytes()))).toMatchObject({ codespace: 'relayer_proxy', code: 10 });
    expect(Date.now() - started).toBeLessThan(2400);
    await expectNothingEmitted(h);
  });

  it('rejects a non-integer Rpc-Type with relayer_proxy 5', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    expect(expectError(await post(h.url, relayRequestBytes(), { 'Rpc-Type': 'json' })).code).toBe(5);
    await expectNothingEmitted(h);
  });

  it('passes the authenticator rejection through (eager validation)', async () => {
    const b = await backend();
    const auth = new FakeAuthenticator();
    auth.reject = () => new RelayError('relay_authenticator', 2, 'supplier does not belong to session', 'supplier not in session');
    const h = await harness([service('svc1', b.url)], {}, { auth });
    const error = expectError(await post(h.url, relayRequestBytes()));
    expect(error).toMatchObject({ codespace: 'relay_authenticator', code: 2, message: 'supplier not in session: supplier does not belong to session' });
    expect(b.seen).toHaveLength(0);
    expect(h.meter.charges).toBe(0);
    await expectNothingEmitted(h);
  });

  it('reports an unregistered authenticator failure as Go does, without its text', async () => {
    const b = await backend();
    const auth = new FakeAuthenticator();
    auth.authenticate = async () => {
      throw new Error('connection string with a password');
    };
    const h = await harness([service('svc1', b.url)], {}, { auth });
    const error = expectError(await post(h.url, relayRequestBytes()));
    expect(error).toMatchObject({ codespace: 'undefined', code: 0, description: 'Unregistered error' });
    expect(error.message).not.toContain('password');
  });

  it('rejects over-serviced relays with relayer_proxy 7 unless over-servicing is enabled', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)], {}, { meter: new CountingMeter(2) });
    for (let i = 0; i < 2; i++) expectSigned(await post(h.url, relayRequestBytes()));
    const error = expectError(await post(h.url, relayRequestBytes()));
    expect(error).toMatchObject({ codespace: 'relayer_proxy', code: 7, description: 'offchain rate limit hit by relayer proxy' });
    expect(b.seen).toHaveLength(2);
    await settle();
    expect(h.served).toHaveLength(2);

    const o = await harness([service('svc1', b.url)], { overServicing: true }, { meter: new CountingMeter(0) });
    expectSigned(await post(o.url, relayRequestBytes()));
    await settle();
    expect(o.served).toHaveLength(0);
    expect(o.servers.stats().dropped.over_serviced).toBe(1);
  });
});
