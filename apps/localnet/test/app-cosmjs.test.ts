import { describe, expect, it } from 'vitest';
import { DirectSecp256k1Wallet, Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MSG_CREATE_CLAIM_TYPE_URL, MsgCreateClaim } from '@relayminer/protocol';
import { Chain, keysOf, loadDemo, mineRelays } from './app-fixtures.js';

describe('cosmjs-signed txs', () => {
  it('accepts a claim signed by SigningStargateClient (DIRECT) and delivers it', async () => {
    const genesis = loadDemo();
    const chain = new Chain(genesis);
    const supplier = keysOf(genesis, 'supplier1');
    chain.advanceTo(1n);
    const header = chain.session(keysOf(genesis, 'app1').address, 'anvil').header!;
    const { root } = await mineRelays(header, supplier, keysOf(genesis, 'app1'), keysOf(genesis, 'gateway1'), 2, 100n);

    const wallet = await DirectSecp256k1Wallet.fromKey(supplier.privateKey, 'pokt');
    const registry = new Registry([...defaultRegistryTypes, [MSG_CREATE_CLAIM_TYPE_URL, MsgCreateClaim as unknown as GeneratedType]]);
    const client = await SigningStargateClient.offline(wallet, { registry });
    const raw = await client.sign(
      supplier.address,
      [{ typeUrl: MSG_CREATE_CLAIM_TYPE_URL, value: { supplierOperatorAddress: supplier.address, sessionHeader: header, rootHash: root } }],
      { amount: [], gas: '200000' },
      '',
      { accountNumber: genesis.accounts.find((a) => a.name === "supplier1")!.accountNumber, sequence: 0, chainId: genesis.chainId },
      8n,
    );
    const bytes = TxRaw.encode(raw).finish();
    expect(chain.app.checkTx(bytes).code).toBe(0);
    chain.advanceTo(5n);
    const [res] = chain.block([bytes]);
    expect(res!.code, res!.log).toBe(0);
    expect(chain.app.control.claims()).toHaveLength(1);
  });
});
