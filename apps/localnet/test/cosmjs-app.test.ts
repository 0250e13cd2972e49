/**
 * The §6.6 acceptance list against the real Pocket app behind the node: cosmjs's StargateClient and
 * SigningStargateClient over real sockets, with a claim built from a live GetSession answer.
 */
import { fromHex } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet, Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes, GasPrice, QueryClient, setupAuthExtension, setupBankExtension, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { comet38, Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { MsgCreateClaim, MsgSubmitProof, pocket } from '@relayminer/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GENESIS_PATH, startLocalnet, type LocalnetHandle } from '../src/index.js';
import type { LocalnetAppControl } from '../src/app/index.js';

// Test-only keys from genesis/demo.yaml.
const SUPPLIER_KEY = '33d6a99fa1f1b1bc0f747b134c9c4f44d61e43dafc5366be2487e428ce43b030';
const APP_KEY = 'a973081d9a1854f33fcee72948065832f33c76418a5d33883ef4e180f28a757e';

let net: LocalnetHandle<LocalnetAppControl>;
let supplier: string;
let application: string;
let wallet: DirectSecp256k1Wallet;
const closers: (() => void)[] = [];

beforeAll(async () => {
  net = await startLocalnet<LocalnetAppControl>({ genesis: DEMO_GENESIS_PATH, blockTimeMs: 0 });
  wallet = await DirectSecp256k1Wallet.fromKey(fromHex(SUPPLIER_KEY), 'pokt');
  supplier = (await wallet.getAccounts())[0]!.address;
  const appWallet = await DirectSecp256k1Wallet.fromKey(fromHex(APP_KEY), 'pokt');
  application = (await appWallet.getAccounts())[0]!.address;
});
afterAll(async () => {
  for (const c of closers) c();
  await net?.stop();
});

function registry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    [MsgCreateClaim.typeUrl, MsgCreateClaim as unknown as GeneratedType],
    [MsgSubmitProof.typeUrl, MsgSubmitProof as unknown as GeneratedType],
  ]);
}

/** A 48-byte SMST root: digest, then compute units and relay count as big-endian u64. */
function rootHash(relays: bigint, cupr: bigint): Uint8Array {
  const root = new Uint8Array(48);
  root.fill(7, 0, 32);
  const view = new DataView(root.buffer);
  view.setBigUint64(32, relays * cupr);
  view.setBigUint64(40, relays);
  return root;
}

async function sessionHeaderAt(height: number) {
  const comet = await Comet38Client.connect(net.rpcUrl);
  closers.push(() => comet.disconnect());
  const qc = QueryClient.withExtensions(comet);
  const req = pocket.session.QueryGetSessionRequest.marshal({ applicationAddress: application, serviceId: 'anvil', blockHeight: BigInt(height) });
  const res = await qc.queryAbci('/pocket.session.Query/GetSession', req);
  return pocket.session.QueryGetSessionResponse.unmarshal(res.value).session!.header!;
}

describe('StargateClient against the real app', () => {
  it('reads chain id, height, accounts, balances, blocks', async () => {
    const client = await StargateClient.connect(net.rpcUrl);
    closers.push(() => client.disconnect());
    expect(await client.getChainId()).toBe('pocket-localnet');
    expect(await client.getHeight()).toBe(net.height);
    const account = await client.getAccount(supplier);
    expect(account).toMatchObject({ address: supplier, sequence: 0 });
    expect(await client.getSequence(supplier)).toMatchObject({ sequence: 0 });
    const stranger = (await (await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x11), 'pokt')).getAccounts())[0]!.address;
    expect(await client.getAccount(stranger)).toBeNull();
    expect(await client.getBalance(supplier, 'upokt')).toEqual({ denom: 'upokt', amount: '1000000000' });
    const block = await client.getBlock(1);
    expect(block.id).toBe(net.blockHash(1));

    const comet = await Comet38Client.connect(net.rpcUrl);
    closers.push(() => comet.disconnect());
    const qc = QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension);
    expect((await qc.bank.balance(application, 'upokt')).amount).toBe('1000000000');
    expect(await qc.auth.account(application)).toBeTruthy();
  });
});

