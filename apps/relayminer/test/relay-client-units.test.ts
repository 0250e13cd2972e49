/** The relay client's judgement of replies, its percentiles and its key input, without a network. */
import { describe, expect, it } from 'vitest';
import { POKTHTTPResponse, RelayResponse, publicKeyFromPrivateKey, signRelayResponse, type SessionHeader } from '@relayminer/protocol';
import { judgeRelayReply, parsePrivateKeyHex } from '../src/relay-client/index.js';
import { latencyPercentiles } from '../src/relay-client/latency.js';

const SUPPLIER_KEY = new Uint8Array(32).fill(0x22);
const SUPPLIER_PUB = publicKeyFromPrivateKey(SUPPLIER_KEY);
const header: SessionHeader = { applicationAddress: 'pokt1app', serviceId: 'anvil', sessionId: 'ab'.repeat(32), sessionStartBlockHeight: 1n, sessionEndBlockHeight: 4n };

function signedReply(statusCode = 200, sessionHeader = header): Uint8Array {
  const payload = POKTHTTPResponse.marshal({ statusCode, header: {}, bodyBz: new TextEncoder().encode('{"result":"0x1"}') });
  const response = signRelayResponse({ meta: { sessionHeader, supplierOperatorSignature: new Uint8Array(0) }, payload, relayMinerError: undefined }, SUPPLIER_KEY);
  return RelayResponse.marshal(response);
}

describe('judgeRelayReply', () => {
  it('accepts a response signed by the supplier for the session asked about', () => {
    expect(judgeRelayReply(200, signedReply(), header.sessionId, SUPPLIER_PUB)).toEqual({ ok: true });
  });

  it('names each way a reply can fail', () => {
    expect(judgeRelayReply(502, new Uint8Array(0), header.sessionId, SUPPLIER_PUB).reason).toBe('http_502');
    expect(judgeRelayReply(200, new Uint8Array([0xff, 0xff, 0xff]), header.sessionId, SUPPLIER_PUB).reason).toBe('undecodable_response');
    expect(judgeRelayReply(200, signedReply(), header.sessionId, publicKeyFromPrivateKey(new Uint8Array(32).fill(0x23))).reason).toBe('bad_signature');
    expect(judgeRelayReply(200, signedReply(), header.sessionId, undefined).reason).toBe('supplier_key_unknown');
    expect(judgeRelayReply(200, signedReply(503), header.sessionId, SUPPLIER_PUB).reason).toBe('backend_status_503');
    expect(judgeRelayReply(200, signedReply(200, { ...header, sessionId: 'cd'.repeat(32) }), header.sessionId, SUPPLIER_PUB).reason).toBe('session_mismatch');
    const error = RelayResponse.marshal({
      meta: { sessionHeader: undefined, supplierOperatorSignature: new Uint8Array(0) },
      payload: new TextEncoder().encode('over-serviced'),
      relayMinerError: { codespace: 'relayer_proxy', code: 7, description: 'over-serviced', message: 'over-serviced' },
    });
    expect(judgeRelayReply(200, error, header.sessionId, undefined).reason).toBe('relay_miner_error:relayer_proxy:7');
  });

  it('does not count a tampered signature as verified', () => {
    const bytes = signedReply();
    const response = RelayResponse.unmarshal(bytes);
    response.meta!.supplierOperatorSignature[5]! ^= 1;
    expect(judgeRelayReply(200, RelayResponse.marshal(response), header.sessionId, SUPPLIER_PUB).reason).toBe('bad_signature');
  });
});

describe('latencyPercentiles', () => {
  it('takes the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyPercentiles(samples)).toEqual({ p50: 50, p90: 90, p99: 99 });
    expect(latencyPercentiles([7])).toEqual({ p50: 7, p90: 7, p99: 7 });
    expect(latencyPercentiles([])).toEqual({ p50: 0, p90: 0, p99: 0 });
  });
});

describe('parsePrivateKeyHex', () => {
  it('reads hex with whitespace and 0x, and never quotes a bad key', () => {
    expect(parsePrivateKeyHex(`  0x${'11'.repeat(32)}\n`, 'stdin')).toEqual(new Uint8Array(32).fill(0x11));
    const bad = 'zz'.repeat(32);
    expect(() => parsePrivateKeyHex(bad, 'stdin')).toThrow(/stdin: expected 64 hex characters/);
    try {
      parsePrivateKeyHex(bad, 'stdin');
    } catch (e) {
      expect((e as Error).message).not.toContain(bad);
    }
  });
});
