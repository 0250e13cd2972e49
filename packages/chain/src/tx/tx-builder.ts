/**
 * Building, simulating and signing claim/proof transactions (SIGN_MODE_DIRECT, secp256k1).
 *
 * Messages are packed with the canonical `@relayminer/protocol` codecs rather than through a cosmjs
 * Registry, so the Any bytes are exactly what Go would marshal. The key lives only inside the cosmjs
 * wallet; nothing here logs or returns it.
 */
import { createHash } from 'node:crypto';
import { fromBase64, toHex } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet, makeAuthInfoBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, Fee, Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  MSG_CREATE_CLAIM_TYPE_URL,
  MSG_SUBMIT_PROOF_TYPE_URL,
  MsgCreateClaim,
  MsgSubmitProof,
  cosmos,
  packWireAny,
} from '@relayminer/protocol';
import { TxBuildError } from '../errors.js';

export const SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';

/** One message of a claim or proof batch. */
export type PocketTxMessage =
  | { readonly typeUrl: typeof MSG_CREATE_CLAIM_TYPE_URL; readonly value: MsgCreateClaim }
  | { readonly typeUrl: typeof MSG_SUBMIT_PROOF_TYPE_URL; readonly value: MsgSubmitProof };

export interface AnyBytes {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export function claimMessage(value: MsgCreateClaim): PocketTxMessage {
  return { typeUrl: MSG_CREATE_CLAIM_TYPE_URL, value };
}

export function proofMessage(value: MsgSubmitProof): PocketTxMessage {
  return { typeUrl: MSG_SUBMIT_PROOF_TYPE_URL, value };
}

/** A cheap stand-in for the chain's ValidateBasic: catches what would only fail after paying for a tx. */
export function validateMessages(messages: readonly PocketTxMessage[], signer: string): void {
  if (messages.length === 0) throw new TxBuildError('a transaction needs at least one message');
  messages.forEach((m, i) => {
    if (m.typeUrl !== MSG_CREATE_CLAIM_TYPE_URL && m.typeUrl !== MSG_SUBMIT_PROOF_TYPE_URL) {
      throw new TxBuildError(`message ${i}: unsupported type ${JSON.stringify((m as { typeUrl: unknown }).typeUrl)}`);
    }
    if (m.value.supplierOperatorAddress !== signer) {
      throw new TxBuildError(`message ${i}: supplier_operator_address ${m.value.supplierOperatorAddress} is not the signer ${signer}`);
    }
    const h = m.value.sessionHeader;
    if (!h || !h.sessionId || !h.serviceId || !h.applicationAddress) throw new TxBuildError(`message ${i}: incomplete session header`);
    if (h.sessionEndBlockHeight < h.sessionStartBlockHeight || h.sessionStartBlockHeight <= 0n) {
      throw new TxBuildError(`message ${i}: session heights ${h.sessionStartBlockHeight}..${h.sessionEndBlockHeight} are not a session`);
    }
    if (m.typeUrl === MSG_CREATE_CLAIM_TYPE_URL && m.value.rootHash.length === 0) throw new TxBuildError(`message ${i}: empty root hash`);
    if (m.typeUrl === MSG_SUBMIT_PROOF_TYPE_URL && m.value.proof.length === 0) throw new TxBuildError(`message ${i}: empty proof`);
  });
}

export function packMessages(messages: readonly PocketTxMessage[]): AnyBytes[] {
  return messages.map((m) =>
    m.typeUrl === MSG_CREATE_CLAIM_TYPE_URL ? packWireAny(MsgCreateClaim, m.value) : packWireAny(MsgSubmitProof, m.value),
  );
}

export function pubkeyAny(pubkey: Uint8Array): AnyBytes {
  return { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: cosmos.crypto.secp256k1.PubKey.marshal({ key: pubkey }) };
}

export function encodeBody(messages: readonly AnyBytes[], timeoutHeight: bigint): Uint8Array {
  return TxBody.encode(TxBody.fromPartial({ messages: [...messages], memo: '', timeoutHeight })).finish();
}

/**
 * The tx Simulate runs: signer info with our key and sequence, mode DIRECT (as the Go miner sends), an
 * empty fee and an empty signature — the node skips signature checks in simulate mode but checks the sequence.
 */
export function simulationTxBytes(bodyBytes: Uint8Array, pubkey: Uint8Array, sequence: bigint): Uint8Array {
  const authInfo = AuthInfo.fromPartial({
    signerInfos: [{ publicKey: pubkeyAny(pubkey), sequence, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } } }],
    fee: Fee.fromPartial({}),
  });
  return Tx.encode(Tx.fromPartial({ body: TxBody.decode(bodyBytes), authInfo, signatures: [new Uint8Array()] })).finish();
}

/** Upper-case hex sha256 of the tx bytes: the hash CometBFT indexes the tx under. */
export function txHashHex(txBytes: Uint8Array): string {
  return toHex(createHash('sha256').update(txBytes).digest()).toUpperCase();
}

export interface SignInput {
  readonly bodyBytes: Uint8Array;
  readonly sequence: bigint;
  readonly accountNumber: bigint;
  readonly chainId: string;
  readonly gasLimit: bigint;
  readonly fee: { denom: string; amount: string };
}

/** One signing key. Build with `TxSigner.fromPrivateKey`; the key stays inside the cosmjs wallet. */
export class TxSigner {
  private constructor(
    private readonly wallet: DirectSecp256k1Wallet,
    readonly address: string,
    readonly pubkey: Uint8Array,
  ) {}

  static async fromPrivateKey(privateKey: Uint8Array, prefix = 'pokt'): Promise<TxSigner> {
    let wallet: DirectSecp256k1Wallet;
    try {
      wallet = await DirectSecp256k1Wallet.fromKey(privateKey, prefix);
    } catch {
      // the cosmjs message may quote the input; ours must not
      throw new TxBuildError('the supplier signing key is not a valid secp256k1 private key');
    }
    const [account] = await wallet.getAccounts();
    if (!account) throw new TxBuildError('wallet has no account');
    return new TxSigner(wallet, account.address, account.pubkey);
  }

  async sign(input: SignInput): Promise<Uint8Array> {
    if (input.gasLimit > BigInt(Number.MAX_SAFE_INTEGER)) throw new TxBuildError(`gas limit ${input.gasLimit} is out of range`);
    const authInfoBytes = makeAuthInfoBytes(
      [{ pubkey: pubkeyAny(this.pubkey), sequence: input.sequence }],
      [input.fee],
      Number(input.gasLimit),
      undefined,
      undefined,
      SignMode.SIGN_MODE_DIRECT,
    );
    const signDoc = makeSignDoc(input.bodyBytes, authInfoBytes, input.chainId, input.accountNumber);
    const { signed, signature } = await this.wallet.signDirect(this.address, signDoc);
    return TxRaw.encode(
      TxRaw.fromPartial({ bodyBytes: signed.bodyBytes, authInfoBytes: signed.authInfoBytes, signatures: [fromBase64(signature.signature)] }),
    ).finish();
  }
}
