/**
 * One HTTP server on 127.0.0.1: JSON-RPC over `POST /` (single or batch), CometBFT's URI form over
 * `GET /<method>?…` for curl, and `GET /websocket` upgraded to JSON-RPC over a websocket with subscriptions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Chain } from './chain.js';
import { parseError, RpcError } from './errors.js';
import { errorReply, invoke, readRequest, resultReply, type RpcReply } from './jsonrpc.js';
import type { MethodHandler } from './methods.js';
import { optionalString, paramsFromSearch } from './params.js';
import { WsClient } from './subscriptions.js';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class RpcServer {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly clients = new Set<WsClient>();
  private readonly unhookBus: () => void;
  private boundPort = 0;

  constructor(
    private readonly chain: Chain,
    private readonly methods: Record<string, MethodHandler>,
  ) {
    this.http = createServer((req, res) => void this.onHttp(req, res));
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.unhookBus = chain.onBus((e) => {
      for (const c of this.clients) c.deliver(e);
    });
  }

  get port(): number {
    return this.boundPort;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        const addr = this.http.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
        resolve(this.boundPort);
      });
    });
  }

  async close(): Promise<void> {
    this.unhookBus();
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  /** Drops every websocket without a close frame, the way a crashed node or a dead link looks to clients. */
  killWebsockets(): number {
    const n = this.clients.size;
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    return n;
  }

  cancelSubscription(query: string): number {
    let n = 0;
    for (const c of this.clients) if (c.cancel(query)) n++;
    return n;
  }

  get websocketCount(): number {
    return this.clients.size;
  }

  private async delayed(): Promise<void> {
    const ms = this.chain.faults.latencyMs;
    if (ms > 0) await sleep(ms);
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/') return await this.onPost(req, res);
      if (req.method === 'GET' && url.pathname === '/') return this.sendText(res, 200, this.routeList());
      if (req.method === 'GET' && url.pathname === '/websocket') return this.sendText(res, 400, 'websocket upgrade required\n');
      if (req.method === 'GET') {
        const method = url.pathname.slice(1);
        const reply = await invoke(this.methods, { id: -1, method, params: paramsFromSearch(url.searchParams) });
        await this.delayed();
        return this.sendJson(res, 200, reply);
      }
      this.sendText(res, 405, 'method not allowed\n');
    } catch (err) {
      if (!res.headersSent) this.sendText(res, 500, `${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  private async onPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return this.sendJson(res, 413, errorReply(-1, parseError('request body too large')));
      chunks.push(chunk as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      return this.sendJson(res, 400, errorReply(-1, parseError(err instanceof Error ? err.message : 'invalid JSON')));
    }
    const handleOne = async (raw: unknown): Promise<RpcReply | undefined> => {
      try {
        const r = readRequest(raw);
        const reply = await invoke(this.methods, r);
        return r.id === undefined ? undefined : reply;
      } catch (err) {
        return errorReply(-1, err as RpcError);
      }
    };
    let out: RpcReply | RpcReply[] | undefined;
    if (Array.isArray(body)) {
      const replies = await Promise.all(body.map(handleOne));
      out = replies.filter((r): r is RpcReply => r !== undefined);
    } else {
      out = await handleOne(body);
    }
    await this.delayed();
    if (out === undefined) {
      res.writeHead(200).end();
      return;
    }
    this.sendJson(res, 200, out);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
  }

  private onSocket(ws: WebSocket): void {
    const client = new WsClient(ws);
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    // CometBFT reads one request at a time per connection, so replies keep request order.
    let queue = Promise.resolve();
    ws.on('message', (data) => {
      const text = data.toString();
      queue = queue.then(() => this.onWsMessage(client, text));
    });
  }

  private async onWsMessage(client: WsClient, text: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      client.send(errorReply(-1, parseError(err instanceof Error ? err.message : 'invalid JSON')));
      return;
    }
    let reply: RpcReply;
    try {
      const r = readRequest(raw);
      const id = r.id ?? -1;
      reply = await this.wsOnly(client, r.method, r.params, id) ?? (await invoke(this.methods, r));
      if (r.id === undefined) return;
    } catch (err) {
      reply = errorReply(-1, err as RpcError);
    }
    await this.delayed();
    client.send(reply);
  }

  /** The subscription methods exist only on the websocket, as in CometBFT. */
  private async wsOnly(client: WsClient, method: string, params: Record<string, unknown>, id: number | string): Promise<RpcReply | undefined> {
    try {
      switch (method) {
        case 'subscribe':
          client.subscribe(id, optionalString(params, 'query') ?? '');
          return resultReply(id, {});
        case 'unsubscribe':
          client.unsubscribe(optionalString(params, 'query') ?? '');
          return resultReply(id, {});
        case 'unsubscribe_all':
          client.unsubscribeAll();
          return resultReply(id, {});
        default:
          return undefined;
      }
    } catch (err) {
      if (err instanceof RpcError) return errorReply(id, err);
      throw err;
    }
  }

  private routeList(): string {
    const names = [...Object.keys(this.methods), 'subscribe', 'unsubscribe', 'unsubscribe_all'].sort();
    return `localnet (CometBFT JSON-RPC subset). POST / with JSON-RPC 2.0, GET /<method>?args, websocket at /websocket\n\n${names.map((n) => `/${n}`).join('\n')}\n`;
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendText(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  }
}
