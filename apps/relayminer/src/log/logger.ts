/**
 * A small structured logger: one line per event, JSON (`time`, `level`, `msg`, then the fields) or
 * text. It is ours rather than a library's so that what can reach a log line is decided in one place:
 * bigints become decimal strings, errors become their class and message, byte arrays are never
 * printed (they may be keys), and fields whose names look like secrets are redacted.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  isEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly format?: LogFormat;
  /** Where lines go (without trailing newline handling: each call gets one complete line). Default: stderr. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Field names that must never carry their value into a log, whatever the caller passes. */
const SECRET_NAME = /(private.?key|secret|mnemonic|password|passphrase|seed|token|^key$)/i;
const MAX_DEPTH = 4;

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return new LineLogger(options.level ?? 'info', options.format ?? 'json', write, options.now ?? (() => new Date()), {});
}

/** Discards everything (library use without logs, tests). */
export const silentLogger: Logger = {
  level: 'error',
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
  isEnabled: () => false,
};

class LineLogger implements Logger {
  constructor(
    readonly level: LogLevel,
    private readonly format: LogFormat,
    private readonly write: (line: string) => void,
    private readonly now: () => Date,
    private readonly bound: LogFields,
  ) {}

  isEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new LineLogger(this.level, this.format, this.write, this.now, { ...this.bound, ...fields });
  }

  private log(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (!this.isEnabled(level)) return;
    const safe = sanitizeFields({ ...this.bound, ...fields });
    const time = this.now().toISOString();
    try {
      this.write(this.format === 'json' ? JSON.stringify({ time, level, msg, ...safe }) : textLine(time, level, msg, safe));
    } catch {
      // a closed stderr must not take the relay miner down
    }
  }
}

/** Fields as they may appear in a log line (exported for tests and for the metrics/health JSON). */
export function sanitizeFields(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[name] = SECRET_NAME.test(name) ? '[redacted]' : sanitizeValue(value, 0);
  }
  return out;
}

function sanitizeValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactUrl(value);
  if (value instanceof Error) return errorFields(value);
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => sanitizeValue(v, depth + 1));
  if (typeof value === 'object') {
    // objects that define their own safe JSON (the key ring does) are trusted to
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return sanitizeValue(json.call(value), depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[k] = SECRET_NAME.test(k) ? '[redacted]' : sanitizeValue(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

/** Class, message and our error classes' structured fields; never a stack (it can quote inputs). */
function errorFields(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  for (const field of ['code', 'key', 'reason', 'stage', 'codespace', 'method', 'path'] as const) {
    const v = (error as unknown as Record<string, unknown>)[field];
    if (typeof v === 'string' || typeof v === 'number') out[field] = v;
  }
  return out;
}

/** A URL without user info (node URLs may carry credentials). */
export function redactUrl(url: URL | string): string {
  try {
    const u = new URL(String(url));
    if (u.username !== '' || u.password !== '') {
      u.username = '';
      u.password = '';
    }
    return u.href;
  } catch {
    return '[unparsable url]';
  }
}

function textLine(time: string, level: LogLevel, msg: string, fields: Record<string, unknown>): string {
  const parts = [time, level.toUpperCase().padEnd(5), msg];
  for (const [name, value] of Object.entries(fields)) parts.push(`${name}=${textValue(value)}`);
  return parts.join(' ');
}

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}
