/** Reads a client's request body under the server's size limit (`relayer_proxy` 13 when exceeded). */
import type { IncomingMessage } from 'node:http';
import { proxyErrors } from './relay-errors.js';

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      // Keep reading (and discarding) so the client gets the error reply instead of a reset socket.
      req.resume();
      reject(proxyErrors.requestLimit(`request body exceeds ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        reject(proxyErrors.requestLimit(`request body exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', () => reject(proxyErrors.internal('reading the request body failed')));
  });
}
