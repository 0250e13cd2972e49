/**
 * `relayminer demo` (`npm start`): the whole relay miner on one machine in about a minute. A local chain
 * (short sessions, every claim needs a proof), a JSON-RPC backend, the relay miner started from a config
 * file like an operator's, and a gateway sending ring-signed relays across several sessions; then the
 * chain's own record says whether every mined relay was claimed and every required proof was VALID.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainClient } from '@relayminer/chain';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import { addressFromPrivateKey, settlementHeight } from '@relayminer/protocol';
import { connectGatewayChain } from '../relay-client/gateway-chain.js';
import { sendRelays } from '../relay-client/send-relays.js';
import type { RelayClientReport, RelayOutcome } from '../relay-client/types.js';
import { createLogger, startRelayMiner, type LogLevel, type RelayMinerHandle } from '../start.js';
import { startDemoBackend } from './backend.js';
import { tallyClaims, type ClaimedSession } from './chain-tally.js';
import { DEMO_SERVICE_ID, RELAYMINER_DEMO_GENESIS_PATH, demoAccountKey } from './demo-genesis.js';
import { blockProgressLine, sessionEventLine, short } from './progress.js';
import { writeRelayMinerFiles } from './relay-miner-files.js';
import { demoFailures, summaryLine, type DemoNumbers } from './verdict.js';

export interface DemoOptions {
  /** Start rate of the gateway's relays (default 40/s). */
  relaysPerSecond?: number;
  /** Sessions to serve relays in (default 2); the run fails unless at least this many are claimed. */
  sessions?: number;
  /** Keep the temp folder (config, keys, LevelDB store) and say where it is. */
  keepData?: boolean;
  /** Relays in flight at once (default: enough for the rate at ~50 ms per relay, 4 to 64). */
  concurrency?: number;
  /** Block interval; default: the demo genesis's (600 ms). */
  blockTimeMs?: number;
  /** Give up (and fail) after this long (default 150 s). */
  timeoutMs?: number;
  /** Level of the relay miner's own log lines, shown indented (default warn). */
  relayMinerLogLevel?: LogLevel;
  /** Where progress lines go (default console.log). */
  log?: (line: string) => void;
  /** Abort: stop sending, skip the waiting, clean up, report. */
  signal?: AbortSignal;
}

export interface DemoReport extends DemoNumbers {
  ok: boolean;
  /** Why the run failed (empty when ok). */
  failures: string[];
  /** The last line printed: `summary: served=N mined=N claimed=N proofs_required=N proofs_valid=N lost=N`. */
  summary: string;
  /** Ids of the sessions relays were served in. */
  sessionsServed: string[];
  /** The supplier's claims as the chain recorded them. */
  claims: ClaimedSession[];
  load: RelayClientReport;
  durationMs: number;
  /** The temp folder, when kept. */
  dataDir?: string;
}

const DEFAULTS = { relaysPerSecond: 40, sessions: 2, timeoutMs: 150_000 };
const APP_KEY = demoAccountKey('app1');
const GATEWAY_KEY = demoAccountKey('gateway1');
const SUPPLIER_KEY = demoAccountKey('supplier1');
const SUPPLIER = addressFromPrivateKey(SUPPLIER_KEY);

