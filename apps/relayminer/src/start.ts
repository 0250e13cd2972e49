/**
 * Wires the relay miner: config and keys → chain client → sessions manager → relay servers → miner →
 * sessions, plus logs, metrics and health. Data flows one way (design.md); this module only connects
 * the packages and owns the order in which they start and stop.
 */
import { resolve } from 'node:path';
import { finalize, type Subscription } from 'rxjs';
import { ChainClient } from '@relayminer/chain';
import { minedRelays, miningParamsFromChain, type MinedRelays } from '@relayminer/miner';
import {
  ChainRelayAuthenticator,
  ChainRelayMeter,
  createRingVerifyWorkers,
  loadKeyRing,
  relayServerOptionsFromConfig,
  startRelayServers,
  type RelayServers,
  type RelayServerStats,
  type StaticKeyRing,
} from '@relayminer/proxy';
import { RelayerSessionsManager, type SessionsStats } from '@relayminer/sessions';
import { ClaimWindows } from './claim-windows.js';
import { loadAppConfig, type AppConfig } from './config/app-config.js';
import type { CliFlags } from './config/cli-flags.js';
import { originOf, summarizeConfig } from './config/config-summary.js';
import { StartupError, type StartupStage } from './errors.js';
import { checkReadiness } from './health/readiness.js';
import { createLogger, type Logger } from './log/logger.js';
import { startOpsServer, type OpsServer } from './metrics/ops-server.js';
import { RelayMinerMetrics } from './metrics/relay-miner-metrics.js';
import { logSessionEvent } from './session-event-log.js';

export type { CliFlags } from './config/cli-flags.js';
export type { Logger, LogLevel, LogFormat, LogFields } from './log/logger.js';
export { createLogger, silentLogger } from './log/logger.js';
export { StartupError, UsageError, KeysFileError, SecretFormatError } from './errors.js';

export interface StartOptions {
  /** Relay miner YAML (the Go relay miner's keys, plus `keys_file` and `pocket_node.chain_id` & co). */
  configPath: string;
  /** Override the config file and the defaults. */
  flags?: Partial<CliFlags>;
  /** Default: JSON lines on stderr at `flags.logLevel ?? 'info'`. */
  logger?: Logger;
}

export interface RelayMinerStats {
  /** Relays answered with a signed response. */
  served: number;
  /** Relays mined into a session tree (hash below the difficulty target). */
  minedRelays: number;
  /** Relays the miner dropped (invalid, lookup failures). */
  minerDropped: number;
  notMinable: number;
  proxy: RelayServerStats;
  sessions: SessionsStats;
}

export interface RelayMinerHandle {
  readonly chain: ChainClient;
  readonly sessions: RelayerSessionsManager;
  /** URL of the relay server serving that service (with the port actually bound). */
  relayUrlOf(serviceId: string): string;
  /** `http://host:port` of the metrics/health endpoint when metrics are enabled. */
  readonly metricsUrl: string | undefined;
  stats(): RelayMinerStats;
  /** Resolves once `close()` finished (whatever its outcome). */
  readonly closed: Promise<void>;
  /**
   * Graceful stop: stop accepting relays, let open ones finish, drain served → mined → sessions (the
   * relay log flushed), then close the metrics endpoint and the chain client. Idempotent. Rejects
   * (after completing every step) when a step failed.
   */
  close(): Promise<void>;
}

/** How long close() waits for the miner to hand its last relays to the sessions manager. */
const MINER_DRAIN_TIMEOUT_MS = 15_000;

export async function startRelayMiner(options: StartOptions): Promise<RelayMinerHandle> {
  const flags = options.flags ?? {};
  const log = options.logger ?? createLogger({ level: flags.logLevel ?? 'info', format: flags.logFormat ?? 'json' });

  const app = await stage('config', async () => loadAppConfig(options.configPath, flags));
  for (const note of app.notes) log.warn(note);
  const keyRing = await stage('keys', async () => loadKeyRing(app.keysFile, app.relayMiner.signingKeyNames));

  // Undone in reverse order when a later step fails.
  const undo: Array<() => unknown> = [];
  try {
    return await wire(app, keyRing, log, undo);
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // already failing: the original error is the one to report
      }
    }
    throw error;
  }
}

