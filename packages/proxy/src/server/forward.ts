/**
 * Sends a rebuilt request to its backend over pooled keep-alive connections and collects the answer as a
 * POKTHTTPResponse, mapping failures to the relay miner's errors: connection failure 5, timeout 10,
 * oversized body 12 (protocol.md §9, §11 steps 6–7).
 */
import http from 'node:http';
import https from 'node:https';
import type { POKTHTTPResponse } from '@relayminer/protocol';
import type { BackendRequest, PreparedBackend } from './backend-request.js';
import { canonicalHeaderKey } from './go-url.js';
import { proxyErrors } from './relay-errors.js';
import type { RelayError } from '../types.js';

export interface BackendAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
  destroy(): void;
}

export function createBackendAgents(): BackendAgents {
  // Relays are many small requests to few hosts: reuse sockets, and keep enough idle ones for bursts.
  const options = { keepAlive: true, maxSockets: 1024, maxFreeSockets: 256, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return { ...agents, destroy: () => (agents.http.destroy(), agents.https.destroy()) };
}

/** Response headers Go's client does not surface in `Response.Header`. */
const HIDDEN_RESPONSE_HEADERS = new Set(['transfer-encoding']);

export function forwardToBackend(
  agents: BackendAgents,
  backend: PreparedBackend,
  request: BackendRequest,
  timeoutMs: number,
  maxBodyBytes: number,
): Promise<POKTHTTPResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: RelayError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    };
    const transport = backend.protocol === 'https:' ? https : http;
    const headers: Record<string, string | string[]> = { Host: backend.host, 'Content-Length': String(request.body.length) };
    for (const name in request.headers) headers[name] = request.headers[name]!;
    let outgoing: http.ClientRequest;
    try {
      outgoing = transport.request({
        agent: backend.protocol === 'https:' ? agents.https : agents.http,
        protocol: backend.protocol,
        hostname: backend.hostname,
        port: backend.port,
        method: request.method,
        path: request.path,
        headers,
      });
    } catch {
      // Invalid method, header name or value: Go's client refuses them too before sending anything.
      reject(proxyErrors.internal('cannot build the backend request'));
      return;
    }
    const timer = setTimeout(() => fail(proxyErrors.timedOut(`backend did not answer within ${timeoutMs} ms`)), timeoutMs);
    outgoing.on('error', () => fail(proxyErrors.internal('backend request failed')));
    outgoing.on('response', (incoming) => {
      if (Number(incoming.headers['content-length']) > maxBodyBytes) {
        fail(proxyErrors.responseLimit(`backend response body exceeds ${maxBodyBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          fail(proxyErrors.responseLimit(`backend response body exceeds ${maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('error', () => fail(proxyErrors.internal('backend response failed')));
      incoming.on('aborted', () => fail(proxyErrors.internal('backend response aborted')));
      incoming.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          statusCode: incoming.statusCode ?? 0,
          header: responseHeaders(incoming.rawHeaders),
          bodyBz: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        });
      });
    });
    outgoing.end(request.body.length > 0 ? request.body : undefined);
  });
}

function responseHeaders(raw: string[]): POKTHTTPResponse['header'] {
  const header: POKTHTTPResponse['header'] = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (HIDDEN_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    const key = canonicalHeaderKey(name);
    const entry = header[key];
    if (entry) entry.values.push(raw[i + 1]!);
    else header[key] = { key, values: [raw[i + 1]!] };
  }
  return header;
}
