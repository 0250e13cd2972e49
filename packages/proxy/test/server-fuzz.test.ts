/**
 * Random and mutated request bodies over real sockets: the server never crashes, and every reply is
 * either a correctly signed response or a well-formed §9 error reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RelayResponse } from '@relayminer/protocol';
import { expectError, expectSigned, post, relayRequestBytes, service, startBackend, startHarness, type Backend, type Harness, type RawReply } from './server-fixtures.js';

let b: Backend;
let h: Harness;
beforeAll(async () => {
  b = await startBackend();
  h = await startHarness([service('svc1', b.url, { maxBodyBytes: 4096 })], { eagerValidation: false });
});
afterAll(async () => {
  await h.close();
  await b.close();
});

function expectWellFormed(reply: RawReply): void {
  const response = RelayResponse.unmarshal(reply.body);
  if (response.relayMinerError) expectError(reply);
  else expectSigned(reply);
}

const valid = relayRequestBytes({ headers: { Accept: ['*/*'], 'X-A': ['1', '2'] }, url: 'http://g/x?y=1' });

/** A valid request with a few bytes flipped, cut, or inserted: reaches deeper decoding paths than noise. */
const mutated = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => {
    let bytes = Array.from(valid);
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % bytes.length;
      if (e.kind === 'flip' && bytes.length > 0) bytes[at] = e.value;
      else if (e.kind === 'cut') bytes = bytes.slice(0, at);
      else if (e.kind === 'insert') bytes.splice(at, 0, e.value);
    }
    return Uint8Array.from(bytes);
  });

describe('relay server: fuzzing', () => {
  it('answers random bodies with well-formed error replies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 6000 }), async (body) => {
        expectWellFormed(await post(h.url, body));
      }),
      { numRuns: 1500, seed: 1234 },
    );
  });

  it('answers mutated valid requests with well-formed replies', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (body) => {
        expectWellFormed(await post(h.url, body));
      }),
      { numRuns: 2000, seed: 4321 },
    );
    // Still serving normally afterwards.
    expectSigned(await post(h.url, valid));
    const stats = h.servers.stats();
    expect(stats.served).toBeGreaterThan(0);
    expect(Object.keys(stats.rejected).every((k) => /^(relayer_proxy|service|undefined):\d+$/.test(k))).toBe(true);
  });
});
