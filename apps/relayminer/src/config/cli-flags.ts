/**
 * The Go relay miner's operator flags, as `relayminer start` takes them. They override the config
 * file: `node` replaces both RPC URLs, `keysFile` the file's `keys_file`, the rest the chain settings.
 */
import type { LogFormat, LogLevel } from '../log/logger.js';

export interface CliFlags {
  /** `--chain-id`: must equal the node's network. */
  readonly chainId: string;
  /** `--node`: CometBFT RPC URL used for both queries and txs. */
  readonly node: string;
  /** `--gas-prices`, one coin such as `0.000001upokt`. */
  readonly gasPrices: string;
  /** `--gas-adjustment`: multiplier on simulated gas, ≥ 1. */
  readonly gasAdjustment: number;
  /** `--fees`: fixed fee (integer coin such as `2000upokt`) instead of gas × price. */
  readonly fees: string;
  /** `--keys-file`: overrides `keys_file` (relative to the working directory). */
  readonly keysFile: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}
