/**
 * Test doubles for the relay server's seams (key ring, authenticator, meter), real HTTP backends on
 * 127.0.0.1, and a client that sends relay requests over a real socket and decodes the reply.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  POKTHTTPRequest,
  POKTHTTPResponse,
  RelayRequest,
  RelayResponse,
  addressFromPrivateKey,
  goStringToBytes,
  publicKeyFromPrivateKey,
  verifyRelayResponseSignature,
  type SessionHeader,
} from '@relayminer/protocol';
import { firstValueFrom, take, toArray, timeout, type Observable } from 'rxjs';
import { afterEach } from 'vitest';
import { RelayError, type MeterOutcome, type RelayAuthenticator, type RelayMeter, type ServedRelay, type SupplierKeyRing } from '../src/types.js';
import { startRelayServers, type RelayServerOptions, type RelayServers, type ServiceOptions } from '../src/server/index.js';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

export const APP_KEY = key(0x11);
export const SUPPLIER_KEY = key(0x22);
export const APP = addressFromPrivateKey(APP_KEY);
export const SUPPLIER = addressFromPrivateKey(SUPPLIER_KEY);
export const SUPPLIER_PUBLIC_KEY = publicKeyFromPrivateKey(SUPPLIER_KEY);
/** A supplier this process has no key for. */
export const STRANGER = addressFromPrivateKey(key(0x55));

export function sessionHeader(serviceId = 'svc1', sessionId = 'a'.repeat(64)): SessionHeader {
  return { applicationAddress: APP, serviceId, sessionId, sessionStartBlockHeight: 1n, sessionEndBlockHeight: 4n };
}

export class StaticKeyRing implements SupplierKeyRing {
  private readonly keys = new Map<string, Uint8Array>();
  constructor(keys: Uint8Array[]) {
    for (const k of keys) this.keys.set(addressFromPrivateKey(k), k);
  }
  get operatorAddresses(): string[] {
    return [...this.keys.keys()];
  }
  privateKeyOf(address: string): Uint8Array | undefined {
    return this.keys.get(address);
  }
}

/** Accepts every request unless `reject` says why not; remembers sessions it accepted. */
export class FakeAuthenticator implements RelayAuthenticator {
  readonly known = new Set<string>();
  calls = 0;
  reject: (request: RelayRequest) => RelayError | undefined = () => undefined;
  async authenticate(request: RelayRequest) {
    this.calls++;
    const problem = this.reject(request);
    if (problem) throw problem;
    this.known.add(request.meta!.sessionHeader!.sessionId);
    return { session: {} as never, queryHeight: 1n };
  }
  isKnownSession(sessionId: string): boolean {
    return this.known.has(sessionId);
  }
}

