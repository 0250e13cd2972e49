/** The logger: one JSON (or text) line per event, bigints as strings, no bytes, no secrets, no stacks. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@relayminer/proxy';
import { StaticKeyRing } from '@relayminer/proxy';
import { createLogger, type LogFormat, type LogLevel } from '../src/log/logger.js';

function capture(level: LogLevel = 'debug', format: LogFormat = 'json') {
  const lines: string[] = [];
  const log = createLogger({ level, format, write: (l) => lines.push(l), now: () => new Date('2025-01-02T03:04:05.000Z') });
  return { log, lines };
}

const KEY = new Uint8Array(32).fill(0x22);

describe('logger', () => {
  it('writes JSON lines with time, level, msg and the fields; bigints as decimal strings', () => {
    const { log, lines } = capture();
    log.info('claims included', { height: 12345678901234567890n, sessions: 2, tx_hash: 'AB' });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2025-01-02T03:04:05.000Z', level: 'info', msg: 'claims included', height: '12345678901234567890', sessions: 2, tx_hash: 'AB' });
  });

  it('filters by level', () => {
    const { log, lines } = capture('warn');
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['c', 'd']);
    expect(log.isEnabled('info')).toBe(false);
  });

  it('never prints bytes, secret-named fields, URL credentials or stacks', () => {
    const { log, lines } = capture();
    const error = new ConfigError('keys_file.op', 'is not a valid secp256k1 private key');
    log.error('failed', {
      key_bytes: KEY,
      nested: { privateKey: 'deadbeef', list: [KEY] },
      mnemonic: 'abandon abandon',
      password: 'hunter2',
      node: new URL('http://user:pw@node:26657/'),
      error,
      ring: new StaticKeyRing(new Map([['op', KEY]])),
    });
    const line = lines[0]!;
    const parsed = JSON.parse(line);
    expect(parsed.key_bytes).toBe('<32 bytes>');
    expect(parsed.nested).toEqual({ privateKey: '[redacted]', list: ['<32 bytes>'] });
    expect(parsed.mnemonic).toBe('[redacted]');
    expect(parsed.password).toBe('[redacted]');
    expect(parsed.node).toBe('http://node:26657/');
    expect(parsed.error).toEqual({ name: 'ConfigError', message: 'keys_file.op: is not a valid secp256k1 private key', key: 'keys_file.op', reason: 'is not a valid secp256k1 private key' });
    expect(parsed.ring.operatorAddresses).toHaveLength(1);
    for (const secret of ['2222222222', 'deadbeef', 'abandon', 'hunter2', 'pw@', 'at ']) expect(line).not.toContain(secret);
  });

  it('child loggers add their fields; text format is one readable line', () => {
    const { log, lines } = capture('info', 'text');
    log.child({ component: 'sessions' }).info('session done', { outcome: 'claimed_no_proof', relays: 5n, note: 'two words' });
    expect(lines[0]).toBe('2025-01-02T03:04:05.000Z INFO  session done component=sessions outcome=claimed_no_proof relays=5 note="two words"');
  });

  it('survives a writer that throws', () => {
    const log = createLogger({ write: () => { throw new Error('EPIPE'); } });
    expect(() => log.error('x')).not.toThrow();
  });
});
