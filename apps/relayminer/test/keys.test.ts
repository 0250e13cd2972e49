/**
 * `relayminer keys import|list`: hex and mnemonic keys land in a file the proxy's loadKeyRing reads,
 * with the address an independent BIP-39/BIP-32 computation gives; secrets never reach output.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKeyRing } from '@relayminer/proxy';
import { cli, tempDir } from './cli-harness.js';
import { bip32PrivateKey, bip39Seed, cosmosAddress } from './independent-hd.js';
import { configYaml } from './config-fixture.js';

const HEX_A = '2222222222222222222222222222222222222222222222222222222222222222';
const HEX_B = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** BIP-39 test vectors (valid checksums); the addresses are derived below, not written down. */
const MNEMONIC_12 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const MNEMONIC_24 =
  'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title';

let tmp: ReturnType<typeof tempDir>;
let keysFile: string;
beforeEach(() => {
  tmp = tempDir();
  keysFile = join(tmp.dir, 'keys.yaml');
});
afterEach(() => tmp.remove());

function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const s of secrets) {
    expect(text.toLowerCase()).not.toContain(s.toLowerCase());
    // nor a recognisable part of it
    if (s.length >= 16) expect(text.toLowerCase()).not.toContain(s.slice(8, 24).toLowerCase());
  }
}

describe('keys import --hex', () => {
  it('creates the file with mode 0600, stores the key as hex, prints the derived address', async () => {
    const run = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'supplier-op-1', '--hex'], { stdin: `0x${HEX_A}\n` });
    expect(run.code).toBe(0);
    const address = cosmosAddress(Buffer.from(HEX_A, 'hex'));
    expect(run.out).toBe(`imported supplier-op-1: ${address}`);
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expectNoSecret(run.out + run.err, HEX_A);
    // the proxy reads what we wrote
    const ring = loadKeyRing(keysFile, ['supplier-op-1']);
    expect(ring.operatorAddresses).toEqual([address]);
    expect(Buffer.from(ring.privateKeyOf(address)!).toString('hex')).toBe(HEX_A);
  });

  it('adds to an existing file, keeps its entries and comments, and refuses an existing name without --force', async () => {
    writeFileSync(keysFile, `# my keys\nother: "${HEX_B}"\n`, { mode: 0o644 });
    expect((await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex'], { stdin: HEX_A })).code).toBe(0);
    const text = readFileSync(keysFile, 'utf8');
    expect(text).toContain('# my keys');
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(loadKeyRing(keysFile, ['other', 'op']).operatorAddresses).toHaveLength(2);

    const again = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex'], { stdin: HEX_B });
    expect(again.code).toBe(1);
    expect(again.err).toContain('keys_file.op: already exists (use --force to replace it)');
    expectNoSecret(again.out + again.err, HEX_A, HEX_B);

    const forced = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex', '--force'], { stdin: HEX_B });
    expect(forced.code).toBe(0);
    expect(forced.out).toBe(`replaced op: ${cosmosAddress(Buffer.from(HEX_B, 'hex'))}`);
  });

  it('stores an all-digit key so that it reads back as a string', async () => {
    const digits = '1'.repeat(64);
    expect((await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'digits', '--hex'], { stdin: digits })).code).toBe(0);
    const ring = loadKeyRing(keysFile, ['digits']);
    expect(Buffer.from(ring.privateKeyOf(ring.operatorAddresses[0]!)!).toString('hex')).toBe(digits);
  });

  it('reads the secret from --from-file', async () => {
    const secretFile = join(tmp.dir, 'secret.txt');
    writeFileSync(secretFile, HEX_A);
    const run = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex', '--from-file', secretFile]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(cosmosAddress(Buffer.from(HEX_A, 'hex')));
  });

  it('refuses malformed and out-of-range keys without quoting them', async () => {
    for (const bad of ['abcd', HEX_A + '00', '00'.repeat(32), 'ff'.repeat(32), 'zz' + HEX_A.slice(2)]) {
      const run = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex'], { stdin: bad });
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/^error: /);
      expectNoSecret(run.out + run.err, bad);
    }
    expect(() => statSync(keysFile)).toThrow();
  });
});