interface Outcome {
  numbers: DemoNumbers;
  failures: string[];
  load: RelayClientReport;
  servedSessions: string[];
  claims: ClaimedSession[];
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const o = { ...DEFAULTS, ...options };
  const concurrency = o.concurrency ?? Math.min(64, Math.max(4, Math.ceil(o.relaysPerSecond / 20)));
  if (!(o.relaysPerSecond > 0)) throw new RangeError('relaysPerSecond must be positive');
  if (!Number.isInteger(o.sessions) || o.sessions < 1) throw new RangeError('sessions must be a positive integer');
  const log = o.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const deadline = Date.now() + o.timeoutMs;
  const dir = mkdtempSync(join(tmpdir(), 'relayminer-demo-'));
  // undone in reverse order whatever happens
  let outcome: Outcome;
  const cleanup: Array<[string, () => unknown]> = [['temp folder', () => (o.keepData ? undefined : rmSync(dir, { recursive: true, force: true }))]];
  try {
    const net = await startLocalnet({ genesis: RELAYMINER_DEMO_GENESIS_PATH, port: 0, blockTimeMs: o.blockTimeMs });
    cleanup.push(['local chain', () => net.stop()]);
    const backend = await startDemoBackend();
    cleanup.push(['demo backend', () => backend.close()]);
    const files = writeRelayMinerFiles(dir, {
      rpcUrl: net.rpcUrl,
      chainId: net.chainId,
      serviceId: DEMO_SERVICE_ID,
      backendUrl: backend.url,
      supplierKeyName: 'supplier1',
      supplierPrivateKey: SUPPLIER_KEY,
    });
    log(`local chain "${net.chainId}" at ${net.rpcUrl}: a block every ${net.blockTimeMs} ms, 4-block sessions, every claim needs a proof`);
    log(`demo backend (JSON-RPC) at ${backend.url}; relay miner config in ${files.configPath}`);

    const level = o.relayMinerLogLevel ?? 'warn';
    const miner = await startRelayMiner({
      configPath: files.configPath,
      flags: { chainId: net.chainId, logLevel: level },
      logger: createLogger({ level, format: 'text', write: (line) => log(`  [relayminer] ${line}`) }),
    });
    cleanup.push(['relay miner', () => miner.close()]);
    const relayUrl = miner.relayUrlOf(DEMO_SERVICE_ID);
    log(`relay miner serving ${DEMO_SERVICE_ID} at ${relayUrl} for supplier ${SUPPLIER}${miner.metricsUrl ? `; metrics at ${miner.metricsUrl}/metrics` : ''}`);

    const gateway = await connectGatewayChain(net.rpcUrl, net.chainId);
    cleanup.push(['gateway chain client', () => gateway.close()]);
    const events = miner.sessions.events$.subscribe((e) => {
      const line = sessionEventLine(e);
      if (line) log(line);
    });
    cleanup.push(['event subscription', () => events.unsubscribe()]);

    const run = new DemoRun({ ...o, concurrency }, log, net, miner, gateway, relayUrl, deadline);
    const { load, servedSessions } = await run.relay();
    await run.settle(servedSessions);

    const tally = tallyClaims(net.app!.claims(), SUPPLIER);
    const mined = miner.stats().minedRelays;
    const numbers: DemoNumbers = {
      served: load.ok,
      mined,
      claimed: Number(tally.claimedRelays),
      proofsRequired: tally.proofsRequired,
      proofsValid: tally.proofsValid,
      lost: mined - Number(tally.claimedRelays),
      sessionsClaimed: tally.sessions.length,
    };
    for (const c of tally.sessions) {
      log(
        `session ${short(c.sessionId)} (ends ${c.sessionEndHeight}): ${c.relays} relays claimed, ${c.computeUnits} compute units, proof ${c.proof}, ${c.settlement ?? 'not settled'}`,
      );
    }
    // once interrupted, the chain's numbers are a snapshot, and judging them would only add noise
    const failures = o.signal?.aborted ? (run.problems.length > 0 ? run.problems : ['interrupted']) : [...run.problems, ...demoFailures(numbers, o.sessions)];
    const failedRelays = Object.entries(load.errors).map(([reason, n]) => `${n} × ${reason}`);
    log(`gateway: ${load.sent} relays sent, ${load.ok} answered and verified (p50 ${load.latencyMs.p50.toFixed(1)} ms)${failedRelays.length ? `, failed: ${failedRelays.join(', ')}` : ''}`);
    outcome = { numbers, failures, load, servedSessions: [...servedSessions.keys()], claims: tally.sessions };
  } finally {
    for (const [name, undo] of cleanup.reverse()) {
      try {
        await undo();
      } catch (error) {
        log(`warning: stopping the ${name} failed: ${(error as Error).message}`);
      }
    }
  }
  // printed after everything stopped, so the summary is the last line
  return finish(outcome);

