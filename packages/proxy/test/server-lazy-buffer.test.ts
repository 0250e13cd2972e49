/** Lazy validation, the bounded served-relay buffer (drop and backpressure) and the ping endpoint. */
import { describe, expect, it } from 'vitest';
import { POKTHTTPRequest } from '@relayminer/protocol';
import {
  CountingMeter,
  FakeAuthenticator,
  RelayError,
  expectError,
  expectSigned,
  nextServed,
  post,
  relayRequestBytes,
  service,
  sessionHeader,
  settle,
  closedAfterEach,
  startBackend,
} from './server-fixtures.js';

const { backend, harness, relayServers } = closedAfterEach();

describe('relay server: lazy validation', () => {
  it('serves an unknown session first, validates afterwards, then validates its next relays eagerly', async () => {
    const b = await backend();
    const auth = new FakeAuthenticator();
    let authenticatedAfterBackend = false;
    auth.reject = () => {
      authenticatedAfterBackend = b.seen.length === 1;
      return undefined;
    };
    const h = await harness([service('svc1', b.url)], { eagerValidation: false }, { auth });
    expectSigned(await post(h.url, relayRequestBytes()));
    await settle();
    expect(authenticatedAfterBackend).toBe(true);
    expect(h.served).toHaveLength(1);
    expect(auth.known.has(sessionHeader().sessionId)).toBe(true);

    // Now known: a rejection is answered before the backend is reached.
    auth.reject = () => new RelayError('relay_authenticator', 1, 'invalid session in relayer request', 'session expired');
    expect(expectError(await post(h.url, relayRequestBytes())).code).toBe(1);
    expect(b.seen).toHaveLength(1);
  });

  it('emits nothing when the deferred validation fails, though the client got its response', async () => {
    const b = await backend();
    const auth = new FakeAuthenticator();
    auth.reject = () => new RelayError('rings', 3, 'invalid relay request signature', 'bad ring signature');
    const errors: Error[] = [];
    const h = await harness([service('svc1', b.url)], { eagerValidation: false, onBackgroundError: (e) => errors.push(e) }, { auth });
    expectSigned(await post(h.url, relayRequestBytes()));
    await settle();
    expect(h.served).toHaveLength(0);
    expect(h.meter.charges).toBe(0);
    expect(h.servers.stats().dropped.validation_failed).toBe(1);
    expect(errors.map((e) => (e as RelayError).code)).toEqual([3]);
  });

  it('does not emit a lazily metered relay that turns out over-serviced', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)], { eagerValidation: false }, { meter: new CountingMeter(0) });
    expectSigned(await post(h.url, relayRequestBytes()));
    await settle();
    expect(h.served).toHaveLength(0);
    expect(h.servers.stats().dropped.over_serviced).toBe(1);
  });
});

describe('relay server: served-relay buffer', () => {
  it('drops relays beyond the buffer while nobody consumes them, counting them and refunding the meter', async () => {
    const b = await backend();
    const meter = new CountingMeter();
    const servers = await relayServers([service('svc1', b.url)], { servedBuffer: { size: 3, overflow: 'drop' } }, { meter });
    const url = servers.servers[0]!.url;
    for (let i = 0; i < 5; i++) expectSigned(await post(url, relayRequestBytes({ body: `${i}` })));
    expect(servers.stats()).toMatchObject({ served: 5, emitted: 3, dropped: { buffer_full: 2 } });
    expect(meter.refunds).toBe(2);
    // The queued ones reach a late subscriber, in order.
    const relays = await nextServed(servers.servedRelays(), 3);
    expect(relays.map((r) => Buffer.from(POKTHTTPRequest.unmarshal(r.request.payload).bodyBz).toString())).toEqual(['0', '1', '2']);
    expect(servers.stats().emitted).toBe(3);
  });

  it('with backpressure, holds replies until the consumer frees a slot', async () => {
    const b = await backend();
    const servers = await relayServers([service('svc1', b.url, { requestTimeoutMs: 3000 })], { servedBuffer: { size: 1, overflow: 'backpressure' } });
    const url = servers.servers[0]!.url;
    expectSigned(await post(url, relayRequestBytes()));
    let secondAnswered = false;
    const second = post(url, relayRequestBytes()).then((r) => ((secondAnswered = true), r));
    await settle(300);
    expect(secondAnswered).toBe(false);
    const relays = await nextServed(servers.servedRelays(), 2);
    expect(relays).toHaveLength(2);
    expectSigned(await second);
    expect(servers.stats()).toMatchObject({ served: 2, emitted: 2, dropped: { buffer_full: 0 } });
  });

  it('with backpressure, still replies after the deadline and drops the relay', async () => {
    const b = await backend();
    const servers = await relayServers([service('svc1', b.url, { requestTimeoutMs: 300 })], { servedBuffer: { size: 1, overflow: 'backpressure' } });
    const url = servers.servers[0]!.url;
    expectSigned(await post(url, relayRequestBytes()));
    expectSigned(await post(url, relayRequestBytes()));
    expect(servers.stats()).toMatchObject({ served: 2, emitted: 1, dropped: { buffer_full: 1 } });
  });
});

describe('ping endpoint', () => {
  async function pingWith(backendUrls: string[]): Promise<number> {
    const servers = await relayServers(
      backendUrls.map((u, i) => service(`svc${i}`, u)),
      { servedBuffer: { size: 10, overflow: 'drop' }, ping: { enabled: true, addr: '127.0.0.1:0' } },
    );
    const res = await fetch(servers.pingUrl!);
    return res.status;
  }

  it('answers 204 when every backend answers below 500', async () => {
    const a = await backend();
    const c = await backend((_, res) => (res.writeHead(404), res.end()));
    expect(await pingWith([a.url, c.url])).toBe(204);
    expect(a.seen[0]!.method).toBe('HEAD');
  });

  it('answers 502 when a backend fails or is down', async () => {
    const a = await backend();
    const bad = await backend((_, res) => (res.writeHead(500), res.end()));
    expect(await pingWith([a.url, bad.url])).toBe(502);
    const down = await startBackend();
    await down.close();
    expect(await pingWith([down.url])).toBe(502);
  });

  it('answers 504 when a backend does not answer within 2 s', async () => {
    const slow = await backend((_, res) => setTimeout(() => res.end(), 3000));
    expect(await pingWith([slow.url])).toBe(504);
  });
});
