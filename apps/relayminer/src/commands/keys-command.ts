/**
 * `relayminer keys list|import`: manage the keys file that stands in for the Cosmos keyring. Output
 * is names and operator addresses only; secrets come in through stdin or a file, never argv, and
 * never go out again.
 */
import { readFileSync } from 'node:fs';
import { loadRelayMinerConfig } from '@relayminer/proxy';
import { KeysFileError, SecretFormatError, UsageError } from '../errors.js';
import { importKey, isValidKeyName, listKeys } from '../keys/keys-file.js';
import { privateKeyFromHex, privateKeyFromMnemonic } from '../keys/private-key-from-secret.js';
import type { CliIo } from './cli-io.js';
import { parseFlags } from './parse-flags.js';
import { KEYS_IMPORT_USAGE, KEYS_LIST_USAGE, KEYS_USAGE } from './usage.js';

export async function keysCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return keysList(rest, io);
    case 'import':
      return keysImport(rest, io);
    case '--help':
    case '-h':
      io.out(KEYS_USAGE);
      return 0;
    default:
      throw new UsageError(sub === undefined ? 'missing subcommand: keys list or keys import' : 'unknown subcommand of keys (expected: list or import)', KEYS_USAGE);
  }
}

async function keysList(argv: readonly string[], io: CliIo): Promise<number> {
  const values = parseFlags(argv, { 'keys-file': { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const, KEYS_LIST_USAGE);
  if (values.help) {
    io.out(KEYS_LIST_USAGE);
    return 0;
  }
  let file = values['keys-file'];
  try {
    // only keys_file is needed: the chain settings may come from start's flags
    if (file === undefined && values.config !== undefined) file = loadRelayMinerConfig(values.config).keysFile;
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
  if (file === undefined || file === '') throw new UsageError('--keys-file (or --config with keys_file) is required', KEYS_LIST_USAGE);
  try {
    const keys = listKeys(file);
    if (keys.length === 0) io.err(`no keys in ${file}`);
    const width = Math.max(4, ...keys.map((k) => k.name.length));
    for (const k of keys) io.out(`${k.name.padEnd(width)}  ${k.address ?? `(unusable: ${k.problem})`}`);
    return keys.every((k) => k.address !== undefined) ? 0 : 1;
  } catch (error) {
    return fail(io, error);
  }
}

async function keysImport(argv: readonly string[], io: CliIo): Promise<number> {
  const values = parseFlags(
    argv,
    {
      'keys-file': { type: 'string' },
      name: { type: 'string' },
      hex: { type: 'boolean' },
      mnemonic: { type: 'boolean' },
      'from-file': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    } as const,
    KEYS_IMPORT_USAGE,
  );
  if (values.help) {
    io.out(KEYS_IMPORT_USAGE);
    return 0;
  }
  const file = values['keys-file'];
  if (file === undefined || file.trim() === '') throw new UsageError('--keys-file is required', KEYS_IMPORT_USAGE);
  const name = values.name;
  if (name === undefined || name === '') throw new UsageError('--name is required', KEYS_IMPORT_USAGE);
  if (!isValidKeyName(name)) throw new UsageError('--name must be 1-64 characters of letters, digits, ".", "_", "@" or "-", starting with a letter or digit', KEYS_IMPORT_USAGE);
  if (values.hex === values.mnemonic) throw new UsageError('give exactly one of --hex or --mnemonic', KEYS_IMPORT_USAGE);

  let secret: string;
  try {
    secret = await readSecret(values['from-file'], io, values.hex ? 'the hex private key' : 'the mnemonic');
  } catch (error) {
    return fail(io, error);
  }
  if (secret.trim() === '') {
    io.err(`error: no secret given (pipe it to stdin${values['from-file'] ? '' : ' or use --from-file'})`);
    return 1;
  }
  let key: Uint8Array | undefined;
  try {
    key = values.hex ? privateKeyFromHex(secret) : await privateKeyFromMnemonic(secret);
    const result = importKey(file, name, key, { force: values.force === true });
    io.out(`${result.replaced ? 'replaced' : 'imported'} ${result.name}: ${result.address}`);
    if (result.created) io.err(`created ${file} (mode 0600)`);
    return 0;
  } catch (error) {
    return fail(io, error);
  } finally {
    key?.fill(0);
  }
}

async function readSecret(fromFile: string | undefined, io: CliIo, what: string): Promise<string> {
  if (fromFile !== undefined) {
    try {
      return readFileSync(fromFile, 'utf8');
    } catch (error) {
      throw new KeysFileError('--from-file', `cannot read ${fromFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (io.stdinIsTTY) io.err(`paste ${what}, then press Enter and Ctrl-D:`);
  return io.readStdin();
}

function fail(io: CliIo, error: unknown): number {
  if (error instanceof KeysFileError || error instanceof SecretFormatError) {
    io.err(`error: ${error.message}`);
    return 1;
  }
  // Anything else may come from a library that quotes its input: say only what kind of failure it was.
  io.err(`error: ${error instanceof Error ? error.name : 'unexpected failure'} while handling the key`);
  return 1;
}
