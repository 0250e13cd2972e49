// The benchmark's backend: a JSON-RPC-looking HTTP server answering every request with a small fixed
// body, as a node's eth_blockNumber would. Prints its port on stdout.
import { createServer } from 'node:http';

const body = Buffer.from('{"jsonrpc":"2.0","id":1,"result":"0x10d4f"}');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
