/**
 * The operations endpoint on `metrics.addr`: like the Go relay miner, every path serves the
 * Prometheus metrics, except `/healthz` (the process is up: 200) and `/readyz` (200 when ready, 503
 * with the reasons otherwise, as JSON).
 */
import http from 'node:http';
import { listenOn } from '@relayminer/proxy';
import type { ReadinessReport } from '../health/readiness.js';
import type { RelayMinerMetrics } from './relay-miner-metrics.js';

export interface OpsServer {
  /** `http://host:port` as bound (port 0 resolved). */
  readonly url: string;
  close(): Promise<void>;
}

export interface OpsServerOptions {
  /** `host:port` or `:port` (all interfaces), as `metrics.addr` in the YAML. */
  readonly addr: string;
  readonly metrics: RelayMinerMetrics;
  readonly readiness: () => ReadinessReport;
  /** Told about a failed scrape; the scraper gets a 500. */
  readonly onError?: (error: Error) => void;
}

export class OpsAddressError extends Error {
  readonly code = 'invalid_address';
  constructor(readonly key: string, reason: string) {
    super(`${key}: ${reason}`);
    this.name = 'OpsAddressError';
  }
}

export function parseListenAddr(addr: string, key = 'metrics.addr'): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr.trim());
  if (!m) throw new OpsAddressError(key, 'must be host:port or :port');
  const port = Number(m[3]);
  if (port > 65535) throw new OpsAddressError(key, 'port must be at most 65535');
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { host, port } = parseListenAddr(options.addr);
  const server = http.createServer((req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz') {
      const report = options.readiness();
      return send(res, report.ready ? 200 : 503, 'application/json', JSON.stringify(report));
    }
    options.metrics.render().then(
      (body) => send(res, 200, options.metrics.contentType, body),
      (error: unknown) => {
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
        send(res, 500, 'text/plain', 'metrics collection failed\n');
      },
    );
  });
  const url = await listenOn(server, host, port);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
