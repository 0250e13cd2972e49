/** Shared helpers for the app tests: genesis variants, block driving, signed txs, real relays and proofs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TxRaw, TxBody, AuthInfo, SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import {
  MSG_CREATE_CLAIM_TYPE_URL,
  MSG_SUBMIT_PROOF_TYPE_URL,
  MsgCreateClaim,
  MsgSubmitProof,
  RingSigner,
  minedRelayBytes,
  pocket,
  proofPath,
  relayHash,
  relayRequestSignableHash,
  signRelayResponse,
  type RelayRequest,
} from '@relayminer/protocol';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { SparseMerkleSumTrie, compactClosestProof, marshalSparseCompactMerkleClosestProof } from '@relayminer/smst';
import type { AbciEvent, AbciTxResult } from '../src/abci.js';
import { createLocalnetApp, loadGenesis, type Genesis, type PocketLocalnetApp } from '../src/app/index.js';

export const DEMO_GENESIS_PATH = fileURLToPath(new URL('../genesis/demo.yaml', import.meta.url));

/** The demo genesis as a plain object, to be tweaked by a test before loading. */
export function demoGenesisObject(): Record<string, any> {
  return parseYaml(readFileSync(DEMO_GENESIS_PATH, 'utf8'), { intAsBigInt: true });
}

export function testKey(name: string): string {
  return Buffer.from(sha256(new TextEncoder().encode(`relayminer-localnet-test-key:${name}`))).toString('hex');
}

export function blockHashFor(height: bigint): Uint8Array {
  return sha256(new TextEncoder().encode(`test-block-${height}`));
}

export interface Keys {
  address: string;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

export function keysOf(g: Genesis, name: string): Keys {
  const a = g.accounts.find((x) => x.name === name)!;
  return { address: a.address, privateKey: a.privateKey!, publicKey: a.publicKey! };
}

/** Drives the app the way the node does. */
export class Chain {
  readonly app: PocketLocalnetApp;
  height = 0n;
  lastResults: AbciTxResult[] = [];
  lastEvents: AbciEvent[] = [];

  constructor(readonly genesis: Genesis) {
    this.app = createLocalnetApp(genesis);
  }

  block(txs: Uint8Array[] = []): AbciTxResult[] {
    const h = this.height + 1n;
    this.app.beginBlock({ height: h, timeMs: Number(h) * 1000, hash: blockHashFor(h), lastBlockHash: h > 1n ? blockHashFor(h - 1n) : new Uint8Array(0) });
    this.lastResults = txs.map((tx) => this.app.deliverTx(tx));
    this.lastEvents = this.app.endBlock().events;
    this.app.commit();
    this.height = h;
    return this.lastResults;
  }

  advanceTo(height: bigint): void {
    while (this.height < height) this.block();
  }

  query<T>(path: string, req: Uint8Array, codec: { unmarshal?(b: Uint8Array): T; decode?(b: Uint8Array): T }): T {
    const r = this.app.query(path, req, 0n);
    if (r.code !== 0) throw new Error(`query ${path} failed: ${r.code} ${r.log}`);
    return codec.unmarshal ? codec.unmarshal(r.value) : codec.decode!(r.value);
  }

  session(app: string, service: string, height = 0n): pocket.session.Session {
    return this.query(
      '/pocket.session.Query/GetSession',
      pocket.session.QueryGetSessionRequest.marshal({ applicationAddress: app, serviceId: service, blockHeight: height }),
      pocket.session.QueryGetSessionResponse,
    ).session!;
  }

