/**
 * One WebSocket relay connection (protocol.md §11, Go's websockets/bridge.go): client frames are
 * RelayRequests of the bridge's session whose payloads go to the backend raw; backend frames go back
 * as signed RelayResponses. There is no 1:1 request/response (subscriptions, uploads), so every frame
 * pairs with the latest frame of the other side to form one served relay, and each frame is metered.
 *
 * Where this differs from Go, on purpose:
 * - an invalid client frame gets an error RelayResponse frame (§9) and the bridge stays open; Go tears
 *   the whole bridge down, which would also cut the client's live subscriptions;
 * - a backend frame that arrives before any request cannot be signed (no supplier chosen yet) and is
 *   discarded; Go dereferences the missing request;
 * - a client frame over the app's budget is refused with `relayer_proxy` 7 (as HTTP), not forwarded.
 */
import type { WebSocket, RawData } from 'ws';
import { RelayRequest, RelayResponse, signRelayResponse, type SessionHeader } from '@relayminer/protocol';
import { relayError } from '../auth/relay-errors.js';
import type { MeterOutcome, ServedRelay } from '../types.js';
import type { RelayServerOptions } from './options.js';
import { asRelayError, proxyErrors, rejectionKey } from './relay-errors.js';
import type { DropReason, RelayCounters } from './relay-stats.js';
import { errorReplyBytes } from './reply.js';
import type { ServedRelayBuffer } from './served-relay-buffer.js';
import { validateRelayRequestBasic, type BasicValidRelayRequest } from './validate-basic.js';

const EMPTY = new Uint8Array(0);
const DEFAULT_CHECK_INTERVAL_MS = 1000;
/** Frames waiting for their turn before both sockets stop reading, so a flood cannot grow memory unbounded. */
const PAUSE_AT_PENDING = 64;
/** How long a closing peer gets to answer the close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/** WebSocket close codes the bridge sends (RFC 6455 §7.4.1). */
const CLOSE_NORMAL = 1000;
const CLOSE_GOING_AWAY = 1001;
const CLOSE_INTERNAL = 1011;

export interface BridgeDeps {
  readonly options: RelayServerOptions;
  readonly buffer: ServedRelayBuffer;
  readonly counters: RelayCounters;
  /** Bounds the wait for a buffer slot under backpressure. */
  readonly requestTimeoutMs: number;
}

interface LatestRequest {
  readonly request: BasicValidRelayRequest;
  readonly privateKey: Uint8Array;
}

export class WebSocketBridge {
  private latestRequest: LatestRequest | undefined;
  private latestResponse: RelayResponse | undefined;
  /** Frames of both sides are handled one at a time, in arrival order, as Go's single message loop. */
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private paused = false;
  private closing = false;
  private readonly timer: NodeJS.Timeout;
  /** Settles once both sockets are closed. */
  readonly closed: Promise<void>;

