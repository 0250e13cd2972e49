/**
 * The demo's "blockchain node" behind the relay miner: a tiny JSON-RPC server on 127.0.0.1 that answers
 * `eth_blockNumber` (a number that moves, so answers differ), `eth_chainId` and `web3_clientVersion`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoBackend {
  readonly url: string;
  /** JSON-RPC calls answered so far. */
  readonly calls: () => number;
  close(): Promise<void>;
}

type JsonRpcCall = { jsonrpc?: string; id?: unknown; method?: unknown };

export async function startDemoBackend(options: { host?: string; port?: number } = {}): Promise<DemoBackend> {
  let calls = 0;
  const startedAt = Date.now();
  const answer = (call: JsonRpcCall): object => {
    const id = call.id ?? null;
    switch (call.method) {
      case 'eth_blockNumber':
        // a 2 s "block time", so the answer changes while the demo runs
        return { jsonrpc: '2.0', id, result: `0x${(0x1000000 + Math.floor((Date.now() - startedAt) / 2000)).toString(16)}` };
      case 'eth_chainId':
        return { jsonrpc: '2.0', id, result: '0x7a69' };
      case 'web3_clientVersion':
        return { jsonrpc: '2.0', id, result: 'relayminer-demo-backend/1.0' };
      default:
        return { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } };
    }
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let reply: object;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonRpcCall | JsonRpcCall[];
        reply = Array.isArray(body) ? body.map(answer) : answer(body);
        calls += Array.isArray(body) ? body.length : 1;
      } catch {
        reply = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };
      }
      const text = JSON.stringify(reply);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
