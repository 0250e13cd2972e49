/**
 * Errors of the relayminer application. Each says what was wrong with which input and what to do
 * about it; none carries key material, mnemonics or URLs with credentials.
 */

/** A command line the CLI cannot run: unknown command or flag, missing or malformed value. Exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(
    message: string,
    /** The usage text of the command the error is about, printed after the message. */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A keys file that cannot be read, parsed or written, or a secret that is not a key. `key` names the
 * entry (`keys_file.<name>`) or the file itself (`keys_file`), never its value.
 */
export class KeysFileError extends Error {
  readonly code = 'keys_file';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${key}: ${reason}`);
    this.name = 'KeysFileError';
  }
}

/** The secret given to `keys import` is not a usable private key or mnemonic (the secret is never quoted). */
export class SecretFormatError extends Error {
  readonly code = 'secret_format';
  constructor(reason: string) {
    super(reason);
    this.name = 'SecretFormatError';
  }
}

/** Which step of `startRelayMiner` failed; the cause keeps its own class (ConfigError, ChainError, ...). */
export type StartupStage = 'config' | 'keys' | 'chain' | 'sessions' | 'relay_servers' | 'metrics';

export class StartupError extends Error {
  readonly code = 'startup_failed';
  constructor(
    readonly stage: StartupStage,
    readonly cause: unknown,
  ) {
    super(`relay miner could not start (${stage}): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StartupError';
  }
}
