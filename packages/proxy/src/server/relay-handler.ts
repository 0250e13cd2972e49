/**
 * One relay, start to end (protocol.md §11): decode and check the request, authenticate and meter it
 * before (eager, known session) or after (lazy) serving, forward it, sign and write the reply, then
 * decide whether it is rewardable and hand it to the served-relay buffer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { POKTHTTPRequest, POKTHTTPResponse, RelayRequest, RelayResponse, type SessionHeader } from '@relayminer/protocol';
import { RelayError, type MeterOutcome, type ServedRelay } from '../types.js';
import { buildBackendRequest, type PreparedBackend } from './backend-request.js';
import { forwardToBackend, type BackendAgents } from './forward.js';
import type { RelayServerOptions, RpcTypeName } from './options.js';
import { readBody } from './read-body.js';
import { sharedResponseSigner, signedResponse, type ResponseSigner } from './response-signer.js';
import { asRelayError, proxyErrors, rejectionKey } from './relay-errors.js';
import type { DropReason, RelayCounters } from './relay-stats.js';
import { errorReplyBytes, writeReply } from './reply.js';
import { parseRpcType, rpcTypeName, WEBSOCKET_RPC_TYPE } from './rpc-type.js';
import type { BufferReservation, ServedRelayBuffer } from './served-relay-buffer.js';
import { validateRelayRequestBasic, type BasicValidRelayRequest } from './validate-basic.js';

/** A service on this listen address, with its backends parsed once. */
export interface PreparedService {
  readonly serviceId: string;
  readonly backend: PreparedBackend;
  readonly rpcTypeBackends: Partial<Record<RpcTypeName, PreparedBackend>>;
  readonly requestTimeoutMs: number;
}

/** Shortest backend timeout Go leaves after subtracting the time spent preparing the request. */
const MIN_BACKEND_TIMEOUT_MS = 1000;

export class RelayHandler {
  private readonly signer: ResponseSigner = sharedResponseSigner();

