/**
 * `relayminer config validate`: everything `start` checks before it dials a node — the YAML, the
 * chain settings, the keys file and the endpoint addresses — each problem printed with the key it
 * is about. Exit 0 and the resolved summary when all is well, 1 otherwise.
 */
import { loadKeyRing, type StaticKeyRing } from '@relayminer/proxy';
import { loadAppConfig, type AppConfig } from '../config/app-config.js';
import { formatSummary, summarizeConfig } from '../config/config-summary.js';
import { UsageError } from '../errors.js';
import { parseListenAddr } from '../metrics/ops-server.js';
import type { CliIo } from './cli-io.js';
import { OPERATOR_OPTIONS, cliFlagsFrom, parseFlags } from './parse-flags.js';
import { CONFIG_USAGE } from './usage.js';

export async function configCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    io.out(CONFIG_USAGE);
    return 0;
  }
  if (sub !== 'validate') throw new UsageError(sub === undefined ? 'missing subcommand: config validate' : 'unknown subcommand of config (expected: validate)', CONFIG_USAGE);
  const values = parseFlags(rest, OPERATOR_OPTIONS, CONFIG_USAGE);
  if (values.help) {
    io.out(CONFIG_USAGE);
    return 0;
  }
  if (values.config === undefined || values.config.trim() === '') throw new UsageError('--config is required', CONFIG_USAGE);
  const flags = cliFlagsFrom(values, CONFIG_USAGE);

  let app: AppConfig;
  try {
    app = loadAppConfig(values.config, flags);
  } catch (error) {
    io.err(`error: ${messageOf(error)}`);
    return 1;
  }
  const problems = [...endpointProblems(app)];
  let keyRing: StaticKeyRing | undefined;
  try {
    keyRing = loadKeyRing(app.keysFile, app.relayMiner.signingKeyNames);
  } catch (error) {
    problems.push(messageOf(error));
  }
  if (problems.length > 0) {
    for (const p of problems) io.err(`error: ${p}`);
    return 1;
  }
  io.out(formatSummary(summarizeConfig(app, keyRing)));
  io.out('config OK');
  return 0;
}

function* endpointProblems(app: AppConfig): Generator<string> {
  const c = app.relayMiner;
  const taken: Array<{ host: string | undefined; port: number; by: string }> = [];
  for (const s of c.suppliers) {
    try {
      taken.push({ ...parseListenAddr(s.listenAddress), by: `the listen_url of service ${s.serviceId}` });
    } catch {
      // the proxy's loader already checked listen URLs
    }
  }
  for (const [key, endpoint] of [
    ['metrics', c.metrics],
    ['ping', c.ping],
  ] as const) {
    if (!endpoint.enabled) continue;
    try {
      const addr = parseListenAddr(endpoint.addr, `${key}.addr`);
      const clash = addr.port === 0 ? undefined : taken.find((t) => t.port === addr.port && sameHost(t.host, addr.host));
      if (clash) yield `${key}.addr: port ${addr.port} is also used by ${clash.by}`;
      taken.push({ ...addr, by: `${key}.addr` });
    } catch (error) {
      yield messageOf(error);
    }
  }
}

const ANY_HOST = new Set([undefined, '', '0.0.0.0', '::']);

/** Two listeners collide when they name the same host or either listens on every interface. */
function sameHost(a: string | undefined, b: string | undefined): boolean {
  return a === b || ANY_HOST.has(a) || ANY_HOST.has(b);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