describe('SigningStargateClient against the real app', () => {
  it('simulates, signs and broadcasts a claim with fee "auto", then finds it by hash and sender', async () => {
    const comet = await Comet38Client.connect(net.rpcUrl);
    const signer = await SigningStargateClient.createWithSigner(comet, wallet, {
      registry: registry(),
      gasPrice: GasPrice.fromString('0.000001upokt'),
      broadcastPollIntervalMs: 50,
      broadcastTimeoutMs: 10_000,
    });
    closers.push(() => signer.disconnect());

    // Watch the supplier's txs over the websocket while we work.
    const ws = Comet38Client.create(new WebsocketClient(net.wsUrl, () => undefined));
    closers.push(() => ws.disconnect());
    const seen: comet38.TxEvent[] = [];
    ws.subscribeTx(`message.sender='${supplier}'`).addListener({ next: (e) => seen.push(e), error: () => undefined, complete: () => undefined });
    await ws.status();

    // Session [1,4] (N=4): the claim window is [6,8]; the tx lands in the block after the broadcast.
    await net.advanceTo(5);
    const header = await sessionHeaderAt(1);
    expect(header.sessionEndBlockHeight).toBe(4n);
    const claim = {
      typeUrl: MsgCreateClaim.typeUrl,
      value: { supplierOperatorAddress: supplier, sessionHeader: header, rootHash: rootHash(5n, 100n) },
    };

    const gas = await signer.simulate(supplier, [claim], '');
    expect(gas).toBeGreaterThan(0);

    const pending = signer.signAndBroadcast(supplier, [claim], 'auto');
    await net.waitFor(() => net.txs({ sender: supplier }).length > 0, { ms: 5000 });
    await net.advance(1);
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.height).toBe(6);
    expect(result.events.some((e) => e.type === 'pocket.proof.EventClaimCreated')).toBe(true);

    const tx = await signer.getTx(result.transactionHash);
    expect(tx?.height).toBe(6);
    const bySender = await signer.searchTx(`message.sender='${supplier}'`);
    expect(bySender.map((t) => t.hash)).toContain(result.transactionHash);
    expect(net.txs({ sender: supplier })[0]).toMatchObject({ status: 'included', height: 6 });
    expect(net.app!.claims()).toHaveLength(1);
    expect(await signer.getSequence(supplier)).toMatchObject({ sequence: 1 });

    await net.waitFor(() => seen.length > 0, { ms: 3000 });
    expect(seen[0]!.height).toBe(6);

    // The miner's own path: sign with explicit signer data and a timeout height, then broadcast sync.
    const account = (await signer.getAccount(supplier))!;
    const fee = { amount: [{ denom: 'upokt', amount: '1000' }], gas: String(Math.ceil(gas * 1.5)) };
    const signed = await signer.sign(supplier, [claim], fee, '', { accountNumber: account.accountNumber, sequence: 1, chainId: 'pocket-localnet' }, 8n);
    const { TxRaw } = await import('cosmjs-types/cosmos/tx/v1beta1/tx');
    const hash = await signer.broadcastTxSync(TxRaw.encode(signed).finish());
    await net.advance(1);
    expect(net.txs({ hash })[0]).toMatchObject({ status: 'included', height: 7 });
    expect(net.events({ type: 'pocket.proof.EventClaimUpdated', height: 7 })).toHaveLength(1);
  }, 30_000);

  it('surfaces message errors from Simulate (claim outside its window)', async () => {
    const comet = await Comet38Client.connect(net.rpcUrl);
    const signer = await SigningStargateClient.createWithSigner(comet, wallet, { registry: registry(), gasPrice: GasPrice.fromString('0.000001upokt') });
    closers.push(() => signer.disconnect());
    await net.advanceTo(12);
    const header = await sessionHeaderAt(1);
    const late = { typeUrl: MsgCreateClaim.typeUrl, value: { supplierOperatorAddress: supplier, sessionHeader: header, rootHash: rootHash(5n, 100n) } };
    await expect(signer.simulate(supplier, [late], '')).rejects.toThrow(/window/i);
  });
});
