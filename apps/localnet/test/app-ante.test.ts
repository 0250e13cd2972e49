import { describe, expect, it } from 'vitest';
import { Chain, buildTx, claimMsg, keysOf, loadDemo, mineRelays, simulate } from './app-fixtures.js';

async function ready(tweak?: Parameters<typeof loadDemo>[0]) {
  const genesis = loadDemo(tweak);
  const chain = new Chain(genesis);
  chain.advanceTo(1n);
  const app = keysOf(genesis, 'app1');
  const supplier = keysOf(genesis, 'supplier1');
  const gateway = keysOf(genesis, 'gateway1');
  const header = chain.session(app.address, 'anvil').header!;
  const { root } = await mineRelays(header, supplier, app, gateway, 1, 100n);
  const msg = claimMsg({ supplierOperatorAddress: supplier.address, sessionHeader: header, rootHash: root });
  const accountNumber = genesis.accounts.find((a) => a.name === 'supplier1')!.accountNumber;
  return { chain, supplier, gateway, msg, accountNumber };
}

describe('ante handler', () => {
  it('checks the sequence against the check state, which counts mempool txs', async () => {
    const { chain, supplier, msg, accountNumber } = await ready();
    const first = chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n }));
    expect(first.code, first.log).toBe(0);
    // same sequence again: the check state already moved to 1
    const again = chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n, memo: 'x' }));
    expect(again.code).toBe(32);
    expect(again.codespace).toBe('sdk');
    expect(again.rejectReason).toBe('WRONG_SEQUENCE');
    expect(again.log).toBe('account sequence mismatch, expected 1, got 0: incorrect account sequence');
    expect(chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 1n })).code).toBe(0);
    // the committed account is untouched until a block includes the txs
    expect(chain.sequence(supplier.address)).toBe(0n);
    // Simulate reads the check state too
    expect(simulate(chain, buildTx(supplier, [msg], { accountNumber, sequence: 0n, forSimulate: true })).log).toMatch(/account sequence mismatch, expected 2, got 0/);
    // after a commit the check state is rebuilt from committed state
    chain.block();
    expect(chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n })).code).toBe(0);
  });

  it('rejects a wrong sequence at delivery without touching state', async () => {
    const { chain, supplier, msg, accountNumber } = await ready();
    const [res] = chain.block([buildTx(supplier, [msg], { accountNumber, sequence: 3n })]);
    expect(res!.code).toBe(32);
    expect(res!.events).toHaveLength(0);
    expect(chain.sequence(supplier.address)).toBe(0n);
  });

  it('rejects signatures by the wrong key, for the wrong chain or account number', async () => {
    const { chain, supplier, gateway, msg, accountNumber } = await ready();
    for (const opts of [{ signWith: gateway.privateKey }, { chainId: 'other-chain' }, { accountNumber: accountNumber + 1n }]) {
      const res = chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n, ...opts }));
      expect(res.code).toBe(4);
      expect(res.rejectReason).toBe('BAD_TX_SIGNATURE');
      expect(res.log).toContain('signature verification failed');
    }
  });

  it('rejects a public key that does not belong to the signer', async () => {
    const { chain, supplier, gateway, msg, accountNumber } = await ready();
    const res = chain.app.checkTx(buildTx({ ...supplier, publicKey: gateway.publicKey }, [msg], { accountNumber, sequence: 0n }));
    expect(res.code).toBe(8);
    expect(res.rejectReason).toBe('INVALID_PUBKEY');
  });

  it('enforces memo length, timeout height and the gas limit', async () => {
    const { chain, supplier, msg, accountNumber } = await ready();
    expect(chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n, memo: 'm'.repeat(257) })).code).toBe(12);
    const timeout = chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n, timeoutHeight: 1n }));
    expect(timeout.code).toBe(30);
    expect(timeout.rejectReason).toBe('TIMEOUT_HEIGHT');
    const gas = chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n, gasLimit: 100n }));
    expect(gas.code).toBe(11);
  });

  it('enforces the minimum gas price in CheckTx only, and deducts the fee', async () => {
    const { chain, supplier, msg, accountNumber } = await ready((g) => {
      g.min_gas_price = '0.01upokt';
    });
    const low = chain.app.checkTx(buildTx(supplier, [msg], { accountNumber, sequence: 0n, gasLimit: 100_000n, feeUpokt: 999n }));
    expect(low.code).toBe(13);
    expect(low.log).toBe('insufficient fees; got: 999upokt required: 1000upokt: insufficient fee');
    const tx = buildTx(supplier, [msg], { accountNumber, sequence: 0n, gasLimit: 100_000n, feeUpokt: 1000n });
    expect(chain.app.checkTx(tx).code).toBe(0);
    const before = chain.genesis.accounts.find((a) => a.name === 'supplier1')!.balance;
    chain.advanceTo(4n);
    const [res] = chain.block([tx]);
    // the claim fails (block 5 is before the window) but the fee and sequence stay spent
    expect(res!.rejectReason).toBe('CLAIM_OUTSIDE_WINDOW');
    expect(res!.events.some((e) => e.type === 'tx' && e.attributes.some((x) => x.key === 'fee' && x.value === '1000upokt'))).toBe(true);
    expect(chain.sequence(supplier.address)).toBe(1n);
    const { QueryBalanceRequest, QueryBalanceResponse } = await import('cosmjs-types/cosmos/bank/v1beta1/query');
    const bal = chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: supplier.address, denom: 'upokt' }).finish(), QueryBalanceResponse);
    expect(BigInt(bal.balance!.amount)).toBe(before - 1000n);
  });

  it('rejects undecodable txs and unknown messages as parse errors', async () => {
    const { chain, supplier, accountNumber } = await ready();
    expect(chain.app.checkTx(new Uint8Array([0xff, 0xff, 0xff])).code).toBe(2);
    const res = chain.app.checkTx(buildTx(supplier, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array(0) }], { accountNumber, sequence: 0n }));
    expect(res.code).toBe(2);
    expect(res.log).toContain('tx parse error');
  });
});