describe('keys import --mnemonic', () => {
  it.each([
    ['12 words', MNEMONIC_12],
    ['24 words', MNEMONIC_24],
  ])('derives m/44\'/118\'/0\'/0/0 like an independent BIP-39/BIP-32 computation (%s)', async (_, mnemonic) => {
    const expectedKey = bip32PrivateKey(bip39Seed(mnemonic), "m/44'/118'/0'/0/0");
    const expectedAddress = cosmosAddress(expectedKey);
    // pasted with odd spacing and case
    const run = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--mnemonic'], { stdin: `  ${mnemonic.toUpperCase().replace(/ /g, '  ')}\n` });
    expect(run.code).toBe(0);
    expect(run.out).toBe(`imported op: ${expectedAddress}`);
    const ring = loadKeyRing(keysFile, ['op']);
    expect(ring.operatorAddresses).toEqual([expectedAddress]);
    expect(Buffer.from(ring.privateKeyOf(expectedAddress)!).toString('hex')).toBe(Buffer.from(expectedKey).toString('hex'));
    expectNoSecret(run.out + run.err, mnemonic, Buffer.from(expectedKey).toString('hex'));
  });

  it('the independent derivation is not trivially the same for another path', () => {
    const seed = bip39Seed(MNEMONIC_12);
    expect(cosmosAddress(bip32PrivateKey(seed, "m/44'/118'/0'/0/1"))).not.toBe(cosmosAddress(bip32PrivateKey(seed, "m/44'/118'/0'/0/0")));
  });

  it('refuses a bad checksum, an unknown word and a wrong word count without quoting them', async () => {
    const badChecksum = 'abandon '.repeat(12).trim();
    const unknownWord = MNEMONIC_12.replace('about', 'aboutt');
    for (const [bad, reason] of [
      [badChecksum, /checksum/],
      [unknownWord, /word list/],
      ['abandon abandon abandon', /12, 15, 18, 21 or 24 words \(got 3\)/],
    ] as const) {
      const run = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--mnemonic'], { stdin: bad });
      expect(run.code).toBe(1);
      expect(run.err).toMatch(reason);
      expect(run.err).not.toContain('abandon');
      expect(run.err).not.toContain('aboutt');
    }
  });
});

describe('keys import usage', () => {
  it('needs exactly one of --hex/--mnemonic, a name and a file; a secret on argv is refused unquoted', async () => {
    const both = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex', '--mnemonic'], { stdin: HEX_A });
    expect(both.code).toBe(2);
    expect(both.err).toContain('give exactly one of --hex or --mnemonic');
    expect((await cli(['keys', 'import', '--keys-file', keysFile, '--hex'])).code).toBe(2);
    expect((await cli(['keys', 'import', '--name', 'op', '--hex'])).code).toBe(2);
    expect((await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'bad name', '--hex'])).code).toBe(2);

    const onArgv = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex', HEX_A]);
    expect(onArgv.code).toBe(2);
    expect(onArgv.err).toContain('unexpected argument');
    expectNoSecret(onArgv.out + onArgv.err, HEX_A);
    const asOption = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', `--hex=${HEX_A}`]);
    expect(asOption.code).toBe(2);
    expectNoSecret(asOption.out + asOption.err, HEX_A);
  });

  it('says what to paste when stdin is a terminal, and fails on an empty secret', async () => {
    const run = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'op', '--hex'], { stdin: '\n', stdinIsTTY: true });
    expect(run.err).toContain('paste the hex private key');
    expect(run.code).toBe(1);
    expect(run.err).toContain('no secret given');
  });
});

describe('keys list', () => {
  it('prints every name with its address and never a key', async () => {
    const run0 = await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'a', '--hex'], { stdin: HEX_A });
    expect(run0.code).toBe(0);
    await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'b', '--hex'], { stdin: HEX_B });
    const run = await cli(['keys', 'list', '--keys-file', keysFile]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')).toEqual([`a     ${cosmosAddress(Buffer.from(HEX_A, 'hex'))}`, `b     ${cosmosAddress(Buffer.from(HEX_B, 'hex'))}`]);
    expectNoSecret(run.out + run.err, HEX_A, HEX_B);
  });

  it('finds the keys file through --config (without needing the chain id)', async () => {
    await cli(['keys', 'import', '--keys-file', keysFile, '--name', 'a', '--hex'], { stdin: HEX_A });
    const config = join(tmp.dir, 'relayminer.yaml');
    writeFileSync(config, configYaml({ keysFile: 'keys.yaml' }));
    const run = await cli(['keys', 'list', '--config', config]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`a     ${cosmosAddress(Buffer.from(HEX_A, 'hex'))}`);
  });

  it('marks unusable entries and exits 1, still without printing values', async () => {
    writeFileSync(keysFile, JSON.stringify({ good: HEX_A, short: 'abcdef', zero: '00'.repeat(32) }));
    const run = await cli(['keys', 'list', '--keys-file', keysFile]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`good   ${cosmosAddress(Buffer.from(HEX_A, 'hex'))}`);
    expect(run.out).toMatch(/short {2}\(unusable: must be 32 bytes of hex/);
    expect(run.out).toMatch(/zero {3}\(unusable: is not a valid secp256k1 private key\)/);
    expectNoSecret(run.out + run.err, HEX_A, 'abcdef');
  });

  it('reports a file that is not YAML by line only, and a missing file', async () => {
    writeFileSync(keysFile, `a: "${HEX_A}\nb: [${HEX_B}\n`);
    const bad = await cli(['keys', 'list', '--keys-file', keysFile]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/keys_file: is not valid YAML or JSON/);
    expectNoSecret(bad.out + bad.err, HEX_A, HEX_B);
    const missing = await cli(['keys', 'list', '--keys-file', join(tmp.dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('ENOENT');
    expect((await cli(['keys', 'list'])).code).toBe(2);
  });
});