async function wire(app: AppConfig, keyRing: StaticKeyRing, log: Logger, undo: Array<() => unknown>): Promise<RelayMinerHandle> {
  const config = app.relayMiner;
  log.info('connecting to the chain', { chain_id: app.chain.chain_id, query_node: originOf(app.chain.query_node_rpc_url ?? app.chain.tx_node_rpc_url) });
  const chain = await stage('chain', () => ChainClient.connect(app.chain));
  undo.push(() => chain.close());

  const metrics = new RelayMinerMetrics();
  let lastBlockAt: number | undefined;
  const subscriptions: Subscription[] = [];
  undo.push(() => subscriptions.forEach((s) => s.unsubscribe()));
  subscriptions.push(
    chain.blocks.blocks$.subscribe((block) => {
      lastBlockAt = Date.now();
      metrics.observeBlock(block.height);
    }),
    chain.blocks.issues$.subscribe((issue) => log.warn('block watcher issue', { reason: issue.reason, error: issue })),
  );

  const sessions = await stage('sessions', () =>
    RelayerSessionsManager.open({
      storePath: resolve(config.smtStorePath),
      chain,
      fsync: app.walFsync,
      txClientFor: (operatorAddress) => {
        const key = keyRing.privateKeyOf(operatorAddress);
        if (key === undefined) throw new Error(`no signing key is configured for operator ${operatorAddress}`);
        // the copy is handed to the tx client's wallet, which keeps it
        return chain.txClientFor(key);
      },
    }),
  );
  undo.push(() => sessions.close());
  subscriptions.push(
    sessions.events$.subscribe((event) => {
      logSessionEvent(log, event);
      metrics.observeSessionEvent(event);
    }),
  );

  const claimWindows = new ClaimWindows(chain.query, () => chain.blocks.height);
  const servers: RelayServers = await stage('relay_servers', () =>
    startRelayServers(
      relayServerOptionsFromConfig(config, {
        keyRing,
        authenticator: ChainRelayAuthenticator.fromChainClient(chain, keyRing, createRingVerifyWorkers()),
        meter: ChainRelayMeter.fromChainClient(chain, (reason, header) => log.debug('relay not metered', { reason, session_id: header?.sessionId })),
        currentHeight: () => chain.blocks.height ?? 0n,
        rewardable: claimWindows.rewardable,
        sessionResolver: chain.query,
        onBackgroundError: (error) => log.debug('relay failed after its reply', { error }),
        onRequestDone: (done) => metrics.observeRequest(done),
      }),
    ),
  );
  let listening = true;
  undo.push(() => servers.close());

  const mined: MinedRelays = minedRelays(
    servers.servedRelays(),
    {
      ...miningParamsFromChain(chain.query),
      onDrop: ({ relay, reason, error }) => log.debug('relay dropped by the miner', { reason, service_id: relay.serviceId, error }),
    },
    // A reply waiting for its relay's log write should not also wait for a batch to fill.
    { batchWaitMs: config.replyAfterPersist ? 0 : 5 },
  );
  let minerDrained!: () => void;
  const minerDone = new Promise<void>((resolve) => (minerDrained = resolve));
  subscriptions.push(sessions.insertRelays(mined.pipe(finalize(() => minerDrained()))));
  sessions.start();

  metrics.setSources({ proxy: () => servers.stats(), miner: () => mined.stats(), sessions: () => sessions.stats() });
  const readiness = () =>
    checkReadiness({
      listening: () => listening,
      lastBlockAt: () => lastBlockAt,
      lastBlockHeight: () => chain.blocks.height,
      maxBlockAgeMs: chain.config.blockIntervalMs * chain.config.stallBlocks,
    });
  let ops: OpsServer | undefined;
  if (config.metrics.enabled) {
    ops = await stage('metrics', () =>
      startOpsServer({ addr: config.metrics.addr, metrics, readiness, onError: (error) => log.warn('metrics collection failed', { error }) }),
    );
  }

  const summary = summarizeConfig(app, keyRing);
  log.info('relay miner started', {
    chain_id: summary.chainId,
    height: chain.blocks.height,
    services: servers.servers.flatMap((s) => s.serviceIds.map((id) => ({ service_id: id, url: s.url }))),
    operators: summary.operators.map((o) => o.address),
    metrics_url: ops?.url,
    ping_url: servers.pingUrl,
    smt_store_path: summary.smtStorePath,
  });

  let closing: Promise<void> | undefined;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const shutdown = async (): Promise<void> => {
    const failures: Error[] = [];
    const step = async (name: string, work: () => unknown): Promise<void> => {
      try {
        await work();
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
        log.error('shutdown step failed', { step: name, error });
      }
    };
    log.info('relay miner stopping');
    listening = false;
    // Closing the servers completes the served-relay stream; the miner then flushes its last batch.
    await step('relay servers', () => servers.close());
    await step('miner drain', async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), MINER_DRAIN_TIMEOUT_MS)));
      const late = await Promise.race([minerDone.then(() => false), timedOut]);
      clearTimeout(timer);
      if (late) log.warn('the miner did not drain in time; relays still in it are not persisted', { timeout_ms: MINER_DRAIN_TIMEOUT_MS });
    });
    await step('sessions', () => sessions.close());
    await step('metrics', () => ops?.close());
    subscriptions.forEach((s) => s.unsubscribe());
    await step('chain', () => chain.close());
    const s = stats();
    log.info('relay miner stopped', { served: s.served, mined_relays: s.minedRelays, relays_persisted: s.sessions.relaysPersisted });
    if (failures.length > 0) throw new AggregateError(failures, `relay miner shutdown: ${failures.length} step(s) failed: ${failures.map((f) => f.message).join('; ')}`);
  };

  const stats = (): RelayMinerStats => {
    const m = mined.stats();
    const proxy = servers.stats();
    return {
      served: proxy.served,
      minedRelays: m.mined,
      minerDropped: Object.values(m.dropped).reduce((a, b) => a + b, 0),
      notMinable: m.notMinable,
      proxy,
      sessions: sessions.stats(),
    };
  };

  return {
    chain,
    sessions,
    metricsUrl: ops?.url,
    relayUrlOf(serviceId: string): string {
      const url = servers.urlOf(serviceId);
      if (url === undefined) throw new RangeError(`service "${serviceId}" is not configured on this relay miner`);
      return url;
    },
    stats,
    closed,
    close(): Promise<void> {
      closing ??= shutdown().finally(() => markClosed());
      return closing;
    },
  };
}

/** Runs one start-up step, naming it in the error when it fails. */
async function stage<T>(name: StartupStage, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StartupError(name, error);
  }
}
