/**
 * Supplier operator keys. There is no Cosmos keyring here: `keys_file` maps key names to hex private
 * keys, and the configured signing key names pick which of them this process serves for. Operator
 * addresses are derived from the keys, so a key name can never point at someone else's address.
 */
import { readFileSync } from 'node:fs';
import { addressFromPrivateKey, assertSecp256k1PrivateKey } from '@relayminer/protocol';
import { ConfigError } from '../config/config-error.js';
import { parseYamlTree, YamlMap } from '../config/yaml-node.js';
import type { SupplierKeyRing } from '../types.js';

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

export class StaticKeyRing implements SupplierKeyRing {
  readonly operatorAddresses: readonly string[];
  readonly #keys = new Map<string, Uint8Array>();
  readonly #nameOf = new Map<string, string>();

  /** `keys`: private keys by key name (copied). */
  constructor(keys: ReadonlyMap<string, Uint8Array>) {
    for (const [name, key] of keys) {
      let address: string;
      try {
        assertSecp256k1PrivateKey(key);
        address = addressFromPrivateKey(key);
      } catch {
        throw new ConfigError(`keys_file.${name}`, 'is not a valid secp256k1 private key');
      }
      // two names for one key serve one operator
      if (!this.#keys.has(address)) {
        this.#keys.set(address, key.slice());
        this.#nameOf.set(address, name);
      }
    }
    this.operatorAddresses = Object.freeze([...this.#keys.keys()]);
  }

  /** A copy, so a caller cannot alter the ring's key. */
  privateKeyOf(operatorAddress: string): Uint8Array | undefined {
    return this.#keys.get(operatorAddress)?.slice();
  }

  has(operatorAddress: string): boolean {
    return this.#keys.has(operatorAddress);
  }

  keyNameOf(operatorAddress: string): string | undefined {
    return this.#nameOf.get(operatorAddress);
  }

  /** Keeps key bytes out of `console.log` / JSON. */
  toJSON(): { operatorAddresses: readonly string[] } {
    return { operatorAddresses: this.operatorAddresses };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `StaticKeyRing(${this.operatorAddresses.join(', ')})`;
  }
}

/**
 * Reads a keys file (YAML or JSON: a mapping from key name to 32-byte hex private key, `0x` optional)
 * and returns the ring of `names`. A name missing from the file is a ConfigError naming it; key
 * values never appear in errors.
 */
export function loadKeyRing(file: string | undefined, names: readonly string[]): StaticKeyRing {
  if (file === undefined || file === '') throw new ConfigError('keys_file', 'is required to load the signing keys');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('keys_file', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return keyRingFromText(text, names);
}

/** loadKeyRing on file contents already read. */
export function keyRingFromText(text: string, names: readonly string[]): StaticKeyRing {
  if (names.length === 0) throw new ConfigError('signing_key_names', 'no signing key names are configured');
  let file: YamlMap;
  try {
    file = YamlMap.of(parseYamlTree(text, 'keys_file'), 'keys_file');
  } catch (error) {
    // a YAML error may quote a line of the file, and the file holds keys
    throw error instanceof ConfigError ? new ConfigError('keys_file', error.reason) : new ConfigError('keys_file', 'is not a mapping of key names to hex private keys');
  }
  const keys = new Map<string, Uint8Array>();
  for (const name of names) {
    if (!file.has(name)) throw new ConfigError('keys_file', `has no key named "${name}"`);
    let hex: string;
    try {
      hex = file.string(name);
    } catch {
      throw new ConfigError(`keys_file.${name}`, 'must be a hex string');
    }
    if (!HEX_KEY.test(hex)) throw new ConfigError(`keys_file.${name}`, 'must be 32 bytes of hex (64 characters, 0x optional)');
    keys.set(name, Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex')));
  }
  return new StaticKeyRing(keys);
}
