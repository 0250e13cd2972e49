/**
 * The keys file `keys_file` points at: a YAML (or JSON) mapping from key name to a 32-byte hex
 * private key, exactly what @relayminer/proxy's `loadKeyRing` reads. This module lists it (names and
 * the operator addresses derived from the keys) and adds keys to it; it never returns or prints a key.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { addressFromPrivateKey, assertSecp256k1PrivateKey } from '@relayminer/protocol';
import { KeysFileError } from '../errors.js';

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Owner read/write only: the file holds private keys. */
const KEYS_FILE_MODE = 0o600;

export interface KeyListing {
  readonly name: string;
  /** The operator address (`pokt1…`) derived from the key; undefined when the entry is not a valid key. */
  readonly address: string | undefined;
  /** Why the entry is not usable, when it is not. */
  readonly problem: string | undefined;
}

export interface ImportResult {
  readonly name: string;
  readonly address: string;
  /** The file did not exist and was created (mode 0600). */
  readonly created: boolean;
  /** An entry of that name was overwritten (`--force`). */
  readonly replaced: boolean;
}

export function isValidKeyName(name: string): boolean {
  return KEY_NAME.test(name);
}

/** Every entry of the file in file order, with its derived address or its problem. */
export function listKeys(file: string): KeyListing[] {
  const doc = parseKeysDocument(readKeysText(file));
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) throw new KeysFileError('keys_file', 'must be a mapping of key names to hex private keys');
  return doc.contents.items.map((pair) => {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (!isScalar(value)) return { name, address: undefined, problem: 'must be a hex string' };
    const hex = String(value.value ?? '').trim();
    if (!HEX_KEY.test(hex)) return { name, address: undefined, problem: 'must be 32 bytes of hex (64 characters, 0x optional)' };
    const key = Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
    try {
      assertSecp256k1PrivateKey(key);
      return { name, address: addressFromPrivateKey(key), problem: undefined };
    } catch {
      return { name, address: undefined, problem: 'is not a valid secp256k1 private key' };
    }
  });
}

/**
 * Adds `privateKey` under `name`, creating the file (mode 0600) when missing and keeping the other
 * entries and comments otherwise. An existing name is refused unless `force`. The file is replaced
 * atomically (write a 0600 temporary file next to it, then rename), so a crash never leaves half a file.
 */
export function importKey(file: string, name: string, privateKey: Uint8Array, options: { force?: boolean } = {}): ImportResult {
  if (!isValidKeyName(name)) {
    throw new KeysFileError('keys_file', 'key names are 1-64 characters of letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
  }
  let address: string;
  try {
    assertSecp256k1PrivateKey(privateKey);
    address = addressFromPrivateKey(privateKey);
  } catch {
    throw new KeysFileError(`keys_file.${name}`, 'is not a valid secp256k1 private key');
  }

  const created = !existsSync(file);
  const doc = created ? parseKeysDocument('') : parseKeysDocument(readKeysText(file));
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (!isMap(doc.contents)) throw new KeysFileError('keys_file', 'must be a mapping of key names to hex private keys');
  const replaced = doc.contents.has(name);
  if (replaced && options.force !== true) throw new KeysFileError(`keys_file.${name}`, 'already exists (use --force to replace it)');

  // Quoted, so that YAML never reads an all-digit key as a number.
  const value = new Scalar(Buffer.from(privateKey).toString('hex'));
  value.type = Scalar.QUOTE_DOUBLE;
  doc.contents.set(name, value);
  let text = doc.toString();
  if (created) text = '# relayminer keys: key name -> hex secp256k1 private key. Keep this file readable by the relay miner only.\n' + text;
  writePrivately(file, text);
  return { name, address, created, replaced };
}

function readKeysText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new KeysFileError('keys_file', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function parseKeysDocument(text: string): Document {
  const doc = parseDocument(text, { schema: 'failsafe', version: '1.1', prettyErrors: false, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    // A YAML error quotes the line it failed on, and that line may hold a key: only say where.
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}` : '';
    throw new KeysFileError('keys_file', `is not valid YAML or JSON${where} (${first.code})`);
  }
  return doc;
}

function writePrivately(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { mode: KEYS_FILE_MODE, flag: 'wx' });
    // mode is masked by the umask on creation; make sure it is exactly 0600
    chmodSync(temp, KEYS_FILE_MODE);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new KeysFileError('keys_file', `cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
