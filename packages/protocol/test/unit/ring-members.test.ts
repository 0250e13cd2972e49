import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PRIVATE_KEY_HEX,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  ringAddressesForSession,
  signRing,
  verifyRelayRingSignature,
  type RingApplication,
} from '../../src/ring/index.js';
import { fromHex, toHex, utf8ToBytes } from '../../src/bytes.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { pocket } from '../../src/wire/index.js';

const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
const relays = JSON.parse(readFileSync(`${VECTORS}/protocol/relays.json`, 'utf8'));

interface KeyRec {
  label: string;
  private_key: string;
  public_key: string;
  address: string;
}
const keys: KeyRec[] = relays.keys;
const sessions = new Map<string, { session_header: { application_address: string; session_end_block_height: number }; delegated_gateways: string[] }>(
  relays.sessions.map((s: { label: string }) => [s.label, s]),
);
const withRing = relays.relays.filter((r: { ring: unknown }) => r.ring !== null);

const app = (address: string, delegated: string[] = [], pending: Record<string, string[]> = {}): RingApplication => ({
  address,
  delegateeGatewayAddresses: delegated,
  pendingUndelegations: Object.fromEntries(Object.entries(pending).map(([h, g]) => [h, { gatewayAddresses: g }])),
});

describe('ring placeholder key', () => {
  it('equals the spec literals and the vector key', () => {
    expect(RING_PLACEHOLDER_PRIVATE_KEY_HEX).toBe('60c6cbe6b5011807d6486f351cbde6f964356df1d0bc1b04f8589cead5ab5206');
    expect(RING_PLACEHOLDER_PUBLIC_KEY_HEX).toBe('021066f293709356a33e9c13017867586baf52513e845bc4335233a15ed1e00baf');
    expect(RING_PLACEHOLDER_ADDRESS).toBe('pokt1v9utztg8z8e6jv9xzv7rnt3m38570xsyjr2crf');
    const vec = keys.find((k) => k.label === 'placeholder_ring_key_for_apps_without_gateways')!;
    expect([RING_PLACEHOLDER_PRIVATE_KEY_HEX, RING_PLACEHOLDER_PUBLIC_KEY_HEX, RING_PLACEHOLDER_ADDRESS]).toEqual([
      vec.private_key,
      vec.public_key,
      vec.address,
    ]);
  });

  it('follows the GenPrivKeyFromSecret formula (independent recomputation)', () => {
    const n = secp256k1.Point.Fn.ORDER;
    const d = BigInt('0x' + toHex(sha256(utf8ToBytes('placeholder_ring_key_for_apps_without_gateways'))));
    expect(BigInt('0x' + RING_PLACEHOLDER_PRIVATE_KEY_HEX)).toBe((d % (n - 1n)) + 1n);
    expect(toHex(secp256k1.getPublicKey(fromHex(RING_PLACEHOLDER_PRIVATE_KEY_HEX), true))).toBe(RING_PLACEHOLDER_PUBLIC_KEY_HEX);
  });
});

