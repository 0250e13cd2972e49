/** One relay over HTTP: POST the serialized RelayRequest, read the whole reply. */
import http from 'node:http';
import https from 'node:https';

export interface RawRelayReply {
  status: number;
  body: Buffer;
}

export class RelayTransportError extends Error {
  /** `timeout`, `aborted`, or the socket error code (ECONNREFUSED, ECONNRESET, ...). */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RelayTransportError';
    this.code = code;
  }
}

export function postRelay(url: URL, body: Uint8Array, options: { agent?: http.Agent; timeoutMs: number; signal?: AbortSignal }): Promise<RawRelayReply> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new RelayTransportError('aborted', 'aborted before sending'));
    const req = send(
      url,
      {
        method: 'POST',
        agent: options.agent,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) },
        signal: options.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
        });
        res.on('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(new RelayTransportError(e.code ?? 'response_error', e.message));
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new RelayTransportError('timeout', `no reply within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e instanceof RelayTransportError) return reject(e);
      reject(new RelayTransportError(e.name === 'AbortError' ? 'aborted' : (e.code ?? 'request_error'), e.message));
    });
    req.end(body);
  });
}