  function finish(r: Outcome): DemoReport {
    const summary = summaryLine(r.numbers);
    if (o.keepData) log(`data kept in ${dir}`);
    for (const reason of r.failures) log(`FAILED: ${reason}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (r.failures.length === 0) log(`OK in ${seconds} s: every mined relay is claimed on chain and every required proof is VALID`);
    else log(`failed after ${seconds} s`);
    log(summary);
    return {
      ...r.numbers,
      ok: r.failures.length === 0,
      failures: r.failures,
      summary,
      sessionsServed: r.servedSessions,
      claims: r.claims,
      load: r.load,
      durationMs: Math.round(performance.now() - started),
      ...(o.keepData && { dataDir: dir }),
    };
  }
}

/** The two timed phases: relaying across sessions, then waiting for the chain to settle them. */
class DemoRun {
  /** Problems found on the way (not from the final numbers). */
  readonly problems: string[] = [];
  private phase: 'relaying' | 'settling' = 'relaying';
  private sent = 0;
  private ok = 0;
  private current?: { id: string; endHeight: bigint };

  constructor(
    private readonly o: Required<Pick<DemoOptions, 'relaysPerSecond' | 'sessions' | 'concurrency'>> & DemoOptions,
    private readonly log: (line: string) => void,
    private readonly net: LocalnetHandle,
    private readonly miner: RelayMinerHandle,
    private readonly gateway: ChainClient,
    private readonly relayUrl: string,
    private readonly deadline: number,
  ) {}

  /** Sends relays until `sessions` sessions got some and the chain reached the last one's end height. */
  async relay(): Promise<{ load: RelayClientReport; servedSessions: Map<string, bigint> }> {
    const served = new Map<string, bigint>();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    const offBlock = this.net.onBlock(() => {
      this.log(this.progressLine());
      const ends = [...served.values()];
      if (ends.length >= this.o.sessions && BigInt(this.net.height) >= ends[this.o.sessions - 1]!) stop.abort();
      if (Date.now() > this.deadline) stop.abort();
      // nothing gets through: stop early and say why instead of waiting out the deadline
      if (this.sent >= 40 && this.ok === 0) stop.abort();
    });
    this.log(`gateway sending relays at ${this.o.relaysPerSecond}/s until ${this.o.sessions} sessions are served`);
    let load: RelayClientReport;
    try {
      load = await sendRelays({
        rpcUrl: this.net.rpcUrl,
        relayUrl: this.relayUrl,
        serviceId: DEMO_SERVICE_ID,
        appPrivateKey: APP_KEY,
        gatewayPrivateKey: GATEWAY_KEY,
        count: Infinity,
        concurrency: this.o.concurrency,
        ratePerSecond: this.o.relaysPerSecond,
        chain: this.gateway,
        signal: stop.signal,
        onRelay: (r: RelayOutcome) => {
          this.sent++;
          if (!r.ok || r.sessionId === undefined) return;
          this.ok++;
          if (!served.has(r.sessionId)) served.set(r.sessionId, r.sessionEndHeight!);
          this.current = { id: r.sessionId, endHeight: r.sessionEndHeight! };
        },
      });
    } finally {
      offBlock();
      this.o.signal?.removeEventListener('abort', onAbort);
    }
    this.phase = 'settling';
    if (this.o.signal?.aborted) this.problems.push('interrupted before the served sessions were settled on chain');
    else if (load.ok === 0) {
      const top = Object.entries(load.errors).sort((a, b) => b[1] - a[1])[0];
      this.problems.push(`no relay was answered with a verified supplier signature${top ? ` (most common failure: ${top[0]}, ${top[1]} times)` : ''}`);
    } else if (served.size < this.o.sessions) {
      this.problems.push(`relays were served in ${served.size} session(s) only before the deadline`);
    }
    return { load, servedSessions: served };
  }

  /** Waits until the chain settled every served session (its proof window closed). */
  async settle(servedSessions: Map<string, bigint>): Promise<void> {
    if (servedSessions.size === 0 || this.o.signal?.aborted) return;
    let target = 0n;
    for (const end of servedSessions.values()) {
      const params = await this.gateway.query.sharedParamsAtHeight(end);
      const h = settlementHeight(params, end);
      if (h > target) target = h;
    }
    this.log(`waiting for the chain to settle the served sessions (height ${target})`);
    const offBlock = this.net.onBlock(() => this.log(this.progressLine()));
    try {
      await Promise.race([
        this.net.waitFor(() => BigInt(this.net.height) >= target, { ms: Math.max(1, this.deadline - Date.now()) }),
        aborted(this.o.signal),
      ]);
    } catch (error) {
      this.problems.push(
        error instanceof Interrupted
          ? 'interrupted before the served sessions were settled on chain'
          : `timed out at height ${this.net.height} waiting for settlement at height ${target}`,
      );
    } finally {
      offBlock();
    }
  }

  private progressLine(): string {
    const stats = this.miner.stats();
    return blockProgressLine({
      height: this.net.height,
      session: this.current,
      sent: this.sent,
      ok: this.ok,
      served: stats.served,
      mined: stats.minedRelays,
      sessions: stats.sessions,
      phase: this.phase,
    });
  }
}

class Interrupted extends Error {}

/** Rejects when the signal aborts; never settles otherwise. */
function aborted(signal?: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(new Interrupted());
    signal.addEventListener('abort', () => reject(new Interrupted()), { once: true });
  });
}
