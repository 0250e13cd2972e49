/**
 * Rebuilds the client's HTTP request for the backend from the relay's POKTHTTPRequest envelope
 * (protocol.md §11 step 5): backend scheme and host, joined path, merged sorted query, headers in Go's
 * order (Pocket-*, client headers, basic auth, configured headers overriding), method and body.
 */
import type { POKTHTTPRequest, SessionHeader } from '@relayminer/protocol';
import { canonicalHeaderKey, goEncodeQuery, goParseQuery, goPathJoin } from './go-url.js';
import type { BackendOptions } from './options.js';
import { proxyErrors } from './relay-errors.js';

/** A backend with its URL parsed once at startup, so the hot path only merges strings. */
export interface PreparedBackend {
  readonly options: BackendOptions;
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: string;
  /** `host[:port]` as sent in the Host header. */
  readonly host: string;
  readonly path: string;
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly authorization?: string;
  readonly fixedHeaders: readonly (readonly [string, string])[];
}

export function prepareBackend(options: BackendOptions): PreparedBackend {
  const url = new URL(options.url);
  // ws/wss backends are reached over the same transport for plain HTTP relays.
  const protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'https:' : 'http:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new Error(`backend url scheme ${url.protocol} is not supported`);
  const auth = options.basicAuth;
  return {
    options,
    protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    host: url.host,
    // "" and "/" join identically (goPathJoin), so WHATWG's "/" for a bare host needs no special case.
    path: decodeURIComponent(url.pathname),
    query: goParseQuery(url.search.slice(1)),
    authorization: auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined,
    fixedHeaders: Object.entries(options.headers ?? {}).map(([k, v]) => [canonicalHeaderKey(k), v] as const),
  };
}

export interface BackendRequest {
  readonly method: string;
  /** Path and query, as on the request line. */
  readonly path: string;
  /** Header name → values, names in Go's canonical form. */
  readonly headers: Record<string, string[]>;
  readonly body: Uint8Array;
}

/** Headers Go's transport writes itself (or that would break our pooled connections), never copied from the client. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'trailer', 'connection', 'keep-alive', 'upgrade']);

export function buildBackendRequest(backend: PreparedBackend, envelope: POKTHTTPRequest, header: SessionHeader, supplier: string): BackendRequest {
  const clientUrl = parseClientUrl(envelope.url);
  const path = goPathJoin(backend.path, clientUrl.path) || '/';
  const query = goParseQuery(clientUrl.rawQuery);
  for (const [key, values] of backend.query) {
    const merged = query.get(key);
    if (merged) merged.push(...values);
    else query.set(key, [...values]);
  }
  const encodedQuery = goEncodeQuery(query);

  const headers: Record<string, string[]> = Object.create(null);
  if (backend.options.forwardPocketHeaders) {
    headers['Pocket-Supplier'] = [supplier];
    headers['Pocket-Service'] = [header.serviceId];
    headers['Pocket-Session-Id'] = [header.sessionId];
    headers['Pocket-Application'] = [header.applicationAddress];
    headers['Pocket-Session-Start-Height'] = [header.sessionStartBlockHeight.toString()];
    headers['Pocket-Session-End-Height'] = [header.sessionEndBlockHeight.toString()];
  }
  for (const key in envelope.header) {
    const entry = envelope.header[key]!;
    const name = canonicalHeaderKey(key);
    if (TRANSPORT_HEADERS.has(name.toLowerCase())) continue;
    const existing = headers[name];
    if (existing) existing.push(...entry.values);
    else headers[name] = [...entry.values];
  }
  if (backend.authorization !== undefined) headers['Authorization'] = [backend.authorization];
  for (const [name, value] of backend.fixedHeaders) headers[name] = [value];

  return {
    method: envelope.method === '' ? 'GET' : envelope.method,
    path: encodeURI(path).replace(/\?/g, '%3F').replace(/#/g, '%23') + (encodedQuery === '' ? '' : `?${encodedQuery}`),
    headers,
    body: envelope.bodyBz,
  };
}

/** Path (decoded, as Go's URL.Path) and raw query of the URL the client saw; it may be absolute or just a path. */
function parseClientUrl(raw: string): { path: string; rawQuery: string } {
  let url: URL;
  try {
    url = new URL(raw, 'http://client.invalid');
  } catch {
    throw proxyErrors.internal('cannot parse the relay request url');
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  return { path, rawQuery: url.search.slice(1) };
}
