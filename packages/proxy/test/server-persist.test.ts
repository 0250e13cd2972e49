/**
 * `replyAfterPersist`: the client's reply waits until the relay's consumer says it is stored; and
 * `onRequestDone`, the per-request report the metrics are built from.
 */
import { describe, expect, it } from 'vitest';
import { RelayError, type RelayRequestDone } from '../src/index.js';
import { FakeAuthenticator, SUPPLIER, closedAfterEach, expectError, expectSigned, post, relayRequestBytes, service, settle } from './server-fixtures.js';

const { backend, harness } = closedAfterEach();

describe('relay server: reply after persist', () => {
  it('holds the reply until onSettled is called', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)], { replyAfterPersist: true });
    let settledAt = 0;
    const sub = h.servers.servedRelays().subscribe((r) =>
      setTimeout(() => {
        settledAt = performance.now();
        r.onSettled!();
      }, 150),
    );
    const reply = await post(h.url, relayRequestBytes());
    const repliedAt = performance.now();
    sub.unsubscribe();
    expectSigned(reply);
    expect(settledAt).toBeGreaterThan(0);
    expect(repliedAt).toBeGreaterThanOrEqual(settledAt);
    expect(h.servers.stats()).toMatchObject({ served: 1, emitted: 1, persistTimeouts: 0 });
  });

  it('replies with an internal error and refunds the meter when the relay could not be stored', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url)], { replyAfterPersist: true });
    const sub = h.servers.servedRelays().subscribe((r) => r.onSettled!(new Error('disk full')));
    const error = expectError(await post(h.url, relayRequestBytes()));
    sub.unsubscribe();
    expect(error.message).toContain('could not be stored');
    expect(error.message).not.toContain('disk full');
    expect(h.meter.refunds).toBe(1);
    expect(h.servers.stats().served).toBe(0);
  });

  it('does not wait for relays that are not kept (not rewardable)', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url, { requestTimeoutMs: 5000 })], { replyAfterPersist: true, rewardable: () => false });
    const started = performance.now();
    expectSigned(await post(h.url, relayRequestBytes()));
    expect(performance.now() - started).toBeLessThan(2000);
    await settle();
    expect(h.served).toHaveLength(0);
    expect(h.servers.stats().dropped.not_rewardable).toBe(1);
  });

  it('validates an unknown session lazily before the reply: a relay failing it is answered, not kept', async () => {
    const b = await backend();
    const auth = new FakeAuthenticator();
    auth.reject = () => new RelayError('relay_authenticator', 1, 'invalid session', 'session not found yet');
    const h = await harness([service('svc1', b.url)], { replyAfterPersist: true, eagerValidation: false }, { auth });
    expectSigned(await post(h.url, relayRequestBytes()));
    await settle();
    expect(h.served).toHaveLength(0);
    expect(h.servers.stats()).toMatchObject({ served: 1, emitted: 0, persistTimeouts: 0 });
    expect(h.servers.stats().dropped.validation_failed).toBe(1);
  });

  it('replies at the deadline when nobody settles, and counts it', async () => {
    const b = await backend();
    const h = await harness([service('svc1', b.url, { requestTimeoutMs: 300 })], { replyAfterPersist: true });
    expectSigned(await post(h.url, relayRequestBytes()));
    expect(h.servers.stats().persistTimeouts).toBe(1);
  });
});

describe('relay server: per-request report', () => {
  it('reports each served and rejected relay once, with sizes, duration, service and error key', async () => {
    const b = await backend();
    const done: RelayRequestDone[] = [];
    const h = await harness([service('svc1', b.url)], { onRequestDone: (d) => done.push(d) });
    const body = relayRequestBytes();
    const served = await post(h.url, body);
    expectSigned(served);
    const garbage = new Uint8Array([0xff, 0xff, 0xff]);
    const rejected = await post(h.url, garbage);
    expectError(rejected);
    expect(done).toHaveLength(2);
    expect(done[0]).toMatchObject({ serviceId: 'svc1', supplierOperatorAddress: SUPPLIER, errorKey: undefined, requestBytes: body.length, responseBytes: served.body.length });
    expect(done[1]).toMatchObject({ serviceId: undefined, requestBytes: 3, responseBytes: rejected.body.length });
    expect(done[1]!.errorKey).toMatch(/^relayer_proxy:\d+$/);
    expect(done.every((d) => d.durationMs >= 0)).toBe(true);
  });
});
