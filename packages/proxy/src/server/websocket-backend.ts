/**
 * Opens the bridge's connection to a service's `websocket` backend. The handshake carries the same
 * configured headers, basic auth and optional Pocket-* headers as an HTTP relay's backend request, so
 * they are built by the same code (buildBackendRequest) from an empty envelope.
 */
import { WebSocket } from 'ws';
import type { SessionHeader } from '@relayminer/protocol';
import { buildBackendRequest, type PreparedBackend } from './backend-request.js';
import { proxyErrors } from './relay-errors.js';

const EMPTY_ENVELOPE = { method: 'GET', header: {}, url: '/', bodyBz: new Uint8Array(0) };

export interface BackendDial {
  readonly header: SessionHeader;
  /** Named in the Pocket-Supplier header when the backend wants Pocket-* headers. */
  readonly supplier: string;
  readonly timeoutMs: number;
  readonly maxFrameBytes: number;
}

/**
 * Resolves with the open connection, paused so no frame is lost before the bridge listens; rejects
 * with `relayer_proxy` 5 when the backend cannot be reached or refuses the upgrade.
 */
export function dialWebSocketBackend(backend: PreparedBackend, dial: BackendDial): Promise<WebSocket> {
  const url = new URL(backend.options.url);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  const { headers } = buildBackendRequest(backend, EMPTY_ENVELOPE, dial.header, dial.supplier);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(', ')])),
      handshakeTimeout: dial.timeoutMs,
      maxPayload: dial.maxFrameBytes,
      // Frames are relayed as raw bytes, as Go's gorilla does: a text frame need not be UTF-8.
      skipUTF8Validation: true,
      perMessageDeflate: false,
    });
    socket.once('open', () => {
      socket.off('error', fail);
      socket.pause();
      resolve(socket);
    });
    // The backend's own error text can name internal hosts: the client only learns that it failed.
    const fail = (): void => reject(proxyErrors.internal('failed to connect to the service backend'));
    socket.once('error', fail);
  });
}
