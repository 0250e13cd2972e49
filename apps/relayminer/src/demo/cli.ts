/**
 * `relayminer demo`: what `npm start` runs. Exit code 0 when the chain's claims account for every mined
 * relay, every required proof is VALID and enough sessions were claimed; 1 otherwise; 2 on bad usage.
 */
import { parseFlags } from '../commands/parse-flags.js';
import { runDemo } from './run-demo.js';
import { summaryLine } from './verdict.js';

export const DEMO_USAGE = `usage: relayminer demo [--relays-per-second N] [--sessions N] [--keep-data]

Starts a local chain, a demo JSON-RPC backend and the relay miner, sends ring-signed relays across
N sessions (default 2) and waits until the chain has settled their claims and proofs.

  --relays-per-second N   gateway load (default 40)
  --sessions N            sessions to serve relays in (default 2)
  --keep-data             keep the temp folder (config, keys, LevelDB store) and print where it is`;

const DEMO_OPTIONS = {
  'relays-per-second': { type: 'string', default: '40' },
  sessions: { type: 'string', default: '2' },
  'keep-data': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function demoCommand(argv: string[], log: (line: string) => void = (l) => console.log(l)): Promise<number> {
  let values;
  try {
    values = parseFlags(argv, DEMO_OPTIONS, DEMO_USAGE);
  } catch (error) {
    console.error(`relayminer demo: ${(error as Error).message}\n${DEMO_USAGE}`);
    return 2;
  }
  if (values.help) {
    log(DEMO_USAGE);
    return 0;
  }
  const rate = Number(values['relays-per-second']);
  const sessions = Number(values.sessions);
  if (!(Number.isFinite(rate) && rate > 0)) {
    console.error(`relayminer demo: --relays-per-second must be a positive number\n${DEMO_USAGE}`);
    return 2;
  }
  if (!(Number.isInteger(sessions) && sessions >= 1 && sessions <= 20)) {
    console.error(`relayminer demo: --sessions must be an integer from 1 to 20\n${DEMO_USAGE}`);
    return 2;
  }

  // Ctrl-C: stop, clean up (the temp folder too), and still print the summary
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await runDemo({ relaysPerSecond: rate, sessions, keepData: values['keep-data'], log, signal: interrupt.signal });
    return report.ok ? 0 : 1;
  } catch (error) {
    // could not even run (a port, the store, the chain): still end with the line scripts look for
    log(`FAILED: the demo could not run: ${(error as Error).message}`);
    log(summaryLine({ served: 0, mined: 0, claimed: 0, proofsRequired: 0, proofsValid: 0, lost: 0, sessionsClaimed: 0 }));
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
