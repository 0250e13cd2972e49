/**
 * Starts the relay servers: one node:http server per listen address, each routing by the request's
 * service id among the services configured on that address, all feeding one served-relay buffer.
 */
import http from 'node:http';
import { listenOn } from './listen.js';
import type { Observable } from 'rxjs';
import type { ServedRelay } from '../types.js';
import { prepareBackend, type PreparedBackend } from './backend-request.js';
import { createBackendAgents } from './forward.js';
import type { RelayServerOptions, RpcTypeName, ServiceOptions } from './options.js';
import { startPingServer, type PingServer } from './ping-server.js';
import { RelayHandler, type PreparedService } from './relay-handler.js';
import { RelayCounters, type RelayServerStats } from './relay-stats.js';
import { ServedRelayBuffer } from './served-relay-buffer.js';
import { WebSocketAcceptor } from './websocket-handshake.js';

/** The fixed read timeout of Go's relay HTTP server, independent of the backend timeouts. */
const SERVER_READ_TIMEOUT_MS = 10_000;

export interface ListeningRelayServer {
  /** The configured listen URL. */
  readonly listenUrl: string;
  /** The URL clients reach it at (with the port actually bound). */
  readonly url: string;
  readonly serviceIds: readonly string[];
}

export interface RelayServers {
  readonly servers: readonly ListeningRelayServer[];
  /** The URL serving a service id, or undefined when none is configured for it. */
  urlOf(serviceId: string): string | undefined;
  /** The ping endpoint's URL when enabled. */
  readonly pingUrl: string | undefined;
  /** Relays that were served and are rewardable, in the order they were accepted for mining. */
  servedRelays(): Observable<ServedRelay>;
  stats(): RelayServerStats;
  /** Stops accepting connections, waits for open ones to finish, then completes `servedRelays()`. */
  close(): Promise<void>;
}

export class RelayServerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayServerConfigError';
  }
}

export async function startRelayServers(options: RelayServerOptions): Promise<RelayServers> {
  const byListenUrl = groupByListenUrl(options.suppliers);
  const agents = createBackendAgents();
  const buffer = new ServedRelayBuffer(options.servedBuffer.size, options.servedBuffer.overflow);
  const counters = new RelayCounters();
  const started: Array<{ info: ListeningRelayServer; server: http.Server; websockets: WebSocketAcceptor }> = [];
  let ping: PingServer | undefined;
  try {
    for (const [listenUrl, services] of byListenUrl) {
      const prepared = new Map<string, PreparedService>(services.map((s) => [s.serviceId, prepareService(s)]));
      const handler = new RelayHandler(options, prepared, services[0]!.maxBodyBytes, agents, buffer, counters);
      const server = http.createServer({ requestTimeout: SERVER_READ_TIMEOUT_MS, headersTimeout: SERVER_READ_TIMEOUT_MS }, handler.handle);
      const websockets = new WebSocketAcceptor(options, prepared, services[0]!.maxBodyBytes, buffer, counters);
      server.on('upgrade', websockets.handleUpgrade);
      const { hostname, port } = listenAddress(listenUrl);
      const url = await listenOn(server, hostname, port);
      started.push({ info: { listenUrl, url, serviceIds: services.map((s) => s.serviceId) }, server, websockets });
    }
    if (options.ping?.enabled) ping = await startPingServer(options.ping.addr, allBackends(options.suppliers), agents);
  } catch (error) {
    await Promise.all(started.map(({ server }) => closeServer(server)));
    agents.destroy();
    throw error;
  }

  const urlByService = new Map(started.flatMap(({ info }) => info.serviceIds.map((id) => [id, info.url] as const)));
  return {
    servers: started.map((s) => s.info),
    urlOf: (serviceId) => urlByService.get(serviceId),
    pingUrl: ping?.url,
    servedRelays: () => buffer.relays,
    stats: () => counters.snapshot(),
    async close() {
      // Bridges first: their upgraded sockets would otherwise keep server.close() waiting.
      await Promise.all([...started.map(({ server, websockets }) => websockets.close().then(() => closeServer(server))), ping?.close()]);
      agents.destroy();
      buffer.close();
    },
  };
}

function groupByListenUrl(suppliers: readonly ServiceOptions[]): Map<string, ServiceOptions[]> {
  if (suppliers.length === 0) throw new RelayServerConfigError('at least one supplier service is required');
  const groups = new Map<string, ServiceOptions[]>();
  const seen = new Set<string>();
  for (const service of suppliers) {
    if (seen.has(service.serviceId)) throw new RelayServerConfigError(`service ${service.serviceId} is configured twice`);
    seen.add(service.serviceId);
    const group = groups.get(service.listenUrl);
    if (group) group.push(service);
    else groups.set(service.listenUrl, [service]);
  }
  return groups;
}

function prepareService(service: ServiceOptions): PreparedService {
  const rpcTypeBackends: Partial<Record<RpcTypeName, PreparedBackend>> = {};
  for (const [name, backend] of Object.entries(service.rpcTypeBackends ?? {})) {
    if (backend) rpcTypeBackends[name.toLowerCase() as RpcTypeName] = prepareBackend(backend);
  }
  return { serviceId: service.serviceId, backend: prepareBackend(service.backend), rpcTypeBackends, requestTimeoutMs: service.requestTimeoutMs };
}

function listenAddress(listenUrl: string): { hostname: string; port: number } {
  let url: URL;
  try {
    url = new URL(listenUrl);
  } catch {
    throw new RelayServerConfigError(`listen url ${listenUrl} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'ws:') throw new RelayServerConfigError(`listen url ${listenUrl} must use http or ws`);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 80 : Number(url.port) };
}

function allBackends(suppliers: readonly ServiceOptions[]): string[] {
  const urls = new Set<string>();
  for (const s of suppliers) {
    urls.add(s.backend.url);
    for (const b of Object.values(s.rpcTypeBackends ?? {})) if (b) urls.add(b.url);
  }
  return [...urls];
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Replies close their connections anyway; idle ones would only delay shutdown.
    server.closeIdleConnections();
  });
}
