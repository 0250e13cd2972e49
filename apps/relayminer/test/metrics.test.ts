/**
 * The metrics/health endpoint: every path serves the Prometheus text with the Go relay miner's names and
 * ours, /healthz is 200, /readyz follows the readiness inputs; counters follow the proxy's, miner's and
 * sessions' totals and events.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayServerStats } from '@relayminer/proxy';
import type { SessionEvent, SessionRef, SessionsStats } from '@relayminer/sessions';
import { checkReadiness } from '../src/health/readiness.js';
import { parseListenAddr, startOpsServer, type OpsServer } from '../src/metrics/ops-server.js';
import { RelayMinerMetrics, errorTypeOf } from '../src/metrics/relay-miner-metrics.js';

const NAMES = [
  'relayminer_requests_total',
  'relayminer_requests_success_total',
  'relayminer_requests_errors_total',
  'relayminer_relay_duration_seconds',
  'relayminer_request_size_bytes',
  'relayminer_response_size_bytes',
  'relayminer_relays_dropped_total',
  'relayminer_block_height',
  'relayminer_relays_mined_total',
  'relayminer_relays_not_minable_total',
  'relayminer_miner_dropped_total',
  'relayminer_relays_persisted_total',
  'relayminer_session_trees',
  'relayminer_claims_submitted_total',
  'relayminer_claims_included_total',
  'relayminer_claims_failed_total',
  'relayminer_proofs_required_total',
  'relayminer_proofs_submitted_total',
  'relayminer_proofs_included_total',
  'relayminer_proofs_failed_total',
  'relayminer_proofs_valid_total',
  'relayminer_upokt_claimed_total',
];

function get(url: string, method = 'GET'): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body, type: String(res.headers['content-type']) }));
      })
      .on('error', reject)
      .end();
  });
}

/** The value of one sample line of the exposition, e.g. value(text, 'relayminer_relays_mined_total'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

const proxyStats = (o: Partial<RelayServerStats> = {}): RelayServerStats => ({
  served: 0,
  emitted: 0,
  persistTimeouts: 0,
  rejected: {},
  dropped: { over_serviced: 0, backend_error: 0, not_rewardable: 0, validation_failed: 0, buffer_full: 0 },
  ...o,
});

const sessionsStats = (trees: Partial<SessionsStats['trees']> = {}): SessionsStats => ({
  trees: { open: 0, claiming: 0, claimed: 0, proving: 0, ...trees },
  relaysPersisted: 0,
  relaysRejected: 0,
  claims: { submitted: 0, included: 0, failed: 0, skipped: 0 },
  proofs: { required: 0, notRequired: 0, submitted: 0, included: 0, failed: 0, valid: 0, invalid: 0 },
  relaysClaimed: 0n,
  upoktClaimed: 0n,
  sessionsDone: { claimed_no_proof: 0, proven: 0, unprofitable: 0, claim_failed: 0, proof_failed: 0 },
});

const REF: SessionRef = { supplierOperatorAddress: 'pokt1op', sessionId: 's1', serviceId: 'svc1', applicationAddress: 'pokt1app', sessionEndHeight: 4n };

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ops server', () => {
  it('serves the metrics on every path, /healthz 200 and /readyz per readiness', async () => {
    const metrics = new RelayMinerMetrics({ processMetrics: false });
    let listening = false;
    let lastBlockAt: number | undefined;
    server = await startOpsServer({
      addr: '127.0.0.1:0',
      metrics,
      readiness: () => checkReadiness({ listening: () => listening, lastBlockAt: () => lastBlockAt, lastBlockHeight: () => 7n, maxBlockAgeMs: 1000 }),
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ['/metrics', '/', '/anything/else?x=1']) {
      const res = await get(server.url + path);
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain');
      for (const name of NAMES) expect(res.body, `${name} on ${path}`).toContain(`# TYPE ${name} `);
    }
    expect((await get(server.url + '/healthz')).status).toBe(200);

    let ready = await get(server.url + '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body).reasons).toEqual(['relay servers are not listening', 'no block seen yet']);
    listening = true;
    lastBlockAt = Date.now() - 5000;
    ready = await get(server.url + '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body).reasons[0]).toMatch(/^no block for 5 s \(limit 1 s\)$/);
    lastBlockAt = Date.now();
    ready = await get(server.url + '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, reasons: [], blockHeight: '7' });
    expect((await get(server.url + '/readyz', 'HEAD')).status).toBe(200);
  });

  it('refuses a malformed address and reports a busy port', async () => {
    expect(() => parseListenAddr('9090')).toThrow('metrics.addr: must be host:port or :port');
    expect(parseListenAddr(':9090')).toEqual({ host: undefined, port: 9090 });
    expect(parseListenAddr('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    const metrics = new RelayMinerMetrics({ processMetrics: false });
    server = await startOpsServer({ addr: '127.0.0.1:0', metrics, readiness: () => checkReadiness({ listening: () => true, lastBlockAt: () => 0, lastBlockHeight: () => 0n, maxBlockAgeMs: 1 }) });
    const port = new URL(server.url).port;
    await expect(startOpsServer({ addr: `127.0.0.1:${port}`, metrics, readiness: () => ({ ready: true, reasons: [], blockHeight: undefined, lastBlockAgeMs: 0 }) })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('relay miner metrics', () => {
  it('counts each reported request with its labels, error type, duration and sizes', async () => {
    const metrics = new RelayMinerMetrics({ processMetrics: false });
    const ours = { serviceId: 'svc1', supplierOperatorAddress: 'pokt1op' };
    metrics.observeRequest({ ...ours, durationMs: 20, requestBytes: 100, responseBytes: 300 });
    metrics.observeRequest({ ...ours, durationMs: 40, requestBytes: 50, responseBytes: 60 });
    metrics.observeRequest({ ...ours, errorKey: 'relayer_proxy:13', durationMs: 1, requestBytes: 10, responseBytes: 20 });
    metrics.observeRequest({ errorKey: 'rings:3', durationMs: 1, requestBytes: 3, responseBytes: 40 });
    const text = await metrics.render();
    const labels = 'service_id="svc1",supplier_operator_address="pokt1op"';
    expect(value(text, `relayminer_requests_total{${labels}}`)).toBe(3);
    expect(value(text, `relayminer_requests_success_total{${labels}}`)).toBe(2);
    expect(value(text, `relayminer_requests_errors_total{${labels},error_type="request_limit"}`)).toBe(1);
    expect(value(text, 'relayminer_requests_total{service_id="",supplier_operator_address=""}')).toBe(1);
    expect(value(text, 'relayminer_requests_errors_total{service_id="",supplier_operator_address="",error_type="ring_invalid_signature"}')).toBe(1);
    expect(value(text, 'relayminer_relay_duration_seconds_count{service_id="svc1"}')).toBe(3);
    expect(value(text, 'relayminer_relay_duration_seconds_sum{service_id="svc1"}')).toBeCloseTo(0.061, 6);
    expect(value(text, 'relayminer_request_size_bytes_sum{service_id="svc1"}')).toBe(160);
    expect(value(text, 'relayminer_response_size_bytes_sum{service_id="svc1"}')).toBe(380);
  });

  it('follows the proxy and miner totals by delta, never backwards', async () => {
    const metrics = new RelayMinerMetrics({ processMetrics: false });
    let proxy = proxyStats({ served: 3, emitted: 2, dropped: { ...proxyStats().dropped, backend_error: 1 } });
    let miner = { received: 2, mined: 1, notMinable: 1, dropped: { invalid_request: 0, invalid_response: 0, lookup_failed: 0, encode_failed: 0 } };
    metrics.setSources({ proxy: () => proxy, miner: () => miner, sessions: () => sessionsStats({ open: 2, claiming: 1 }) });
    metrics.observeBlock(42n);

    let text = await metrics.render();
    expect(value(text, 'relayminer_relays_dropped_total{reason="backend_error"}')).toBe(1);
    expect(value(text, 'relayminer_relays_dropped_total{reason="buffer_full"}')).toBe(0);
    expect(value(text, 'relayminer_block_height')).toBe(42);
    expect(value(text, 'relayminer_relays_mined_total')).toBe(1);
    expect(value(text, 'relayminer_relays_not_minable_total')).toBe(1);
    expect(value(text, 'relayminer_miner_dropped_total{reason="lookup_failed"}')).toBe(0);
    expect(value(text, 'relayminer_session_trees{state="open"}')).toBe(2);
    expect(value(text, 'relayminer_session_trees{state="claiming"}')).toBe(1);

    // totals move on; one of them reads lower for a moment: the counter holds
    proxy = proxyStats({ served: 10, emitted: 9, dropped: { ...proxyStats().dropped, backend_error: 0 } });
    miner = { ...miner, mined: 5 };
    text = await metrics.render();
    expect(value(text, 'relayminer_relays_mined_total')).toBe(5);
    expect(value(text, 'relayminer_relays_dropped_total{reason="backend_error"}')).toBe(1);
  });

  it('counts claims, proofs and uPOKT from session events, persisted relays from the sessions stats', async () => {
    const metrics = new RelayMinerMetrics({ processMetrics: false });
    metrics.setSources({ sessions: () => ({ ...sessionsStats(), relaysPersisted: 7 }) });
    const batch = { supplierOperatorAddress: 'pokt1op', sessionEndHeight: 4n, sessions: [REF, { ...REF, sessionId: 's2' }] };
    const events: SessionEvent[] = [
      { kind: 'relays_persisted', count: 8, bytes: 700, writeMs: 1 },
      { kind: 'relays_rejected', count: 2, reason: 'session_closed' },
      { kind: 'claims_submitted', ...batch, attempt: 1 },
      { kind: 'claims_failed', ...batch, reason: 'x', final: false },
      { kind: 'claims_submitted', ...batch, attempt: 2 },
      { kind: 'claims_included', ...batch, txHash: 'AA', height: 6n, relays: 7n, computeUnits: 49n, claimedUpokt: 2058n },
      { kind: 'proof_requirement', ...REF, required: true, reason: 'THRESHOLD' },
      { kind: 'proof_requirement', ...REF, sessionId: 's2', required: false, reason: 'NOT_REQUIRED' },
      { kind: 'proofs_submitted', ...batch, sessions: [REF], attempt: 1 },
      { kind: 'proofs_included', ...batch, sessions: [REF], txHash: 'BB', height: 10n },
      { kind: 'proof_validated', ...REF, status: 'VALIDATED' },
      { kind: 'proof_validated', ...REF, sessionId: 's2', status: 'INVALID' },
      { kind: 'proofs_failed', ...batch, sessions: [REF], reason: 'expired', final: true },
      { kind: 'session_done', ...REF, outcome: 'proven', relays: 7n },
    ];
    for (const e of events) metrics.observeSessionEvent(e);
    const text = await metrics.render();
    expect(value(text, 'relayminer_relays_persisted_total')).toBe(7);
    expect(value(text, 'relayminer_relays_dropped_total{reason="session_closed"}')).toBe(2);
    expect(value(text, 'relayminer_claims_submitted_total')).toBe(4);
    expect(value(text, 'relayminer_claims_failed_total')).toBe(0);
    expect(value(text, 'relayminer_claims_included_total')).toBe(2);
    expect(value(text, 'relayminer_upokt_claimed_total')).toBe(2058);
    expect(value(text, 'relayminer_proofs_required_total')).toBe(1);
    expect(value(text, 'relayminer_proofs_submitted_total')).toBe(1);
    expect(value(text, 'relayminer_proofs_included_total')).toBe(1);
    expect(value(text, 'relayminer_proofs_valid_total')).toBe(1);
    expect(value(text, 'relayminer_proofs_failed_total')).toBe(1);
    expect(value(text, 'relayminer_sessions_done_total{outcome="proven"}')).toBe(1);
  });

  it('names registered relay errors', () => {
    expect(errorTypeOf('relayer_proxy:14')).toBe('unmarshal_request');
    expect(errorTypeOf('service:1111')).toBe('invalid_relay_request');
    expect(errorTypeOf('undefined:0')).toBe('undefined:0');
  });
});
