/**
 * Private keys for the relay client come from a file or stdin, never from argv (argv is visible to
 * every user of the machine through ps). Errors name the source, never the key text.
 */
import { readFile } from 'node:fs/promises';

export class KeyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyInputError';
  }
}

/** 32-byte secp256k1 key from hex text (surrounding whitespace and a `0x` prefix allowed). */
export function parsePrivateKeyHex(text: string, source: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new KeyInputError(`${source}: expected 64 hex characters (a 32-byte private key)`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export async function readPrivateKeyFile(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KeyInputError(`cannot read key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`);
  }
  return parsePrivateKeyHex(text, `key file ${path}`);
}

export async function readPrivateKeyStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return parsePrivateKeyHex(Buffer.concat(chunks).toString('utf8'), 'stdin');
}
