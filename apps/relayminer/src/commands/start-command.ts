/**
 * `relayminer start`: runs the relay miner until SIGINT/SIGTERM. The first signal stops it gracefully
 * (exit 0 when every step of the stop succeeded, 1 otherwise); a second signal exits at once (130).
 */
import { createLogger } from '../log/logger.js';
import { startRelayMiner, type RelayMinerHandle } from '../start.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import { OPERATOR_OPTIONS, cliFlagsFrom, parseFlags } from './parse-flags.js';
import { START_USAGE } from './usage.js';

/** After a clean stop, whatever still holds the event loop open gets this long before the process exits anyway. */
const EXIT_GRACE_MS = 2_000;

export async function startCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const values = parseFlags(argv, OPERATOR_OPTIONS, START_USAGE);
  if (values.help) {
    io.out(START_USAGE);
    return 0;
  }
  if (values.config === undefined || values.config.trim() === '') throw new UsageError('--config is required', START_USAGE);
  const flags = cliFlagsFrom(values, START_USAGE);
  const log = io.logger ?? createLogger({ level: flags.logLevel ?? 'info', format: flags.logFormat ?? 'json', write: io.err });

  let signalled: NodeJS.Signals | undefined;
  let onStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (onStop = resolve));
  const offSignal = io.onSignal((signal) => {
    if (signalled !== undefined) {
      log.error('second signal: exiting without a graceful stop', { signal });
      io.exit(130);
      return;
    }
    signalled = signal;
    log.info('signal received: stopping gracefully (send it again to exit at once)', { signal });
    onStop();
  });

  let handle: RelayMinerHandle;
  try {
    handle = await startRelayMiner({ configPath: values.config, flags, logger: log });
  } catch (error) {
    offSignal();
    log.error('relay miner could not start', { error, ...(error instanceof Error && error.cause instanceof Error && { cause: error.cause }) });
    return 1;
  }

  await stopRequested;
  let code = 0;
  try {
    await handle.close();
  } catch (error) {
    log.error('relay miner did not stop cleanly', { error });
    code = 1;
  } finally {
    offSignal();
  }
  setTimeout(() => io.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
