/**
 * The CLI as a separate process (the demo's shape): it prints its URL once it serves, cosmjs talks to it
 * over real sockets, and it exits cleanly on SIGTERM. Needs the built package (nx runs build before test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/localnet.mjs', import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function startCli(args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.stderr!.on('data', (d) => (err += d));
    proc.once('exit', (code) => reject(new Error(`localnet exited with ${code} before serving: ${err}`)));
    setTimeout(() => reject(new Error(`localnet did not print its URL in time: ${out} ${err}`)), 15_000);
  });
}

describe.skipIf(!BUILT)('localnet CLI (built dist)', () => {
  it('serves the demo genesis to cosmjs and stops on SIGTERM', async () => {
    const { proc, url } = await startCli(['--port', '0', '--block-time-ms', '100']);
    child = proc;

    const comet = await Comet38Client.connect(url);
    const status = await comet.status();
    expect(status.nodeInfo.network).toBe('pocket-localnet');

    const client = await StargateClient.connect(url);
    expect(await client.getChainId()).toBe('pocket-localnet');
    // supplier1 of genesis/demo.yaml (test-only key)
    const wallet = await DirectSecp256k1Wallet.fromKey(fromHex('33d6a99fa1f1b1bc0f747b134c9c4f44d61e43dafc5366be2487e428ce43b030'), 'pokt');
    const [supplier] = await wallet.getAccounts();
    expect(await client.getBalance(supplier!.address, 'upokt')).toEqual({ denom: 'upokt', amount: '1000000000' });

    const ws = Comet38Client.create(new WebsocketClient(url.replace('http', 'ws'), () => undefined));
    const heights = await new Promise<number[]>((resolve, reject) => {
      const got: number[] = [];
      const sub = ws.subscribeNewBlockHeader().subscribe({
        next: (h) => {
          got.push(h.height);
          if (got.length === 3) {
            sub.unsubscribe();
            resolve(got);
          }
        },
        error: reject,
      });
    });
    expect(heights[1]).toBe(heights[0]! + 1);
    expect(heights[2]).toBe(heights[0]! + 2);
    ws.disconnect();
    comet.disconnect();
    client.disconnect();

    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 30_000);

  it('rejects bad arguments with usage', async () => {
    const proc = spawn(process.execPath, [BIN, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be a non-negative integer/);
  });
});
