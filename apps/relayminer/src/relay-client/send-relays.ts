/**
 * `sendRelays`: a closed-loop load of ring-signed relays against one relay miner, each answer checked
 * like a gateway checks it (the supplier's signature against its key on chain), failures counted by
 * reason. The session, ring and supplier key come from the chain and are re-read per session.
 */
import http from 'node:http';
import https from 'node:https';
import type { ChainClient } from '@relayminer/chain';
import { RingSigner, addressFromPrivateKey } from '@relayminer/protocol';
import { connectGatewayChain } from './gateway-chain.js';
import { latencyPercentiles } from './latency.js';
import { RelayTransportError, postRelay } from './post-relay.js';
import { judgeRelayReply } from './relay-reply.js';
import { ethBlockNumberBody, jsonPostEnvelope, signedRelayRequest } from './relay-request.js';
import { SessionView, type ClientSession } from './session-view.js';
import type { RelayClientOptions, RelayClientReport, RelayOutcome } from './types.js';

const DEFAULT_TIMEOUT_MS = 10_000;

export async function sendRelays(o: RelayClientOptions): Promise<RelayClientReport> {
  if (!(o.count >= 0)) throw new RangeError('count must be a non-negative number');
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  if (o.ratePerSecond !== undefined && !(o.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
  const relayUrl = new URL(o.relayUrl);

  const chain = o.chain ?? (await connectGatewayChain(o.rpcUrl, o.chainId));
  const Agent = relayUrl.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const run = new RelayRun(o, chain, relayUrl, agent);
  try {
    return await run.go();
  } finally {
    agent.destroy();
    if (!o.chain) chain.close();
  }
}

class RelayRun {
  private readonly view: SessionView;
  private readonly signer: RingSigner;
  private readonly payload: (i: number) => Uint8Array;
  private readonly latencies: number[] = [];
  private readonly errors: Record<string, number> = {};
  private readonly sessions: string[] = [];
  private next = 0;
  private sent = 0;
  private ok = 0;

  constructor(
    private readonly o: RelayClientOptions,
    private readonly chain: ChainClient,
    private readonly relayUrl: URL,
    private readonly agent: http.Agent,
  ) {
    this.view = new SessionView(chain, addressFromPrivateKey(o.appPrivateKey), o.serviceId);
    this.signer = new RingSigner(o.gatewayPrivateKey ?? o.appPrivateKey);
    this.payload = o.payload ?? ethBlockNumberBody;
  }

  async go(): Promise<RelayClientReport> {
    const started = performance.now();
    const workers = Array.from({ length: Math.max(1, Math.min(this.o.concurrency, this.o.count)) }, () => this.worker(started));
    await Promise.all(workers);
    const seconds = (performance.now() - started) / 1000;
    return {
      sent: this.sent,
      ok: this.ok,
      failed: this.sent - this.ok,
      errors: { ...this.errors },
      latencyMs: latencyPercentiles(this.latencies),
      relaysPerSecond: seconds > 0 ? Math.round((this.sent / seconds) * 100) / 100 : 0,
      sessions: [...this.sessions],
    };
  }

  /** Takes the next relay index until the count is reached or the signal says stop; in-flight relays finish. */
  private async worker(started: number): Promise<void> {
    const { signal, ratePerSecond } = this.o;
    for (;;) {
      if (signal?.aborted || this.next >= this.o.count) return;
      const i = this.next++;
      if (ratePerSecond) {
        const due = started + (i * 1000) / ratePerSecond;
        if (!(await sleepUntil(due, signal))) return;
      }
      const outcome = await this.sendOne(i);
      this.sent++;
      if (outcome.ok) this.ok++;
      else this.errors[outcome.reason!] = (this.errors[outcome.reason!] ?? 0) + 1;
      this.o.onRelay?.(outcome);
    }
  }

  private async sendOne(index: number): Promise<RelayOutcome> {
    let session: ClientSession;
    try {
      session = await this.view.at(this.chain.blocks.height ?? 1n);
    } catch {
      return { index, ok: false, reason: 'session_lookup', latencyMs: 0 };
    }
    const { header } = session;
    if (!this.sessions.includes(header.sessionId)) this.sessions.push(header.sessionId);
    const base = { index, sessionId: header.sessionId, sessionEndHeight: header.sessionEndBlockHeight };
    const supplier = this.o.supplierOperatorAddress ?? session.suppliers[0];
    if (supplier === undefined) return { ...base, ok: false, reason: 'no_supplier_in_session', latencyMs: 0 };
    // read alongside the relay: an error reply needs no key, and a supplier unknown to the chain still gets asked
    const supplierKey: Promise<Uint8Array | undefined> = this.o.supplierPublicKey
      ? Promise.resolve(this.o.supplierPublicKey)
      : this.view.supplierPublicKey(supplier).catch(() => undefined);

    const request = signedRelayRequest({ header, supplierOperatorAddress: supplier, payload: jsonPostEnvelope(this.payload(index)), signer: this.signer, ring: session.ring });
    const t0 = performance.now();
    let reply;
    try {
      reply = await postRelay(this.relayUrl, request, { agent: this.agent, timeoutMs: this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    } catch (error) {
      const code = error instanceof RelayTransportError ? error.code : 'request_error';
      return { ...base, ok: false, reason: `network:${code}`, latencyMs: performance.now() - t0 };
    }
    const latencyMs = performance.now() - t0;
    this.latencies.push(latencyMs);
    const verdict = judgeRelayReply(reply.status, reply.body, header.sessionId, await supplierKey);
    return { ...base, ok: verdict.ok, reason: verdict.reason, latencyMs };
  }
}

/** Resolves true at `dueMs` (performance.now() clock), or false as soon as the signal aborts. */
function sleepUntil(dueMs: number, signal?: AbortSignal): Promise<boolean> {
  const wait = dueMs - performance.now();
  if (signal?.aborted) return Promise.resolve(false);
  if (wait <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, wait);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