/** Allows `budget` relays per session; counts charges and refunds. */
export class CountingMeter implements RelayMeter {
  charges = 0;
  refunds = 0;
  private readonly used = new Map<string, number>();
  constructor(public budget = Number.POSITIVE_INFINITY) {}
  async charge(request: RelayRequest): Promise<MeterOutcome> {
    this.charges++;
    const id = request.meta!.sessionHeader!.sessionId;
    const used = this.used.get(id) ?? 0;
    if (used >= this.budget) return 'over_serviced';
    this.used.set(id, used + 1);
    return 'ok';
  }
  refund(request: RelayRequest): void {
    this.refunds++;
    const id = request.meta!.sessionHeader!.sessionId;
    this.used.set(id, (this.used.get(id) ?? 1) - 1);
  }
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export interface Backend {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type BackendReply = (seen: SeenRequest, res: http.ServerResponse) => void;

/** A real HTTP backend on 127.0.0.1 that records what it received; by default echoes JSON about it. */
export async function startBackend(reply?: BackendReply, name = 'backend'): Promise<Backend> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
      seen.push(request);
      if (reply) return reply(request, res);
      const body = JSON.stringify({ backend: name, method: request.method, url: request.url, body: request.body.toString() });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Backend': name });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface RelayOptions {
  header?: SessionHeader;
  supplier?: string;
  method?: string;
  url?: string;
  headers?: Record<string, string[]>;
  body?: string | Uint8Array;
  signature?: Uint8Array;
}

/** A serialized RelayRequest; the fake authenticator does not check the ring signature's bytes. */
export function relayRequestBytes(o: RelayOptions = {}): Uint8Array {
  const envelope = POKTHTTPRequest.marshal({
    method: o.method ?? 'POST',
    header: Object.fromEntries(Object.entries(o.headers ?? { 'Content-Type': ['application/json'] }).map(([k, values]) => [k, { key: k, values }])),
    url: o.url ?? 'http://gateway.example/',
    bodyBz: typeof o.body === 'string' ? new TextEncoder().encode(o.body) : (o.body ?? new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}')),
  });
  return RelayRequest.marshal({
    meta: { sessionHeader: o.header ?? sessionHeader(), signature: o.signature ?? new Uint8Array([1, 2, 3, 4, 5]), supplierOperatorAddress: o.supplier ?? SUPPLIER },
    payload: envelope,
  });
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** POSTs bytes over a fresh socket and reads the whole reply. */
export function post(url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'Content-Length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A reply that must be a correctly signed relay response: its decoded backend answer. */
export function expectSigned(reply: RawReply): { response: RelayResponse; http: POKTHTTPResponse; json: any } {
  if (reply.status !== 200) throw new Error(`HTTP status ${reply.status}`);
  if (reply.headers.connection !== 'close') throw new Error('missing Connection: close');
  if (Number(reply.headers['content-length']) !== reply.body.length) throw new Error('wrong Content-Length');
  const response = RelayResponse.unmarshal(reply.body);
  if (response.relayMinerError) throw new Error(`error reply: ${response.relayMinerError.message}`);
  if (!verifyRelayResponseSignature(response, SUPPLIER_PUBLIC_KEY)) throw new Error('bad supplier signature');
  const httpResponse = POKTHTTPResponse.unmarshal(response.payload);
  let json: any;
  try {
    json = JSON.parse(Buffer.from(httpResponse.bodyBz).toString());
  } catch {
    json = undefined;
  }
  return { response, http: httpResponse, json };
}

/** A reply that must be a well-formed error reply (§9): its relay_miner_error. */
export function expectError(reply: RawReply): { codespace: string; code: number; description: string; message: string; response: RelayResponse } {
  if (reply.status !== 200) throw new Error(`HTTP status ${reply.status}`);
  if (reply.headers.connection !== 'close') throw new Error('missing Connection: close');
  if (Number(reply.headers['content-length']) !== reply.body.length) throw new Error('wrong Content-Length');
  const response = RelayResponse.unmarshal(reply.body);
  const error = response.relayMinerError;
  if (!error) throw new Error('not an error reply');
  if (response.payloadHash !== undefined) throw new Error('error reply has a payload hash');
  if ((response.meta?.supplierOperatorSignature.length ?? 0) !== 0) throw new Error('error reply is signed');
  if (!Buffer.from(response.payload).equals(Buffer.from(goStringToBytes(error.message)))) throw new Error('payload is not the error text');
  if (RelayResponse.marshal(response).length !== reply.body.length) throw new Error('not canonical');
  return { ...error, response };
}

export interface Harness {
  servers: RelayServers;
  auth: FakeAuthenticator;
  meter: CountingMeter;
  served: ServedRelay[];
  url: string;
  close(): Promise<void>;
}

/** Options with a fake for every seam (eager validation, a 1000-relay dropping buffer); `extra` overrides. */
export function fakeServerOptions(
  services: ServiceOptions[],
  extra: Partial<RelayServerOptions> = {},
  doubles: { auth?: RelayAuthenticator; meter?: RelayMeter } = {},
): RelayServerOptions {
  return {
    suppliers: services,
    keyRing: new StaticKeyRing([SUPPLIER_KEY]),
    authenticator: doubles.auth ?? new FakeAuthenticator(),
    meter: doubles.meter ?? new CountingMeter(),
    eagerValidation: true,
    overServicing: false,
    currentHeight: () => 2n,
    rewardable: () => true,
    servedBuffer: { size: 1000, overflow: 'drop' },
    ...extra,
  };
}

/** Starts relay servers with fakes and collects every served relay. */
export async function startHarness(
  services: ServiceOptions[],
  extra: Partial<RelayServerOptions> = {},
  doubles: { auth?: FakeAuthenticator; meter?: CountingMeter } = {},
): Promise<Harness> {
  const auth = doubles.auth ?? new FakeAuthenticator();
  const meter = doubles.meter ?? new CountingMeter();
  const servers = await startRelayServers(fakeServerOptions(services, extra, { auth, meter }));
  const served: ServedRelay[] = [];
  const sub = servers.servedRelays().subscribe((r) => served.push(r));
  return {
    servers,
    auth,
    meter,
    served,
    url: servers.servers[0]!.url,
    async close() {
      sub.unsubscribe();
      await servers.close();
    },
  };
}

/**
 * Backends and harnesses that are closed after every test of the calling file (call it once at the
 * file's top level); `track` adds any other resource to close.
 */
export function closedAfterEach(): {
  backend: typeof startBackend;
  harness: typeof startHarness;
  /** Relay servers with fakes and no subscriber, so relays stay in the served-relay buffer. */
  relayServers: (...args: Parameters<typeof fakeServerOptions>) => Promise<RelayServers>;
  track(close: () => Promise<void>): void;
} {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanup.map((close) => close()));
    cleanup = [];
  });
  const track = (close: () => Promise<void>): void => {
    cleanup.push(close);
  };
  return {
    backend: async (...args) => {
      const b = await startBackend(...args);
      track(b.close);
      return b;
    },
    harness: async (...args) => {
      const h = await startHarness(...args);
      track(h.close);
      return h;
    },
    relayServers: async (...args) => {
      const servers = await startRelayServers(fakeServerOptions(...args));
      track(() => servers.close());
      return servers;
    },
    track,
  };
}

export function service(serviceId: string, backendUrl: string, extra: Partial<ServiceOptions> = {}): ServiceOptions {
  return { serviceId, listenUrl: 'http://127.0.0.1:0', backend: { url: backendUrl }, requestTimeoutMs: 5000, maxBodyBytes: 1 << 20, ...extra };
}

/** Lets scheduled drains and post-reply work run. */
export const settle = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function nextServed(relays: Observable<ServedRelay>, count = 1, ms = 2000): Promise<ServedRelay[]> {
  return firstValueFrom(relays.pipe(take(count), toArray(), timeout(ms)));
}

export { RelayError };
