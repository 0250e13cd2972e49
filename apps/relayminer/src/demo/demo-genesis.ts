/**
 * The chain the demo runs on: `apps/localnet/genesis/relayminer-demo.yaml` (shipped next to the
 * localnet's own demo genesis), and the test-only keys of its accounts.
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DEMO_GENESIS_PATH } from '@relayminer/localnet';

export const RELAYMINER_DEMO_GENESIS_PATH = join(dirname(DEMO_GENESIS_PATH), 'relayminer-demo.yaml');

/** The service the demo's supplier is staked for and its application pays for. */
export const DEMO_SERVICE_ID = 'anvil';

/**
 * A genesis account's private key. Public knowledge by construction (see the genesis header):
 * these keys must never hold value anywhere.
 */
export function demoAccountKey(name: 'app1' | 'gateway1' | 'supplier1'): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`relayminer-localnet-test-key:${name}`).digest());
}
