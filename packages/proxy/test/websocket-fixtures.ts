/**
 * WebSocket relays over real sockets: an echo-like ws backend on 127.0.0.1, a gateway-like client
 * that opens a bridge and reads its frames, ring-signed request frames, and the refusal a handshake
 * gets (an HTTP error reply instead of an upgrade).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import {
  RelayRequest,
  RelayResponse,
  RingSigner,
  pocket,
  publicKeyFromPrivateKey,
  relayRequestSignableHash,
  type SessionHeader,
} from '@relayminer/protocol';
import { SUPPLIER, sessionHeader, type RawReply } from './server-fixtures.js';
import type { SessionResolver } from '../src/server/options.js';

export interface Frame {
  data: Buffer;
  isBinary: boolean;
}

/** Collects a socket's frames and its close, so tests can await them in order. */
export class FrameReader {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  private read = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      this.frames.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary });
      this.wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => (resolve({ code, reason: reason.toString() }), this.wake())));
  }

  /** The next frame not yet returned; rejects after `ms` or when the socket closed first. */
  async next(ms = 2000): Promise<Frame> {
    const deadline = Date.now() + ms;
    while (this.read >= this.frames.length) {
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('socket closed before the next frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return this.frames[this.read++]!;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

export interface WsBackend {
  url: string;
  /** Every frame the backend received, across connections. */
  received: Frame[];
  /** Handshake headers of each connection. */
  handshakes: http.IncomingHttpHeaders[];
  /** Sends a frame to every open connection (a subscription event). */
  push(data: string | Buffer, isBinary?: boolean): void;
  connections(): number;
  close(): Promise<void>;
}

/** A ws backend answering each frame with `echo:` + the frame, in the same frame type. */
export async function startWsBackend(): Promise<WsBackend> {
  const received: Frame[] = [];
  const handshakes: http.IncomingHttpHeaders[] = [];
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, skipUTF8Validation: true });
  server.on('connection', (socket, req) => {
    handshakes.push(req.headers);
    socket.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      received.push({ data: bytes, isBinary });
      socket.send(Buffer.concat([Buffer.from('echo:'), bytes]), { binary: isBinary });
    });
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    handshakes,
    push: (data, isBinary = false) => {
      for (const socket of server.clients) socket.send(data, { binary: isBinary });
    },
    connections: () => [...server.clients].filter((s) => s.readyState === WebSocket.OPEN).length,
    close: () =>
      new Promise((resolve) => {
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      }),
  };
}

/** The handshake headers a gateway sends to open a bridge. */
export function bridgeHeaders(serviceId = 'svc1', app = sessionHeader().applicationAddress): Record<string, string> {
  return { 'Rpc-Type': '2', 'Target-Service-Id': serviceId, 'App-Address': app };
}

/** The refusal of a handshake: the server answered with an HTTP reply instead of upgrading. */
export class HandshakeRefused extends Error {
  constructor(readonly reply: RawReply) {
    super(`handshake refused with HTTP ${reply.status}`);
  }
}

/** Opens a bridge; rejects with HandshakeRefused (carrying the reply) when the server does not upgrade. */
export function openBridge(httpUrl: string, headers: Record<string, string> = bridgeHeaders()): Promise<FrameReader> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), { headers, skipUTF8Validation: true });
    const reader = new FrameReader(socket);
    socket.once('open', () => resolve(reader));
    socket.once('error', reject);
    socket.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        reject(new HandshakeRefused({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        req.destroy();
      });
    });
  });
}

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
/** The app's ring for these tests: a gateway key and the app key, as a delegating app has. */
export const GATEWAY_KEY = key(0x33);
const RING = [publicKeyFromPrivateKey(GATEWAY_KEY), publicKeyFromPrivateKey(key(0x11))];

/** A ring-signed RelayRequest frame carrying `payload` raw. */
export function requestFrame(payload: string | Uint8Array, o: { header?: SessionHeader; supplier?: string } = {}): Buffer {
  const unsigned: RelayRequest = {
    meta: { sessionHeader: o.header ?? sessionHeader(), signature: new Uint8Array(0), supplierOperatorAddress: o.supplier ?? SUPPLIER },
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
  };
  const signature = new RingSigner(GATEWAY_KEY).sign(relayRequestSignableHash(unsigned), RING);
  return Buffer.from(RelayRequest.marshal({ ...unsigned, meta: { ...unsigned.meta!, signature } }));
}

export function send(reader: FrameReader, data: Uint8Array, isBinary = true): void {
  reader.socket.send(data, { binary: isBinary });
}

export const decodeResponse = (frame: Frame): RelayResponse => RelayResponse.unmarshal(frame.data);

/** Resolves every (app, service) to the fixtures' session, with our supplier in it; counts lookups. */
export class FakeSessionResolver implements SessionResolver {
  calls: Array<{ app: string; serviceId: string; height: bigint }> = [];
  fail = false;
  async getSession(app: string, serviceId: string, height: bigint): Promise<pocket.session.Session> {
    this.calls.push({ app, serviceId, height });
    if (this.fail) throw new Error('node http://10.0.0.7:26657 unreachable');
    const header = sessionHeader(serviceId);
    return pocket.session.Session.fromPartial({ header, sessionId: header.sessionId, suppliers: [{ operatorAddress: SUPPLIER }] });
  }
}
