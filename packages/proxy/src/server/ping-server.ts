/**
 * The `ping` endpoint (protocol.md §8): every request HEADs each backend with a 2 s timeout and answers
 * 204 when all answered below 500, 504 when one timed out, 502 otherwise.
 */
import http from 'node:http';
import https from 'node:https';
import { listenOn } from './listen.js';
import type { BackendAgents } from './forward.js';

const PING_TIMEOUT_MS = 2000;

export interface PingServer {
  readonly url: string;
  close(): Promise<void>;
}

type PingOutcome = 'ok' | 'timeout' | 'failed';

export async function startPingServer(addr: string, backendUrls: readonly string[], agents: BackendAgents): Promise<PingServer> {
  const server = http.createServer((req, res) => {
    req.resume();
    void Promise.all(backendUrls.map((url) => headBackend(url, agents))).then((outcomes) => {
      const status = outcomes.every((o) => o === 'ok') ? 204 : outcomes.includes('timeout') ? 504 : 502;
      res.writeHead(status, { 'Content-Length': 0 });
      res.end();
    });
  });
  const { hostname, port } = parseAddr(addr);
  const url = await listenOn(server, hostname, port);
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `host:port` or `:port` as in the YAML. */
function parseAddr(addr: string): { hostname: string | undefined; port: number } {
  const i = addr.lastIndexOf(':');
  const host = i <= 0 ? '' : addr.slice(0, i).replace(/^\[|\]$/g, '');
  return { hostname: host === '' ? undefined : host, port: Number(addr.slice(i + 1)) };
}

function headBackend(backendUrl: string, agents: BackendAgents): Promise<PingOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(backendUrl.replace(/^ws/, 'http'));
    } catch {
      resolve('failed');
      return;
    }
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).request(url, { method: 'HEAD', agent: secure ? agents.https : agents.http });
    const timer = setTimeout(() => {
      resolve('timeout');
      req.destroy();
    }, PING_TIMEOUT_MS);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve((res.statusCode ?? 599) < 500 ? 'ok' : 'failed');
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve('failed');
    });
    req.end();
  });
}