  /** Committed sequence of an account, read through the Account query. */
  sequence(address: string): bigint {
    const r = this.app.query('/cosmos.auth.v1beta1.Query/Account', encodeAccountRequest(address), 0n);
    return r.code === 0 ? decodeBaseAccount(r.value).sequence : 0n;
  }
}

export function encodeAccountRequest(address: string): Uint8Array {
  return QueryAccountRequest.encode({ address }).finish();
}

export function decodeBaseAccount(value: Uint8Array): BaseAccount {
  return BaseAccount.decode(QueryAccountResponse.decode(value).account!.value);
}

export type Msg = { typeUrl: string; value: Uint8Array };

export function claimMsg(m: MsgCreateClaim): Msg {
  return { typeUrl: MSG_CREATE_CLAIM_TYPE_URL, value: MsgCreateClaim.marshal(m) };
}

export function proofMsg(m: MsgSubmitProof): Msg {
  return { typeUrl: MSG_SUBMIT_PROOF_TYPE_URL, value: MsgSubmitProof.marshal(m) };
}

export interface TxOptions {
  chainId?: string;
  accountNumber: bigint;
  sequence: bigint;
  gasLimit?: bigint;
  feeUpokt?: bigint;
  memo?: string;
  timeoutHeight?: bigint;
  /** Sign with this key instead of the signer's. */
  signWith?: Uint8Array;
  /** Leave the signature empty and the mode unspecified, as cosmjs' simulate does. */
  forSimulate?: boolean;
}

/** A DIRECT-mode signed tx (or its simulate form). */
export function buildTx(signer: Keys, msgs: Msg[], o: TxOptions): Uint8Array {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: msgs, memo: o.memo ?? '', timeoutHeight: o.timeoutHeight ?? 0n }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: signer.publicKey }).finish() },
          modeInfo: { single: { mode: o.forSimulate ? SignMode.SIGN_MODE_UNSPECIFIED : SignMode.SIGN_MODE_DIRECT } },
          sequence: o.sequence,
        },
      ],
      fee: { amount: o.feeUpokt ? [{ denom: 'upokt', amount: o.feeUpokt.toString() }] : [], gasLimit: o.forSimulate ? 0n : (o.gasLimit ?? 1_000_000n) },
    }),
  ).finish();
  let signature = new Uint8Array(0);
  if (!o.forSimulate) {
    const doc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: o.chainId ?? 'pocket-localnet', accountNumber: o.accountNumber }).finish();
    signature = secp256k1.sign(sha256(doc), o.signWith ?? signer.privateKey, { prehash: false, lowS: true });
  }
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

export function simulate(chain: Chain, tx: Uint8Array) {
  const r = chain.app.query('/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode({ txBytes: tx }).finish(), 0n);
  return { ...r, response: r.code === 0 ? SimulateResponse.decode(r.value) : undefined };
}

export interface RelayOptions {
  /** Key that ring-signs the requests (default: the gateway). */
  ringSignerKey?: Uint8Array;
  /** Ring used for signing (default: app + gateway, as on chain). */
  ring?: Uint8Array[];
  /** Key that signs the responses (default: the supplier). */
  responseKey?: Uint8Array;
}

/** Mines `n` real, signed relays for `header` into a fresh trie. */
export async function mineRelays(
  header: pocket.session.SessionHeader,
  supplier: Keys,
  appKeys: Keys,
  gateway: Keys,
  n: number,
  cupr: bigint,
  opts: RelayOptions = {},
): Promise<{ trie: SparseMerkleSumTrie; root: Uint8Array; relays: Uint8Array[] }> {
  const trie = new SparseMerkleSumTrie();
  const signer = new RingSigner(opts.ringSignerKey ?? gateway.privateKey);
  const ring = opts.ring ?? [appKeys.publicKey, gateway.publicKey];
  const relays: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const payload = new TextEncoder().encode(`{"jsonrpc":"2.0","id":${i},"method":"eth_blockNumber"}`);
    const unsigned: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: supplier.address }, payload };
    const request: RelayRequest = { ...unsigned, meta: { ...unsigned.meta!, signature: signer.sign(relayRequestSignableHash(unsigned), ring) } };
    const response = signRelayResponse(
      { meta: { sessionHeader: header, supplierOperatorSignature: new Uint8Array(0) }, payload: new TextEncoder().encode(`{"result":"0x${i.toString(16)}"}`), relayMinerError: undefined },
      opts.responseKey ?? supplier.privateKey,
    );
    const bytes = minedRelayBytes(request, response);
    trie.update(relayHash(bytes), bytes, cupr);
    relays.push(bytes);
  }
  return { trie, root: await trie.commit(), relays };
}

export function closestProofBytes(trie: SparseMerkleSumTrie, path: Uint8Array): Uint8Array {
  return marshalSparseCompactMerkleClosestProof(compactClosestProof(trie.proveClosest(path)));
}

export function expectedProofPath(chain: Chain, seedHeight: bigint, sessionId: string): Uint8Array {
  return proofPath(chain.app.control.blockHash(seedHeight)!, sessionId);
}

export function loadDemo(tweak?: (g: Record<string, any>) => void): Genesis {
  const obj = demoGenesisObject();
  tweak?.(obj);
  return loadGenesis(obj);
}