  constructor(
    private readonly deps: BridgeDeps,
    /** The session the handshake resolved; every request frame must belong to it. */
    private readonly header: SessionHeader,
    private readonly client: WebSocket,
    private readonly backend: WebSocket,
  ) {
    this.closed = Promise.all([closedPromise(client), closedPromise(backend)]).then(() => undefined);
    client.on('message', (data, isBinary) => this.enqueue(() => this.fromClient(frameBytes(data), isBinary)));
    backend.on('message', (data, isBinary) => this.enqueue(() => this.fromBackend(frameBytes(data), isBinary)));
    // Either side ending ends the bridge; the other side learns why through the close code.
    client.on('close', () => this.close(CLOSE_NORMAL, 'client closed'));
    backend.on('close', (code) => this.close(relayableCloseCode(code), 'service backend closed'));
    client.on('error', () => this.close(CLOSE_INTERNAL, 'client connection failed'));
    backend.on('error', () => this.close(CLOSE_INTERNAL, 'service backend connection failed'));
    this.timer = setInterval(() => this.stillRewardable(), deps.options.bridgeCheckIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
    this.timer.unref();
    backend.resume();
    this.stillRewardable();
  }

  /** Closes both sides (server shutdown) and waits, destroying peers that do not answer in time. */
  shutdown(): Promise<void> {
    this.close(CLOSE_GOING_AWAY, 'relay miner shutting down');
    return this.closed;
  }

  private enqueue(task: () => Promise<void>): void {
    if (this.closing) return;
    this.pending++;
    if (this.pending >= PAUSE_AT_PENDING && !this.paused) {
      this.paused = true;
      this.client.pause();
      this.backend.pause();
    }
    this.queue = this.queue
      .then(() => (this.closing || !this.stillRewardable() ? undefined : task()))
      .catch((error: unknown) => this.deps.options.onBackgroundError?.(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.pending--;
        if (this.paused && this.pending === 0) {
          this.paused = false;
          this.client.resume();
          this.backend.resume();
        }
      });
  }

  /** Closes the bridge once the session's claim window opened (Go: current ≥ ClaimWindowOpen(E)). */
  private stillRewardable(): boolean {
    if (this.closing) return false;
    if (this.deps.options.rewardable(this.header)) return true;
    this.close(CLOSE_NORMAL, 'session ended');
    return false;
  }

  private async fromClient(frame: Buffer, isBinary: boolean): Promise<void> {
    const { options, counters } = this.deps;
    const receivedAtHeight = options.currentHeight();
    let request: RelayRequest | undefined;
    let charged: MeterOutcome | undefined;
    let latest: LatestRequest;
    try {
      try {
        request = RelayRequest.unmarshal(frame);
      } catch {
        throw proxyErrors.unmarshalRequest('frame is not a RelayRequest');
      }
      validateRelayRequestBasic(request);
      const { sessionHeader, supplierOperatorAddress: supplier } = request.meta;
      if (sessionHeader.sessionId !== this.header.sessionId) {
        throw relayError('invalidSession', `session mismatch, expecting: ${this.header.sessionId}, got: ${sessionHeader.sessionId}`);
      }
      const privateKey = options.keyRing.privateKeyOf(supplier);
      if (privateKey === undefined) throw proxyErrors.supplierNotReachable(`supplier ${supplier} is not served here`);
      await options.authenticator.authenticate(request);
      charged = await options.meter.charge(request);
      if (charged === 'over_serviced' && !options.overServicing) throw proxyErrors.rateLimited('application is over-serviced');
      latest = { request, privateKey };
      try {
        await send(this.backend, request.payload, isBinary);
      } catch {
        throw proxyErrors.internal('failed to send the relay request to the service backend');
      }
    } catch (error) {
      if (charged === 'ok') options.meter.refund(request!);
      const relayError = asRelayError(error);
      counters.reject(rejectionKey(relayError));
      await send(this.client, errorReplyBytes(relayError, request), isBinary).catch(() => undefined);
      return;
    }
    this.latestRequest = latest;
    if (this.latestResponse === undefined) {
      // Nothing to pair with yet, so nothing is mined for this frame.
      if (charged === 'ok') options.meter.refund(latest.request);
      return;
    }
    await this.emit(latest.request, this.latestResponse, charged, receivedAtHeight);
  }

  private async fromBackend(frame: Buffer, isBinary: boolean): Promise<void> {
    const latest = this.latestRequest;
    if (latest === undefined) return;
    const { options, counters } = this.deps;
    const receivedAtHeight = options.currentHeight();
    const header = latest.request.meta.sessionHeader;
    let response: RelayResponse;
    try {
      response = signRelayResponse({ meta: { sessionHeader: header, supplierOperatorSignature: EMPTY }, payload: frame, relayMinerError: undefined }, latest.privateKey);
    } catch {
      const error = proxyErrors.internal('signing the relay response failed');
      counters.reject(rejectionKey(error));
      await send(this.client, errorReplyBytes(error, latest.request), isBinary).catch(() => undefined);
      return;
    }
    try {
      await send(this.client, RelayResponse.marshal(response), isBinary);
    } catch {
      return; // the client is gone; its close event ends the bridge
    }
    counters.served++;
    this.latestResponse = response;
    await this.emit(latest.request, response, await options.meter.charge(latest.request), receivedAtHeight);
  }

  private async emit(request: BasicValidRelayRequest, response: RelayResponse, charged: MeterOutcome, receivedAtHeight: bigint): Promise<void> {
    const { options, buffer, counters } = this.deps;
    const header = request.meta.sessionHeader;
    if (charged === 'over_serviced') return this.drop('over_serviced', charged, request);
    if (!options.rewardable(header)) return this.drop('not_rewardable', charged, request);
    const served: ServedRelay = {
      request,
      response,
      sessionHeader: header,
      serviceId: header.serviceId,
      supplierOperatorAddress: request.meta.supplierOperatorAddress,
      receivedAtHeight,
    };
    if (options.servedBuffer.overflow === 'backpressure') {
      // Waiting here holds this bridge's next frames: its client slows down, others are unaffected.
      const reservation = await buffer.reserve(Date.now() + this.deps.requestTimeoutMs);
      if (reservation === undefined) return this.drop('buffer_full', charged, request);
      reservation.commit(served);
    } else if (!buffer.offer(served)) {
      return this.drop('buffer_full', charged, request);
    }
    counters.emitted++;
  }

  private drop(reason: DropReason, charged: MeterOutcome, request: RelayRequest): void {
    this.deps.counters.drop(reason);
    if (charged === 'ok') this.deps.options.meter.refund(request);
  }

  private close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.timer);
    for (const socket of [this.client, this.backend]) {
      socket.close(code, reason);
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    }
  }
}

function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function send(socket: WebSocket, data: Uint8Array, isBinary: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.readyState !== socket.OPEN) return reject(new Error('socket is not open'));
    socket.send(data, { binary: isBinary }, (error) => (error ? reject(error) : resolve()));
  });
}

function closedPromise(socket: WebSocket): Promise<void> {
  return socket.readyState === socket.CLOSED ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/** The backend's close code when it may be sent on (1005/1006/1015 only describe a local observation). */
function relayableCloseCode(code: number): number {
  if (code === 1005) return CLOSE_NORMAL;
  if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)) return code;
  return CLOSE_INTERNAL;
}
