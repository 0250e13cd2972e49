/**
 * The `relayminer` command: dispatches to the subcommands and turns their errors into exit codes
 * (0 ok, 1 failed, 2 usage). `relay` and `demo` live in their own folders and are loaded on demand.
 */
import { UsageError } from './errors.js';
import { processIo, type CliIo } from './commands/cli-io.js';
import { configCommand } from './commands/config-command.js';
import { keysCommand } from './commands/keys-command.js';
import { startCommand } from './commands/start-command.js';
import { MAIN_USAGE } from './commands/usage.js';

export type { CliIo } from './commands/cli-io.js';
export { processIo } from './commands/cli-io.js';

// Held in variables so that tsc does not resolve them: the modules are written separately.
const RELAY_CLIENT_MODULE = './relay-client/cli.js';
const DEMO_MODULE = './demo/cli.js';

export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await startCommand(rest, io);
      case 'config':
        return await configCommand(rest, io);
      case 'keys':
        return await keysCommand(rest, io);
      case 'relay':
        return await external(RELAY_CLIENT_MODULE, 'relayCommand', rest, io);
      case 'demo':
        return await external(DEMO_MODULE, 'demoCommand', rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.out(MAIN_USAGE);
        return 0;
      case undefined:
        throw new UsageError('missing command', MAIN_USAGE);
      default:
        throw new UsageError(`unknown command "${printable(command)}"`, MAIN_USAGE);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      if (error.usage) io.err('\n' + error.usage);
      return 2;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function external(modulePath: string, exportName: string, argv: readonly string[], io: CliIo): Promise<number> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath)) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(modulePath.slice(2))) {
      io.err(`error: this build has no ${modulePath.split('/')[1]} command`);
      return 1;
    }
    throw error;
  }
  const command = mod[exportName];
  if (typeof command !== 'function') throw new Error(`${modulePath} does not export ${exportName}`);
  return (await (command as (argv: string[]) => Promise<number>)([...argv])) ?? 0;
}

/** A command name as typed, unless it looks like it could be a secret (long, or not a word). */
function printable(command: string): string {
  return /^[a-z][a-z-]{0,30}$/i.test(command) ? command : '…';
}
