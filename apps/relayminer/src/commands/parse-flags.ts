/**
 * node:util parseArgs with our error policy: usage errors name the offending option but never echo
 * an argument's value (someone may paste a key where a flag was expected).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import type { CliFlags } from '../config/cli-flags.js';
import { isLogFormat, isLogLevel } from '../log/logger.js';

type Options = NonNullable<ParseArgsConfig['options']>;
/** What parseArgs gives for `options` (no `multiple` options here). */
export type FlagValues<O extends Options> = { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string };

export function parseFlags<O extends Options>(argv: readonly string[], options: O, usage: string): FlagValues<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as FlagValues<O>;
  } catch (error) {
    throw new UsageError(describeParseError(error), usage);
  }
}

function describeParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  // node quotes the option as typed ('--x', or '-h, --help'): prefer the long form, and only a plausible flag name
  const quoted = /'([^']*)'/.exec(e.message ?? '')?.[1] ?? '';
  const candidate = /--[A-Za-z0-9-]+/.exec(quoted)?.[0] ?? /-[A-Za-z]/.exec(quoted)?.[0];
  const option = candidate !== undefined && /^--?[a-z][a-z0-9-]{0,30}$/i.test(candidate) ? candidate : undefined;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return option ? `unknown option ${option}` : 'unknown option';
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument (this command takes only --options; secrets are read from stdin or --from-file)';
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `option ${option} ${/does not take/.test(e.message ?? '') ? 'does not take a value' : 'needs a value'}` : 'an option value is missing or not allowed';
    default:
      return 'cannot parse the command line';
  }
}

/** The options `start` and `config validate` share: the Go relay miner's operator flags. */
export const OPERATOR_OPTIONS = {
  config: { type: 'string' },
  'chain-id': { type: 'string' },
  node: { type: 'string' },
  'gas-prices': { type: 'string' },
  'gas-adjustment': { type: 'string' },
  fees: { type: 'string' },
  'keys-file': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OperatorValues = Partial<Record<Exclude<keyof typeof OPERATOR_OPTIONS, 'help'>, string>>;

/** Typed, checked CliFlags from the parsed operator options (only those given). */
export function cliFlagsFrom(values: OperatorValues, usage: string): Partial<CliFlags> {
  const flags: { -readonly [K in keyof CliFlags]?: CliFlags[K] } = {};
  const nonEmpty = (name: keyof OperatorValues): string | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (v.trim() === '') throw new UsageError(`--${name} must not be empty`, usage);
    return v.trim();
  };
  flags.chainId = nonEmpty('chain-id');
  flags.node = nonEmpty('node');
  flags.gasPrices = nonEmpty('gas-prices');
  flags.fees = nonEmpty('fees');
  flags.keysFile = nonEmpty('keys-file');
  const adjustment = nonEmpty('gas-adjustment');
  if (adjustment !== undefined) {
    const n = Number(adjustment);
    if (!Number.isFinite(n) || n < 1) throw new UsageError('--gas-adjustment must be a number ≥ 1 (e.g. 1.5)', usage);
    flags.gasAdjustment = n;
  }
  const level = nonEmpty('log-level');
  if (level !== undefined) {
    if (!isLogLevel(level)) throw new UsageError('--log-level must be debug, info, warn or error', usage);
    flags.logLevel = level;
  }
  const format = nonEmpty('log-format');
  if (format !== undefined) {
    if (!isLogFormat(format)) throw new UsageError('--log-format must be json or text', usage);
    flags.logFormat = format;
  }
  if (flags.node !== undefined && !/^(https?|tcp):\/\/[^/]/i.test(flags.node)) throw new UsageError('--node must be an http(s):// or tcp:// URL', usage);
  for (const key of Object.keys(flags) as Array<keyof CliFlags>) if (flags[key] === undefined) delete flags[key];
  return flags;
}
