/**
 * The ante handler (chain.md §4.5, §4.7, §6.1 tx.ts): timeout height, memo, gas, fee, pubkey,
 * sequence, DIRECT signature, sequence bump. It mutates the state it is given; callers pass a copy
 * and keep it only when the ante succeeds, as baseapp does with its cache context.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { addressFromPublicKey, encodeBech32Address } from '@relayminer/protocol';
import type { AbciEvent } from '../abci.js';
import { DENOM, formatCoin, requiredFee, type DecPrice } from './coins.js';
import { TxFailure } from './errors.js';
import { event } from './events.js';
import { anteGas } from './gas.js';
import type { AppState } from './state.js';
import type { DecodedTx } from './tx-decode.js';

export type ExecMode = 'check' | 'deliver' | 'simulate';

export interface AnteContext {
  mode: ExecMode;
  chainId: string;
  /** Height of the block the tx runs in (for CheckTx and Simulate: the next block). */
  height: bigint;
  minGasPrice: DecPrice;
}

export interface AnteOutcome {
  events: AbciEvent[];
  gasWanted: bigint;
  gasUsed: bigint;
}

const MAX_MEMO_CHARS = 256;
const SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';

export const FEE_COLLECTOR_ADDRESS = encodeBech32Address(sha256(new TextEncoder().encode('fee_collector')).subarray(0, 20));

function sdk(code: number, log: string, reason: string): TxFailure {
  return new TxFailure(code, 'sdk', log, reason);
}

export function runAnte(state: AppState, tx: DecodedTx, ctx: AnteContext): AnteOutcome {
  const { body, authInfo, raw } = tx;
  const gasLimit = authInfo.fee?.gasLimit ?? 0n;
  const gasUsed = anteGas({ messages: body.messages, memo: body.memo, signers: tx.signers.length });

  if (body.timeoutHeight > 0n && ctx.height > body.timeoutHeight)
    throw sdk(30, `block height: ${ctx.height}, timeout height: ${body.timeoutHeight}: tx timeout height`, 'TIMEOUT_HEIGHT');
  const memoChars = [...body.memo].length;
  if (memoChars > MAX_MEMO_CHARS)
    throw sdk(12, `maximum number of characters is ${MAX_MEMO_CHARS} but received ${memoChars} characters: memo too large`, 'MEMO_TOO_LARGE');
  if (ctx.mode !== 'simulate' && gasUsed > gasLimit)
    throw sdk(11, `out of gas in location: ante; gasWanted: ${gasLimit}, gasUsed: ${gasUsed}: out of gas`, 'OUT_OF_GAS');

  if (authInfo.signerInfos.length !== tx.signers.length)
    throw sdk(4, `wrong number of signers; expected ${tx.signers.length}, got ${authInfo.signerInfos.length}: unauthorized`, 'WRONG_SIGNER_COUNT');
  if (raw.signatures.length !== tx.signers.length)
    throw sdk(4, `invalid number of signatures; expected: ${tx.signers.length}, got ${raw.signatures.length}: unauthorized`, 'WRONG_SIGNATURE_COUNT');

  // fee: a single upokt coin (or none)
  const feeCoins = authInfo.fee?.amount ?? [];
  let fee = 0n;
  for (const c of feeCoins) {
    if (c.denom !== DENOM) throw sdk(13, `fee denom ${c.denom} is not accepted, use ${DENOM}: insufficient fee`, 'INSUFFICIENT_FEE');
    fee += BigInt(c.amount);
  }
  if (ctx.mode === 'check') {
    const required = requiredFee(gasLimit, ctx.minGasPrice);
    if (fee < required) throw sdk(13, `insufficient fees; got: ${formatCoin(fee)} required: ${formatCoin(required)}: insufficient fee`, 'INSUFFICIENT_FEE');
  }
  const feePayer = authInfo.fee?.payer || tx.signers[0]!;
  const payer = state.accounts.get(feePayer);
  if (!payer) throw sdk(9, `fee payer address: ${feePayer} does not exist: unknown address`, 'UNKNOWN_ADDRESS');
  const events: AbciEvent[] = [];
  if (fee > 0n) {
    if (payer.balance < fee)
      throw sdk(5, `${formatCoin(payer.balance)} is smaller than ${formatCoin(fee)}: insufficient funds: insufficient funds to pay for fees`, 'INSUFFICIENT_FUNDS');
    payer.balance -= fee;
    const amount = formatCoin(fee);
    events.push(
      event('coin_spent', { spender: feePayer, amount }),
      event('coin_received', { receiver: FEE_COLLECTOR_ADDRESS, amount }),
      event('transfer', { recipient: FEE_COLLECTOR_ADDRESS, sender: feePayer, amount }),
      event('message', { sender: feePayer }),
    );
  }
  events.push(event('tx', { fee: fee > 0n ? formatCoin(fee) : '', fee_payer: feePayer }));

  tx.signers.forEach((signer, i) => {
    const info = authInfo.signerInfos[i]!;
    const account = state.accounts.get(signer);
    if (!account) throw sdk(9, `account ${signer} does not exist: unknown address`, 'UNKNOWN_ADDRESS');
    // SetPubKeyDecorator: a key in the tx must belong to the signer; an unset account key is learnt
    if (info.publicKey) {
      if (info.publicKey.typeUrl !== SECP256K1_PUBKEY_TYPE_URL)
        throw sdk(8, `unsupported public key type ${info.publicKey.typeUrl}: invalid pubkey`, 'INVALID_PUBKEY');
      let key: Uint8Array;
      try {
        key = PubKey.decode(info.publicKey.value).key;
        if (addressFromPublicKey(key) !== signer) throw new Error('mismatch');
      } catch {
        throw sdk(8, `pubKey does not match signer address ${signer} with signer index: ${i}: invalid pubkey`, 'INVALID_PUBKEY');
      }
      if (!account.publicKey) account.publicKey = key;
    }
    if (info.sequence !== account.sequence)
      throw sdk(32, `account sequence mismatch, expected ${account.sequence}, got ${info.sequence}: incorrect account sequence`, 'WRONG_SEQUENCE');
    if (ctx.mode !== 'simulate') {
      if (!account.publicKey) throw sdk(8, `pubkey on account is not set: invalid pubkey`, 'INVALID_PUBKEY');
      const mode = info.modeInfo?.single?.mode;
      const signDoc = SignDoc.encode({
        bodyBytes: raw.bodyBytes,
        authInfoBytes: raw.authInfoBytes,
        chainId: ctx.chainId,
        accountNumber: account.accountNumber,
      }).finish();
      const sig = raw.signatures[i]!;
      let ok = false;
      try {
        ok = mode === SignMode.SIGN_MODE_DIRECT && sig.length === 64 && secp256k1.verify(sig, sha256(signDoc), account.publicKey, { prehash: false, lowS: true });
      } catch {
        ok = false;
      }
      if (!ok)
        throw sdk(
          4,
          `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId}): unauthorized`,
          'BAD_TX_SIGNATURE',
        );
    }
    events.push(event('tx', { acc_seq: `${signer}/${account.sequence}` }));
    events.push(event('tx', { signature: Buffer.from(raw.signatures[i] ?? new Uint8Array(0)).toString('base64') }));
    account.sequence += 1n;
  });

  return { events, gasWanted: gasLimit, gasUsed };
}