  constructor(
    private readonly options: RelayServerOptions,
    private readonly services: ReadonlyMap<string, PreparedService>,
    private readonly maxBodyBytes: number,
    private readonly agents: BackendAgents,
    private readonly buffer: ServedRelayBuffer,
    private readonly counters: RelayCounters,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    void this.serve(req, res);
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    const { options } = this;
    let request: RelayRequest | undefined;
    let charged: MeterOutcome | undefined;
    let reservation: BufferReservation | undefined;
    // Assigned on the success path of the try below, which is the only way to reach their later uses.
    let validated!: BasicValidRelayRequest;
    let response!: RelayResponse;
    let status!: number;
    let eager!: boolean;
    let receivedAtHeight!: bigint;
    const persistFirst = options.replyAfterPersist === true;
    let requestBytes = 0;
    try {
      receivedAtHeight = options.currentHeight();
      const body = await readBody(req, this.maxBodyBytes);
      requestBytes = body.length;
      try {
        request = RelayRequest.unmarshal(body);
      } catch {
        throw proxyErrors.unmarshalRequest('body is not a RelayRequest');
      }
      validateRelayRequestBasic(request);
      validated = request;
      const { sessionHeader: header, supplierOperatorAddress: supplier } = validated.meta;
      const privateKey = options.keyRing.privateKeyOf(supplier);
      if (privateKey === undefined) throw proxyErrors.supplierNotReachable(`supplier ${supplier} is not served here`);
      const service = this.services.get(header.serviceId);
      if (service === undefined) throw proxyErrors.serviceNotHandled(`service ${header.serviceId} is not configured`);

      eager = options.eagerValidation || options.authenticator.isKnownSession(header.sessionId);
      if (eager) charged = await this.authenticateAndCharge(validated);

      const backend = this.pickBackend(service, req.headers['rpc-type']);
      const envelope = decodeEnvelope(validated.payload);
      let backendRequest;
      try {
        backendRequest = buildBackendRequest(backend, envelope, header, supplier);
      } catch (error) {
        throw error instanceof RelayError ? error : proxyErrors.internal('cannot build the backend request');
      }
      const deadline = arrivedAt + service.requestTimeoutMs;
      const backendResponse = await forwardToBackend(
        this.agents,
        backend,
        backendRequest,
        Math.max(MIN_BACKEND_TIMEOUT_MS, deadline - Date.now()),
        this.maxBodyBytes,
      );
      status = backendResponse.statusCode;
      const payload = POKTHTTPResponse.marshal(backendResponse);
      try {
        response = signedResponse(header, payload, await this.signer.sign(header, payload, supplier, privateKey));
      } catch {
        throw proxyErrors.internal('signing the relay response failed');
      }
      const replyBytes = RelayResponse.marshal(response);
      if (options.servedBuffer.overflow === 'backpressure') reservation = await this.buffer.reserve(deadline);
      if (persistFirst) {
        // The lazy checks run before the reply here, with the lazy outcome: a relay that fails them is
        // still answered (as it would have been), only not kept.
        const held = reservation;
        reservation = undefined;
        const kept = eager ? { charged } : await this.validateLate(validated, held);
        if (kept) {
          charged = kept.charged;
          await this.emitAndAwaitPersisted(this.servedOf(validated, response, receivedAtHeight), status, charged, held, deadline);
        }
      }
      writeReply(res, replyBytes);
      this.counters.served++;
      this.reportDone(arrivedAt, validated, undefined, requestBytes, replyBytes.length);
    } catch (error) {
      reservation?.release();
      if (charged === 'ok' && request !== undefined) options.meter.refund(request);
      const relayError = asRelayError(error);
      this.counters.reject(rejectionKey(relayError));
      req.resume();
      const errorBytes = errorReplyBytes(relayError, request);
      writeReply(res, errorBytes);
      this.reportDone(arrivedAt, request, rejectionKey(relayError), requestBytes, errorBytes.length);
      return;
    }
    if (persistFirst) return;

    // The client has its reply; what follows only decides whether the relay is mined.
    try {
      const kept = eager ? { charged } : await this.validateLate(validated, reservation);
      if (kept) this.emitServed(this.servedOf(validated, response, receivedAtHeight), status, kept.charged, reservation);
    } catch (error) {
      reservation?.release();
      options.onBackgroundError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Lazy validation of a relay served without it: authenticate, then charge. Undefined when it fails
   * (counted as `validation_failed`, the reservation given back): served, never mined.
   */
  private async validateLate(request: BasicValidRelayRequest, reservation: BufferReservation | undefined): Promise<{ charged: MeterOutcome } | undefined> {
    try {
      await this.options.authenticator.authenticate(request);
    } catch (error) {
      reservation?.release();
      this.counters.drop('validation_failed');
      this.options.onBackgroundError?.(asRelayError(error));
      return undefined;
    }
    // Over budget is not an error here (the relay is served either way); dropReason sees it as over-serviced.
    return { charged: await this.options.meter.charge(request) };
  }

  private reportDone(arrivedAt: number, request: RelayRequest | undefined, errorKey: string | undefined, requestBytes: number, responseBytes: number): void {
    const report = this.options.onRequestDone;
    if (!report) return;
    try {
      report({
        serviceId: request?.meta?.sessionHeader?.serviceId || undefined,
        supplierOperatorAddress: request?.meta?.supplierOperatorAddress || undefined,
        errorKey,
        durationMs: Date.now() - arrivedAt,
        requestBytes,
        responseBytes,
      });
    } catch {
      // Metrics must never break serving.
    }
  }

  private servedOf(request: BasicValidRelayRequest, response: RelayResponse, receivedAtHeight: bigint): ServedRelay {
    const header = request.meta.sessionHeader;
    return { request, response, sessionHeader: header, serviceId: header.serviceId, supplierOperatorAddress: request.meta.supplierOperatorAddress, receivedAtHeight };
  }

  /** Hands a served relay to the miner unless it is not rewardable or the buffer refuses it; false when dropped. */
  private emitServed(served: ServedRelay, status: number, charged: MeterOutcome | undefined, reservation: BufferReservation | undefined): boolean {
    const reason = this.dropReason(charged, status, served.sessionHeader);
    if (reason !== undefined) {
      this.dropServed(reason, charged, served.request, reservation);
      return false;
    }
    if (reservation) reservation.commit(served);
    else if (this.options.servedBuffer.overflow === 'backpressure' || !this.buffer.offer(served)) {
      this.dropServed('buffer_full', charged, served.request, undefined);
      return false;
    }
    this.counters.emitted++;
    return true;
  }

  /**
   * `replyAfterPersist`: the reply waits until the relay is stored (or known not to be kept). Past the
   * deadline the client gets its reply anyway; a relay that could not be stored becomes an error reply,
   * since it will never be paid for.
   */
  private async emitAndAwaitPersisted(
    served: ServedRelay,
    status: number,
    charged: MeterOutcome | undefined,
    reservation: BufferReservation | undefined,
    deadline: number,
  ): Promise<void> {
    let settle!: (error?: Error) => void;
    const persisted = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    if (!this.emitServed({ ...served, onSettled: settle }, status, charged, reservation)) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.counters.persistTimeouts++;
        resolve();
      }, Math.max(0, deadline - Date.now()));
    });
    try {
      await Promise.race([persisted, late]);
    } catch {
      throw proxyErrors.internal('the relay could not be stored for its claim');
    } finally {
      clearTimeout(timer);
    }
  }

  /** Verifies the request, then charges it; over budget is a rejection unless over-servicing is on. */
  private async authenticateAndCharge(request: BasicValidRelayRequest): Promise<MeterOutcome> {
    await this.options.authenticator.authenticate(request);
    const outcome = await this.options.meter.charge(request);
    if (outcome === 'over_serviced' && !this.options.overServicing) throw proxyErrors.rateLimited('application is over-serviced');
    return outcome;
  }

  private pickBackend(service: PreparedService, header: string | string[] | undefined): PreparedBackend {
    const rpcType = parseRpcType(header);
    if (rpcType === undefined) return service.backend;
    // The HTTP path does not bridge WebSockets: Go routes these to its WebSocket handler.
    if (rpcType === WEBSOCKET_RPC_TYPE) throw proxyErrors.serviceNotHandled('websocket relays are not served over plain HTTP');
    const name = rpcTypeName(rpcType);
    return (name && service.rpcTypeBackends[name]) || service.backend;
  }

  private dropReason(charged: MeterOutcome | undefined, status: number, header: SessionHeader): DropReason | undefined {
    if (charged === 'over_serviced') return 'over_serviced';
    if (status >= 500) return 'backend_error';
    if (!this.options.rewardable(header)) return 'not_rewardable';
    return undefined;
  }

  private dropServed(reason: DropReason, charged: MeterOutcome | undefined, request: RelayRequest, reservation: BufferReservation | undefined): void {
    reservation?.release();
    this.counters.drop(reason);
    if (charged === 'ok') this.options.meter.refund(request);
  }
}

function decodeEnvelope(payload: Uint8Array): POKTHTTPRequest {
  try {
    return POKTHTTPRequest.unmarshal(payload);
  } catch {
    // Go fails deserializing the payload after the relay passed its checks: an internal error.
    throw proxyErrors.internal('relay payload is not a POKTHTTPRequest');
  }
}
