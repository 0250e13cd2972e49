/**
 * The relay miner's Prometheus metrics. Names follow the Go relay miner (`relayminer_*`) where it has
 * the metric, so existing dashboards keep working; the rest are ours.
 *
 * Requests, errors, durations and sizes come from the proxy's per-request report (`onRequestDone`);
 * drops, mining and session figures from the running totals of the proxy, miner and sessions, read
 * at scrape time, and from session events.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MinerStats } from '@relayminer/miner';
import type { RelayRequestDone, RelayServerStats } from '@relayminer/proxy';
import { REGISTERED_RELAY_ERRORS } from '@relayminer/proxy';
import type { SessionEvent, SessionsStats } from '@relayminer/sessions';
import { isValidProofStatus } from '../proof-status.js';
import { DeltaCounter } from './delta-counter.js';

/** What the metrics read at scrape time; each part is optional so the metrics work as parts start. */
export interface MetricsSources {
  proxy?: () => RelayServerStats;
  miner?: () => MinerStats;
  sessions?: () => SessionsStats;
}

const SIZE_BUCKETS = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];

/** `relayer_proxy:13` → `request_limit`, from the registered error table; unregistered ones keep `codespace:code`. */
const ERROR_TYPE_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(REGISTERED_RELAY_ERRORS).map(([kind, e]) => [`${e.codespace}:${e.code}`, kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
);

export function errorTypeOf(rejectionKey: string): string {
  return ERROR_TYPE_OF.get(rejectionKey) ?? rejectionKey;
}

export class RelayMinerMetrics {
  readonly registry = new Registry();
  private sources: MetricsSources = {};

  // Go relay miner names
  readonly requests = this.counter('relayminer_requests_total', 'Relay requests answered (empty labels when the request named no service or supplier).', ['service_id', 'supplier_operator_address']);
  readonly requestsSuccess = this.counter('relayminer_requests_success_total', 'Relay requests answered with a signed response.', ['service_id', 'supplier_operator_address']);
  readonly requestsErrors = this.counter('relayminer_requests_errors_total', 'Relay requests answered with an error reply, by error type.', ['service_id', 'supplier_operator_address', 'error_type']);
  readonly relayDuration = new Histogram({
    name: 'relayminer_relay_duration_seconds',
    help: 'Time from a relay request arriving to its reply being written.',
    labelNames: ['service_id'],
    registers: [this.registry],
  });
  readonly requestSize = this.histogram('relayminer_request_size_bytes', 'Relay request body size.');
  readonly responseSize = this.histogram('relayminer_response_size_bytes', 'Relay reply body size (signed response or error reply).');
  readonly relaysDropped = this.counter('relayminer_relays_dropped_total', 'Served relays that were not mined into a session tree, by reason.', ['reason']);
  readonly blockHeight = new Gauge({ name: 'relayminer_block_height', help: 'Latest block height seen by the chain client.', registers: [this.registry] });

  // ours
  readonly relaysMined = this.counter('relayminer_relays_mined_total', 'Relays whose hash met the difficulty target.');
  readonly relaysNotMinable = this.counter('relayminer_relays_not_minable_total', 'Valid relays whose hash did not meet the difficulty target.');
  readonly minerDropped = this.counter('relayminer_miner_dropped_total', 'Relays the miner dropped, by reason.', ['reason']);
  readonly relaysPersisted = this.counter('relayminer_relays_persisted_total', 'Mined relays written to the relay log.');
  readonly sessionTrees = new Gauge({ name: 'relayminer_session_trees', help: 'Session trees held, by state.', labelNames: ['state'], registers: [this.registry] });
  readonly claimsSubmitted = this.counter('relayminer_claims_submitted_total', 'Session claims sent in a tx (each attempt counts).');
  readonly claimsIncluded = this.counter('relayminer_claims_included_total', 'Session claims included in a block.');
  readonly claimsFailed = this.counter('relayminer_claims_failed_total', 'Session claims given up on (tx failed or expired with no attempt left).');
  readonly claimsSkipped = this.counter('relayminer_claims_skipped_total', 'Sessions not claimed, by reason.', ['reason']);
  readonly proofsRequired = this.counter('relayminer_proofs_required_total', 'Claims for which the chain requires a proof.');
  readonly proofsSubmitted = this.counter('relayminer_proofs_submitted_total', 'Session proofs sent in a tx (each attempt counts).');
  readonly proofsIncluded = this.counter('relayminer_proofs_included_total', 'Session proofs included in a block.');
  readonly proofsFailed = this.counter('relayminer_proofs_failed_total', 'Session proofs given up on (tx failed or expired with no attempt left).');
  readonly proofsValid = this.counter('relayminer_proofs_valid_total', 'Included proofs the chain validated (claim proof status VALIDATED).');
  readonly upoktClaimed = this.counter('relayminer_upokt_claimed_total', 'uPOKT of included claims.');
  readonly persistTimeouts = this.counter('relayminer_reply_persist_timeouts_total', 'Replies sent without waiting any longer for their relay to be persisted (reply_after_persist, request deadline reached).');
  readonly sessionsDone = this.counter('relayminer_sessions_done_total', 'Session trees finished, by outcome.', ['outcome']);

  private readonly proxyDrops = new DeltaCounter(this.relaysDropped);
  private readonly replyTimeouts = new DeltaCounter(this.persistTimeouts);
  private readonly mined = new DeltaCounter(this.relaysMined);
  private readonly persisted = new DeltaCounter(this.relaysPersisted);
  private readonly notMinable = new DeltaCounter(this.relaysNotMinable);
  private readonly minerDrops = new DeltaCounter(this.minerDropped);

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  setSources(sources: MetricsSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** One HTTP relay as the proxy reports it once its reply is written. */
  observeRequest(done: RelayRequestDone): void {
    const labels = { service_id: done.serviceId ?? '', supplier_operator_address: done.supplierOperatorAddress ?? '' };
    this.requests.inc(labels);
    if (done.errorKey === undefined) this.requestsSuccess.inc(labels);
    else this.requestsErrors.inc({ ...labels, error_type: errorTypeOf(done.errorKey) });
    this.relayDuration.observe({ service_id: labels.service_id }, done.durationMs / 1000);
    this.requestSize.observe({ service_id: labels.service_id }, done.requestBytes);
    this.responseSize.observe({ service_id: labels.service_id }, done.responseBytes);
  }

  observeBlock(height: bigint): void {
    this.blockHeight.set(Number(height));
  }

  observeSessionEvent(event: SessionEvent): void {
    switch (event.kind) {
      case 'relays_rejected':
        this.relaysDropped.inc({ reason: event.reason }, event.count);
        break;
      case 'claim_skipped':
        this.claimsSkipped.inc({ reason: event.reason });
        break;
      case 'claims_submitted':
        this.claimsSubmitted.inc(event.sessions.length);
        break;
      case 'claims_included':
        this.claimsIncluded.inc(event.sessions.length);
        this.upoktClaimed.inc(Number(event.claimedUpokt));
        break;
      case 'claims_failed':
        if (event.final) this.claimsFailed.inc(event.sessions.length);
        break;
      case 'proof_requirement':
        if (event.required) this.proofsRequired.inc();
        break;
      case 'proofs_submitted':
        this.proofsSubmitted.inc(event.sessions.length);
        break;
      case 'proofs_included':
        this.proofsIncluded.inc(event.sessions.length);
        break;
      case 'proofs_failed':
        if (event.final) this.proofsFailed.inc(event.sessions.length);
        break;
      case 'proof_validated':
        if (isValidProofStatus(event.status)) this.proofsValid.inc();
        break;
      case 'session_done':
        this.sessionsDone.inc({ outcome: event.outcome });
        break;
      default:
        break;
    }
  }

  /** Reads the running totals of the proxy, miner and sessions into the metrics (called per scrape). */
  refresh(): void {
    const proxy = this.sources.proxy?.();
    if (proxy) {
      for (const [reason, count] of Object.entries(proxy.dropped)) this.proxyDrops.update({ reason }, count);
      this.replyTimeouts.update({}, proxy.persistTimeouts ?? 0);
    }
    const miner = this.sources.miner?.();
    if (miner) {
      this.mined.update({}, miner.mined);
      this.notMinable.update({}, miner.notMinable);
      for (const [reason, count] of Object.entries(miner.dropped)) this.minerDrops.update({ reason }, count);
    }
    const sessions = this.sources.sessions?.();
    if (sessions) {
      for (const [state, count] of Object.entries(sessions.trees)) this.sessionTrees.set({ state }, count);
      this.persisted.update({}, sessions.relaysPersisted);
    }
  }

  /** The Prometheus text exposition, fresh. */
  async render(): Promise<string> {
    this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram(name: string, help: string): Histogram<'service_id'> {
    return new Histogram({ name, help, labelNames: ['service_id'], buckets: SIZE_BUCKETS, registers: [this.registry] });
  }
}
