/** Runs the CLI in-process with captured output, a given stdin and no real signals or exits. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../src/cli.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(argv: string[], options: { stdin?: string; stdinIsTTY?: boolean } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: async () => options.stdin ?? '',
    stdinIsTTY: options.stdinIsTTY ?? false,
    onSignal: () => () => {},
    exit: (code) => {
      throw new Error(`unexpected exit(${code})`);
    },
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix = 'relayminer-app-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