describe('ringAddressesForSession', () => {
  it('gives the member addresses of every relay in relays.json', () => {
    expect(withRing.length).toBeGreaterThan(10);
    for (const r of withRing) {
      const s = sessions.get(r.session)!;
      const got = ringAddressesForSession(
        app(s.session_header.application_address, s.delegated_gateways),
        BigInt(s.session_header.session_end_block_height),
      );
      expect(got, r.label).toEqual(r.ring.member_addresses);
    }
  });

  it('adds back gateways undelegated at or after the target session end, once each', () => {
    const a = app('pokt1app', ['pokt1gw-b'], { '100': ['pokt1gw-c', 'pokt1gw-d'], '90': ['pokt1gw-e'], '120': ['pokt1gw-c'] });
    expect(ringAddressesForSession(a, 100n)).toEqual(['pokt1app', 'pokt1gw-b', 'pokt1gw-c', 'pokt1gw-d']);
    expect(ringAddressesForSession(a, 101n)).toEqual(['pokt1app', 'pokt1gw-b', 'pokt1gw-c']);
    expect(ringAddressesForSession(a, 80n)).toEqual(['pokt1app', 'pokt1gw-b', 'pokt1gw-c', 'pokt1gw-d', 'pokt1gw-e']);
    // the target (the live grid's session end) decides, not the header's height
    expect(ringAddressesForSession(a, 80n, 110n)).toEqual(['pokt1app', 'pokt1gw-b', 'pokt1gw-c']);
    // heights compare as 64-bit integers, not as strings
    const big = app('pokt1app', [], { '18446744073709551615': ['pokt1gw-z'], '9': ['pokt1gw-y'] });
    expect(ringAddressesForSession(big, 10n)).toEqual(['pokt1app', 'pokt1gw-z']);
  });

  it('takes a decoded pocket.application.Application (pending undelegations as Map<bigint, …>) as it is', () => {
    const wire = pocket.application.Application.unmarshal(
      pocket.application.Application.marshal(
        pocket.application.Application.fromPartial({
          address: 'pokt1app',
          delegateeGatewayAddresses: ['pokt1gw-b'],
          pendingUndelegations: new Map([
            [100n, { gatewayAddresses: ['pokt1gw-c', 'pokt1gw-d'] }],
            [90n, { gatewayAddresses: ['pokt1gw-e'] }],
          ]),
        }),
      ),
    );
    expect(wire.pendingUndelegations).toBeInstanceOf(Map);
    const plain = app('pokt1app', ['pokt1gw-b'], { '100': ['pokt1gw-c', 'pokt1gw-d'], '90': ['pokt1gw-e'] });
    for (const end of [80n, 95n, 100n, 101n]) expect(ringAddressesForSession(wire, end)).toEqual(ringAddressesForSession(plain, end));
  });

  it('uses the placeholder when no gateway is left', () => {
    expect(ringAddressesForSession(app('pokt1zzz', [], { '5': ['pokt1gw'] }), 6n)).toEqual([RING_PLACEHOLDER_ADDRESS, 'pokt1zzz'].sort());
  });

  it('sorts by bytes as Go does, not by UTF-16 units', () => {
    // U+FF5E (3 UTF-8 bytes ef bd 9e) sorts before U+1F600 (f0 9f 98 80) in UTF-8 but after it in UTF-16
    const got = ringAddressesForSession(app('a', ['\u{1F600}', '\uFF5E']), 1n);
    expect(got).toEqual(['a', '\uFF5E', '\u{1F600}']);
  });

  it('refuses malformed input with InvalidArgumentError', () => {
    expect(() => ringAddressesForSession(app('pokt1app', [], { '1e3': ['x'] }), 1n)).toThrow(InvalidArgumentError);
    expect(() => ringAddressesForSession(app('pokt1app', [], { '-1': ['x'] }), 1n)).toThrow(InvalidArgumentError);
    expect(() => ringAddressesForSession(app('pokt1app', [], { '18446744073709551616': ['x'] }), 1n)).toThrow(InvalidArgumentError);
    expect(() => ringAddressesForSession(app('pokt1app'), -1n)).toThrow(InvalidArgumentError);
    expect(() => ringAddressesForSession(app(''), 1n)).toThrow(InvalidArgumentError);
  });
});

describe('ring signatures of relays.json requests', () => {
  const keyByAddress = new Map(keys.map((k) => [k.address, k]));

  it('verify against the member keys and are reproduced from the recorded draws', () => {
    for (const r of withRing) {
      const msg = fromHex(r.request_signable_hash);
      const sig = fromHex(r.request.meta.signature);
      const members = r.ring.member_public_keys.map(fromHex);
      expect(verifyRelayRingSignature(msg, sig, members).ok, r.label).toBe(r.ring.ring_signature_valid);
      const signer = keyByAddress.get(r.ring.signer_address)!;
      const draws = (r.ring.ring_go_random_draws as string).match(/.{64}/g)!;
      let next = 0;
      const again = signRing(msg, members, r.ring.member_addresses.indexOf(r.ring.signer_address), fromHex(signer.private_key), {
        randomScalars: () => fromHex(draws[next++]!),
      });
      expect(toHex(again), r.label).toBe(r.request.meta.signature);
    }
  });

  it('refuses the opaque non-ring signature', () => {
    const r15 = relays.relays.find((r: { label: string }) => r.label === 'r15');
    const s = sessions.get(r15.session)!;
    const expected = [RING_PLACEHOLDER_PUBLIC_KEY_HEX, keys.find((k) => k.address === s.session_header.application_address)!.public_key];
    const v = verifyRelayRingSignature(fromHex(r15.request_signable_hash), fromHex(r15.request.meta.signature), expected.map(fromHex));
    expect(v.ok).toBe(false);
  });

  it('verifies the spec worked example that Go accepted', () => {
    const ex = relays.spec_example;
    // RelayRequest: field 1 (meta: 0a f3 02) → field 1 (header: 0a 7a + 122 bytes) → field 2 (signature: 12 c7 01 + 199 bytes)
    const req = fromHex(ex.request_hex);
    const at = 3 + 2 + 0x7a;
    expect(toHex(req.subarray(at, at + 3))).toBe('12c701');
    const sig = req.subarray(at + 3, at + 3 + 199);
    const v = verifyRelayRingSignature(fromHex(ex.request_signable_hash), sig, ex.ring_member_public_keys.map(fromHex));
    expect(v.ok).toBe(ex.ring_signature_valid_ring_go);
  });
});
