/**
 * A deterministic gas model. It depends only on what Simulate and the signed tx share (messages,
 * memo, signer count), never on the fee or signature bytes, so Simulate reports exactly the gas the
 * delivered tx uses: clients can then run with a gas adjustment of 1.
 */
import { MSG_CREATE_CLAIM_TYPE_URL, MSG_SUBMIT_PROOF_TYPE_URL } from '@relayminer/protocol';

export const GAS_ANTE_BASE = 10_000n;
export const GAS_PER_BYTE = 10n;
export const GAS_PER_SIGNATURE = 1_000n;
const GAS_PER_MESSAGE: Record<string, bigint> = {
  [MSG_CREATE_CLAIM_TYPE_URL]: 5_000n,
  [MSG_SUBMIT_PROOF_TYPE_URL]: 15_000n,
};

export interface GasInput {
  messages: readonly { typeUrl: string; value: Uint8Array }[];
  memo: string;
  signers: number;
}

export function anteGas(tx: GasInput): bigint {
  let bytes = Buffer.byteLength(tx.memo, 'utf8');
  for (const m of tx.messages) bytes += m.typeUrl.length + m.value.length;
  return GAS_ANTE_BASE + GAS_PER_BYTE * BigInt(bytes) + GAS_PER_SIGNATURE * BigInt(tx.signers);
}

export function messageGas(typeUrl: string): bigint {
  return GAS_PER_MESSAGE[typeUrl] ?? 0n;
}

export function totalGas(tx: GasInput): bigint {
  return tx.messages.reduce((g, m) => g + messageGas(m.typeUrl), anteGas(tx));
}
