/**
 * `relayminer relay`: send ring-signed relays to a relay miner and report what came back.
 * Exit code 0 when every relay was answered and verified, 1 when some failed, 2 on bad usage.
 */
import { parseFlags } from '../commands/parse-flags.js';
import { KeyInputError, readPrivateKeyFile, readPrivateKeyStdin } from './private-key-input.js';
import { sendRelays } from './send-relays.js';
import type { RelayClientReport } from './types.js';

export const RELAY_USAGE = `usage: relayminer relay --node URL --relay-url URL --service ID (--app-key-file FILE | --app-key-hex -)
                        [--gateway-key-file FILE] [--supplier ADDRESS] [--count N] [--concurrency N]
                        [--rate N] [--timeout-ms N] [--json]

  --node URL            CometBFT RPC of the chain (sessions, rings and supplier keys are read from it)
  --relay-url URL       the relay miner's relay server for the service
  --app-key-file FILE   application private key (hex) in a file
  --app-key-hex -       read the application private key (hex) from stdin; keys are never taken from argv
  --gateway-key-file F  sign as this delegated gateway of the application
  --supplier ADDRESS    supplier operator to address (default: the first supplier of each session)
  --count N             relays to send (default 100)
  --concurrency N       relays in flight (default 8)
  --rate N              at most N relays started per second
  --json                print the report as JSON`;

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  stdin?: NodeJS.ReadableStream;
}

const defaultIo: CliIo = { stdout: (l) => console.log(l), stderr: (l) => console.error(l) };

const RELAY_OPTIONS = {
  node: { type: 'string' },
  'relay-url': { type: 'string' },
  service: { type: 'string' },
  'app-key-file': { type: 'string' },
  'app-key-hex': { type: 'string' },
  'gateway-key-file': { type: 'string' },
  supplier: { type: 'string' },
  count: { type: 'string', default: '100' },
  concurrency: { type: 'string', default: '8' },
  rate: { type: 'string' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function relayCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let values;
  try {
    values = parseFlags(argv, RELAY_OPTIONS, RELAY_USAGE);
  } catch (error) {
    io.stderr(`relayminer relay: ${(error as Error).message}`);
    io.stderr(RELAY_USAGE);
    return 2;
  }
  if (values.help) {
    io.stdout(RELAY_USAGE);
    return 0;
  }
  const usage = (problem: string): number => {
    io.stderr(`relayminer relay: ${problem}`);
    io.stderr(RELAY_USAGE);
    return 2;
  };
  for (const flag of ['node', 'relay-url', 'service'] as const) if (!values[flag]) return usage(`--${flag} is required`);
  if (values['app-key-hex'] !== undefined && values['app-key-hex'] !== '-') {
    return usage('--app-key-hex takes only "-" (read the key from stdin): secrets on the command line are visible to other users');
  }
  if ((values['app-key-file'] === undefined) === (values['app-key-hex'] === undefined)) return usage('give exactly one of --app-key-file FILE or --app-key-hex -');
  const count = values.count === 'inf' ? Infinity : positiveInt(values.count);
  const concurrency = positiveInt(values.concurrency);
  const rate = values.rate === undefined ? undefined : positiveNumber(values.rate);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : positiveInt(values['timeout-ms']);
  if (count === undefined) return usage('--count must be a positive integer (or "inf")');
  if (concurrency === undefined) return usage('--concurrency must be a positive integer');
  if (values.rate !== undefined && rate === undefined) return usage('--rate must be a positive number');
  if (values['timeout-ms'] !== undefined && timeoutMs === undefined) return usage('--timeout-ms must be a positive integer');

  let appPrivateKey: Uint8Array;
  let gatewayPrivateKey: Uint8Array | undefined;
  try {
    appPrivateKey = values['app-key-file'] ? await readPrivateKeyFile(values['app-key-file']) : await readPrivateKeyStdin(io.stdin);
    if (values['gateway-key-file']) gatewayPrivateKey = await readPrivateKeyFile(values['gateway-key-file']);
  } catch (error) {
    if (error instanceof KeyInputError) return usage(error.message);
    throw error;
  }

  // Ctrl-C stops sending; relays in flight finish and the report is still printed
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  let report: RelayClientReport;
  try {
    report = await sendRelays({
      rpcUrl: values.node!,
      relayUrl: values['relay-url']!,
      serviceId: values.service!,
      appPrivateKey,
      gatewayPrivateKey,
      supplierOperatorAddress: values.supplier,
      count,
      concurrency,
      ratePerSecond: rate,
      timeoutMs,
      signal: stop.signal,
    });
  } catch (error) {
    io.stderr(`relayminer relay: ${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
  }
  if (values.json) io.stdout(JSON.stringify(report));
  else for (const line of formatRelayReport(report)) io.stdout(line);
  return report.sent > 0 && report.failed === 0 ? 0 : 1;
}

export function formatRelayReport(r: RelayClientReport): string[] {
  const lines = [
    `sent ${r.sent}, ok ${r.ok} (supplier signature verified), failed ${r.failed}`,
    `latency p50 ${r.latencyMs.p50.toFixed(1)} ms, p90 ${r.latencyMs.p90.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms; ${r.relaysPerSecond.toFixed(1)} relays/s`,
    `sessions: ${r.sessions.length === 0 ? 'none' : r.sessions.map((s) => s.slice(0, 12)).join(', ')}`,
  ];
  for (const [reason, n] of Object.entries(r.errors).sort((a, b) => b[1] - a[1])) lines.push(`  ${n} × ${reason}`);
  return lines;
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

function positiveNumber(text: string): number | undefined {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
