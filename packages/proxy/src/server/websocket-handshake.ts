/**
 * The WebSocket handshake of a listen address (protocol.md §11, Go's proxy/async.go): from the
 * `Rpc-Type: 2`, `Target-Service-Id` and `App-Address` headers, resolve the session at the current
 * height, connect the service's `websocket` backend, then upgrade the client and bridge the two.
 *
 * A refused handshake is answered like an HTTP relay error (§9: HTTP 200, Connection: close, an
 * unsigned RelayResponse whose header only names service `unknown_service_id`), so a gateway reads
 * the same error shape on both paths. Unlike Go, the backend is connected before the client is
 * upgraded: an unreachable backend is then a readable refusal instead of a socket closed right after
 * the upgrade.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { SessionHeader, type RelayRequest, type pocket } from '@relayminer/protocol';
import type { RelayError } from '../types.js';
import type { RelayServerOptions } from './options.js';
import type { PreparedService } from './relay-handler.js';
import { asRelayError, proxyErrors, rejectionKey } from './relay-errors.js';
import type { RelayCounters } from './relay-stats.js';
import { errorReplyBytes } from './reply.js';
import { parseRpcType, WEBSOCKET_RPC_TYPE } from './rpc-type.js';
import type { ServedRelayBuffer } from './served-relay-buffer.js';
import { dialWebSocketBackend } from './websocket-backend.js';
import { WebSocketBridge } from './websocket-bridge.js';

/** What §9 puts in the error reply of a handshake: no request was decoded, only this service id. */
const HANDSHAKE_REQUEST: RelayRequest = {
  meta: { sessionHeader: SessionHeader.fromPartial({ serviceId: 'unknown_service_id' }), signature: new Uint8Array(0), supplierOperatorAddress: '' },
  payload: new Uint8Array(0),
};

export class WebSocketAcceptor {
  private readonly upgrader: WebSocketServer;
  private readonly bridges = new Set<WebSocketBridge>();
  private closing = false;

  constructor(
    private readonly options: RelayServerOptions,
    private readonly services: ReadonlyMap<string, PreparedService>,
    private readonly maxBodyBytes: number,
    private readonly buffer: ServedRelayBuffer,
    private readonly counters: RelayCounters,
  ) {
    // Frames are relayed as raw bytes, as Go's gorilla does: a text frame need not be UTF-8.
    this.upgrader = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes, skipUTF8Validation: true, perMessageDeflate: false });
  }

  /** The node:http server's `upgrade` listener. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A client resetting mid-handshake must not crash the process; the socket is dropped either way.
    socket.on('error', () => socket.destroy());
    void this.accept(req, socket, head);
  };

  /** Refuses new handshakes and closes every open bridge (close code 1001). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.bridges].map((bridge) => bridge.shutdown()));
    this.upgrader.close();
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let bridgeInput;
    try {
      bridgeInput = await this.prepare(req);
    } catch (error) {
      this.refuse(socket, asRelayError(error));
      return;
    }
    const { header, backend, service } = bridgeInput;
    if (socket.destroyed || this.closing) {
      backend.terminate();
      if (!socket.destroyed) this.refuse(socket, proxyErrors.internal('relay server is closing'));
      return;
    }
    let bridged = false;
    this.upgrader.handleUpgrade(req, socket, head, (client) => {
      bridged = true;
      const bridge = new WebSocketBridge(
        { options: this.options, buffer: this.buffer, counters: this.counters, requestTimeoutMs: service.requestTimeoutMs },
        header,
        client,
        backend,
      );
      this.bridges.add(bridge);
      void bridge.closed.then(() => this.bridges.delete(bridge));
    });
    // ws answers a malformed upgrade (or a socket gone meanwhile) itself, synchronously, without a client.
    if (!bridged) backend.terminate();
  }

  private async prepare(req: IncomingMessage) {
    if (this.closing) throw proxyErrors.internal('relay server is closing');
    // Go sends only `Rpc-Type: 2` down this path; any other upgrade is not a relay it serves.
    if (parseRpcType(req.headers['rpc-type']) !== WEBSOCKET_RPC_TYPE) throw proxyErrors.serviceNotHandled('websocket upgrades need Rpc-Type 2');
    const serviceId = firstHeader(req, 'target-service-id');
    const appAddress = firstHeader(req, 'app-address');
    const service = this.services.get(serviceId);
    if (service === undefined) throw proxyErrors.serviceNotHandled(`service ${serviceId} is not configured`);
    const target = service.rpcTypeBackends.websocket;
    if (target === undefined) throw proxyErrors.serviceNotHandled(`service ${serviceId} has no websocket backend`);
    const resolver = this.options.sessionResolver;
    if (resolver === undefined) throw proxyErrors.serviceNotHandled('websocket relays are not enabled');

    let session: pocket.session.Session;
    try {
      session = await resolver.getSession(appAddress, serviceId, this.options.currentHeight());
    } catch {
      // The query's own text may carry node URLs; the client learns only what failed.
      throw proxyErrors.internal('error getting session');
    }
    const header = session.header;
    if (header === undefined) throw proxyErrors.internal('error getting session');
    const backend = await dialWebSocketBackend(target, {
      header,
      supplier: this.ourSupplierIn(session),
      timeoutMs: service.requestTimeoutMs,
      maxFrameBytes: this.maxBodyBytes,
    });
    return { header, backend, service };
  }

  /** Our first operator in the session, named to the backend before any request picked one. */
  private ourSupplierIn(session: pocket.session.Session): string {
    const ours = this.options.keyRing.operatorAddresses;
    return session.suppliers.find((s) => ours.includes(s.operatorAddress))?.operatorAddress ?? ours[0] ?? '';
  }

  private refuse(socket: Duplex, error: RelayError): void {
    this.counters.reject(rejectionKey(error));
    if (socket.destroyed) return;
    const body = errorReplyBytes(error, HANDSHAKE_REQUEST);
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
  }
}

function firstHeader(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
