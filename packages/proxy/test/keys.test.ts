import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addressFromPrivateKey } from '@relayminer/protocol';
import { ConfigError } from '../src/config/index.js';
import { keyRingFromText, loadKeyRing } from '../src/keys/index.js';

const KEY_A = '22'.repeat(32);
const KEY_B = '0x' + '33'.repeat(32);
const ADDR_A = addressFromPrivateKey(new Uint8Array(32).fill(0x22));
const ADDR_B = addressFromPrivateKey(new Uint8Array(32).fill(0x33));

function keyError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadKeyRing', () => {
  it('loads the named keys from a YAML file and derives their operator addresses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relayminer-keys-'));
    const file = join(dir, 'keys.yaml');
    writeFileSync(file, `op-a: ${KEY_A}\nop-b: "${KEY_B}"\nunused: ${'44'.repeat(32)}\n`);
    const ring = loadKeyRing(file, ['op-a', 'op-b']);
    expect(ring.operatorAddresses).toEqual([ADDR_A, ADDR_B]);
    expect(ring.privateKeyOf(ADDR_A)).toEqual(new Uint8Array(32).fill(0x22));
    expect(ring.privateKeyOf(addressFromPrivateKey(new Uint8Array(32).fill(0x44)))).toBeUndefined();
    expect(ring.keyNameOf(ADDR_B)).toBe('op-b');
  });

  it('reads JSON too, and serves one operator for two names of one key', () => {
    const ring = keyRingFromText(JSON.stringify({ a: KEY_A, alias: KEY_A }), ['a', 'alias']);
    expect(ring.operatorAddresses).toEqual([ADDR_A]);
  });

  it('hands out copies and keeps key bytes out of logs', () => {
    const ring = keyRingFromText(`a: ${KEY_A}`, ['a']);
    ring.privateKeyOf(ADDR_A)!.fill(0);
    expect(ring.privateKeyOf(ADDR_A)).toEqual(new Uint8Array(32).fill(0x22));
    expect(inspect(ring)).not.toContain('2222');
    expect(JSON.stringify(ring)).not.toContain('2222');
  });

  it('names an unknown key name, and never echoes key material', () => {
    const e = keyError(() => keyRingFromText(`a: ${KEY_A}`, ['a', 'missing-one']));
    expect(e.key).toBe('keys_file');
    expect(e.message).toContain('missing-one');
    expect(e.message).not.toContain('2222');

    const bad = keyError(() => keyRingFromText(`a: ${'zz'.repeat(32)}`, ['a']));
    expect(bad.key).toBe('keys_file.a');
    expect(bad.message).not.toContain('zzzz');

    const zero = keyError(() => keyRingFromText(`a: ${'00'.repeat(32)}`, ['a']));
    expect(zero.key).toBe('keys_file.a');

    const broken = keyError(() => keyRingFromText(`a: [${KEY_A}`, ['a']));
    expect(broken.message).not.toContain('2222');
  });

  it('requires a keys file and at least one name', () => {
    expect(keyError(() => loadKeyRing(undefined, ['a'])).key).toBe('keys_file');
    expect(keyError(() => loadKeyRing('/nonexistent/keys.yaml', ['a'])).key).toBe('keys_file');
    expect(keyError(() => keyRingFromText(`a: ${KEY_A}`, [])).key).toBe('signing_key_names');
  });
});
