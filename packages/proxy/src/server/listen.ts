/** Binds an HTTP server and returns the URL it serves on (port 0 resolves to the ephemeral port). */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenOn(server: http.Server, hostname: string | undefined, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return `http://${host}:${bound.port}`;
}
