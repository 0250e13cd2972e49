// The ceiling: a bare Node HTTP pass-through proxy to the same backend (keep-alive, no decoding, no
// verification, no signing). Usage: node bare-proxy.mjs <backendPort>; prints its port.
import { Agent, createServer, request } from 'node:http';

const backendPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const up = request({ host: '127.0.0.1', port: backendPort, method: 'POST', path: '/', agent, headers: { 'Content-Length': body.length } }, (r) => {
      const out = [];
      r.on('data', (c) => out.push(c));
      r.on('end', () => {
        const payload = Buffer.concat(out);
        res.writeHead(200, { 'Content-Length': payload.length });
        res.end(payload);
      });
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    up.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
