/**
 * What the commands read and write, so tests run them in-process: lines out (results) and err (logs,
 * errors, prompts), the secret input for `keys import`, signals for `start`, and process exit.
 */
import type { Logger } from '../log/logger.js';

export interface CliIo {
  /** A line of command output (stdout). */
  out(line: string): void;
  /** A line of diagnostics (stderr). */
  err(line: string): void;
  /** All of stdin, as text. */
  readStdin(): Promise<string>;
  readonly stdinIsTTY: boolean;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
  /** Ends the process at once (second signal, or a process that would not exit after a clean stop). */
  exit(code: number): void;
  /** Used by `start` instead of building one from `--log-level`/`--log-format` (tests). */
  readonly logger?: Logger;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      const text = Buffer.concat(chunks).toString('utf8');
      for (const c of chunks) c.fill(0);
      return text;
    },
    stdinIsTTY: process.stdin.isTTY === true,
    onSignal(listener) {
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
      for (const s of signals) process.on(s, listener);
      return () => signals.forEach((s) => process.off(s, listener));
    },
    exit: (code) => process.exit(code),
  };
}
