/** Valid relays over real sockets: forwarded, signed, routed, and emitted as served relays. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  SUPPLIER,
  expectSigned,
  post,
  relayRequestBytes,
  service,
  sessionHeader,
  settle,
  closedAfterEach,
} from './server-fixtures.js';

const { backend, harness } = closedAfterEach();

describe('relay server: serving', () => {
  it('forwards a relay, replies with a supplier-signed response and emits it', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    const reply = await post(h.url, relayRequestBytes({ body: '{"id":7}' }));
    const { response, http, json } = expectSigned(reply);
    expect(http.statusCode).toBe(200);
    expect(http.header['Content-Type']?.values).toEqual(['application/json']);
    expect(json).toMatchObject({ backend: 'backend', method: 'POST', url: '/', body: '{"id":7}' });
    expect(response.meta?.sessionHeader).toEqual(sessionHeader());
    expect(Buffer.from(response.payloadHash!)).toEqual(createHash('sha256').update(response.payload).digest());
    await settle();
    expect(h.served).toHaveLength(1);
    expect(h.served[0]!.supplierOperatorAddress).toBe(SUPPLIER);
    expect(h.served[0]!.serviceId).toBe('svc1');
    expect(h.served[0]!.receivedAtHeight).toBe(2n);
    expect(Buffer.from(h.served[0]!.response.payload)).toEqual(Buffer.from(response.payload));
    expect(h.auth.calls).toBe(1);
    expect(h.meter.charges).toBe(1);
    expect(h.servers.stats()).toMatchObject({ served: 1, emitted: 1, rejected: {} });
  });

  it('routes two services sharing one listen address to their own backends', async () => {
    const one = await backend(undefined, 'one');
    const two = await backend(undefined, 'two');
    const h = await harness([service('svc1', one.url), service('svc2', two.url)]);
    expect(h.servers.servers).toHaveLength(1);
    expect(h.servers.urlOf('svc1')).toBe(h.servers.urlOf('svc2'));
    const a = expectSigned(await post(h.url, relayRequestBytes({ header: sessionHeader('svc1') })));
    const b = expectSigned(await post(h.url, relayRequestBytes({ header: sessionHeader('svc2', 'b'.repeat(64)) })));
    expect(a.json.backend).toBe('one');
    expect(b.json.backend).toBe('two');
    expect(one.seen).toHaveLength(1);
    expect(two.seen).toHaveLength(1);
  });

  it('runs one server per listen address', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url), service('svc2', b.url, { listenUrl: 'http://localhost:0' })]);
    expect(h.servers.servers).toHaveLength(2);
    expect(h.servers.urlOf('svc1')).not.toBe(h.servers.urlOf('svc2'));
    expectSigned(await post(h.servers.urlOf('svc2')!, relayRequestBytes({ header: sessionHeader('svc2') })));
  });

  it('selects the backend by Rpc-Type and falls back to the default', async () => {
    const dflt = await backend(undefined, 'default');
    const rest = await backend(undefined, 'rest');
    const h = await harness([service('svc1', dflt.url, { rpcTypeBackends: { rest: { url: rest.url } } })]);
    expect(expectSigned(await post(h.url, relayRequestBytes(), { 'Rpc-Type': '4' })).json.backend).toBe('rest');
    expect(expectSigned(await post(h.url, relayRequestBytes(), { 'Rpc-Type': '3' })).json.backend).toBe('default');
    expect(expectSigned(await post(h.url, relayRequestBytes())).json.backend).toBe('default');
  });

  it('rebuilds method, path, query, headers and body for the backend', async () => {
    const b = await backend();
    const h = await harness([
      service('svc1', `${b.url}/base/?z=backend&a=1`, {
        backend: {
          url: `${b.url}/base/?z=backend&a=1`,
          basicAuth: { username: 'user', password: 'secret' },
          headers: { 'x-configured': 'yes', 'X-Override': 'configured' },
          forwardPocketHeaders: true,
        },
      }),
    ]);
    const reply = await post(
      h.url,
      relayRequestBytes({
        method: 'PUT',
        url: 'http://gateway.example/v1/./thing/?b=2&z=client',
        headers: { 'X-Client': ['c1', 'c2'], 'x-override': ['client'], Host: ['evil.example'], Authorization: ['Bearer client'] },
        body: 'payload',
      }),
    );
    expectSigned(reply);
    const seen = b.seen[0]!;
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe('/base/v1/thing?a=1&b=2&z=client&z=backend');
    expect(seen.body.toString()).toBe('payload');
    expect(seen.headers.host).toBe(new URL(b.url).host);
    expect(seen.headers['x-client']).toBe('c1, c2');
    expect(seen.headers['x-override']).toBe('configured');
    expect(seen.headers['x-configured']).toBe('yes');
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    const header = sessionHeader();
    expect(seen.headers['pocket-supplier']).toBe(SUPPLIER);
    expect(seen.headers['pocket-service']).toBe('svc1');
    expect(seen.headers['pocket-session-id']).toBe(header.sessionId);
    expect(seen.headers['pocket-application']).toBe(header.applicationAddress);
    expect(seen.headers['pocket-session-start-height']).toBe('1');
    expect(seen.headers['pocket-session-end-height']).toBe('4');
  });

  it('sends no Pocket-* headers unless configured', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    expectSigned(await post(h.url, relayRequestBytes()));
    expect(Object.keys(b.seen[0]!.headers).filter((k) => k.startsWith('pocket-'))).toEqual([]);
  });

  it('passes backend status and headers through inside the signed payload', async () => {
    const b = await backend((_, res) => {
      res.writeHead(404, { 'x-multi': ['1', '2'], 'content-type': 'text/plain' });
      res.end('nope');
    });
    const h = await harness([service('svc1', b.url)]);
    const { http } = expectSigned(await post(h.url, relayRequestBytes()));
    expect(http.statusCode).toBe(404);
    expect(http.header['X-Multi']?.values).toEqual(['1', '2']);
    expect(Buffer.from(http.bodyBz).toString()).toBe('nope');
    await settle();
    expect(h.served).toHaveLength(1);
  });

  it('serves but does not emit a relay whose backend failed (status ≥ 500), refunding the meter', async () => {
    const b = await backend((_, res) => {
      res.writeHead(503);
      res.end('down');
    });
    const h = await harness([service('svc1', b.url)]);
    const { http } = expectSigned(await post(h.url, relayRequestBytes()));
    expect(http.statusCode).toBe(503);
    await settle();
    expect(h.served).toHaveLength(0);
    expect(h.meter.refunds).toBe(1);
    expect(h.servers.stats().dropped.backend_error).toBe(1);
  });

  it('serves but does not emit a relay whose session is no longer rewardable', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)], { rewardable: () => false });
    expectSigned(await post(h.url, relayRequestBytes()));
    await settle();
    expect(h.served).toHaveLength(0);
    expect(h.meter.refunds).toBe(1);
    expect(h.servers.stats().dropped.not_rewardable).toBe(1);
  });

  it('handles concurrent relays', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)]);
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => post(h.url, relayRequestBytes({ body: `{"id":${i}}` }))));
    replies.forEach((r, i) => expect(expectSigned(r).json.body).toBe(`{"id":${i}}`));
    await settle();
    expect(h.served).toHaveLength(200);
  });
});
