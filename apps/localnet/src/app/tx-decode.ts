/** Decoding a tx into its parts, and the messages' ValidateBasic (what CheckTx can know statelessly). */
import { TxRaw, TxBody, AuthInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MSG_CREATE_CLAIM_TYPE_URL, MSG_SUBMIT_PROOF_TYPE_URL, MsgCreateClaim, MsgSubmitProof, readU64be } from '@relayminer/protocol';
import { TxFailure, moduleErrorText } from './errors.js';
import { isValidPoktAddress, sessionHeaderProblem } from './session.js';

export type DecodedMsg =
  | { kind: 'claim'; typeUrl: string; value: Uint8Array; msg: MsgCreateClaim; signer: string }
  | { kind: 'proof'; typeUrl: string; value: Uint8Array; msg: MsgSubmitProof; signer: string };

export interface DecodedTx {
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
  msgs: DecodedMsg[];
  /** Unique signers in first-appearance order (cosmos GetSigners). */
  signers: string[];
}

function parseError(detail: string): TxFailure {
  return new TxFailure(2, 'sdk', `${detail}: tx parse error`, 'TX_DECODE');
}

export function decodeTx(bytes: Uint8Array): DecodedTx {
  let raw: TxRaw;
  let body: TxBody;
  let authInfo: AuthInfo;
  try {
    raw = TxRaw.decode(bytes);
    body = TxBody.decode(raw.bodyBytes);
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch (e) {
    throw parseError((e as Error).message);
  }
  const msgs: DecodedMsg[] = body.messages.map((any) => {
    try {
      if (any.typeUrl === MSG_CREATE_CLAIM_TYPE_URL) {
        const msg = MsgCreateClaim.unmarshal(any.value);
        return { kind: 'claim', typeUrl: any.typeUrl, value: any.value, msg, signer: msg.supplierOperatorAddress } as const;
      }
      if (any.typeUrl === MSG_SUBMIT_PROOF_TYPE_URL) {
        const msg = MsgSubmitProof.unmarshal(any.value);
        return { kind: 'proof', typeUrl: any.typeUrl, value: any.value, msg, signer: msg.supplierOperatorAddress } as const;
      }
    } catch (e) {
      throw parseError(`unable to decode ${any.typeUrl}: ${(e as Error).message}`);
    }
    throw parseError(`unable to resolve type URL ${any.typeUrl}`);
  });
  const signers: string[] = [];
  for (const m of msgs) if (!signers.includes(m.signer)) signers.push(m.signer);
  return { raw, body, authInfo, msgs, signers };
}

// proof module error codes (codespace "proof") that ValidateBasic returns directly
const ERR_INVALID_ADDRESS = { code: 1101, text: 'invalid address' };
const ERR_INVALID_ROOT = { code: 1104, text: 'invalid root hash' };
const ERR_INVALID_PROOF = { code: 1108, text: 'invalid proof' };
const ERR_INVALID_HEADER = { code: 1115, text: 'invalid session header' };

function fail(err: { code: number; text: string }, detail: string, reason: string): TxFailure {
  return new TxFailure(err.code, 'proof', moduleErrorText(err.text, detail), reason);
}

/** The messages' ValidateBasic, run by baseapp before the ante handler in every mode. */
export function validateBasic(tx: DecodedTx): void {
  if (tx.msgs.length === 0) throw new TxFailure(18, 'sdk', 'must contain at least one message: invalid request', 'NO_MESSAGES');
  for (const m of tx.msgs) {
    if (!isValidPoktAddress(m.msg.supplierOperatorAddress))
      throw fail(ERR_INVALID_ADDRESS, `invalid supplier operator address ${JSON.stringify(m.msg.supplierOperatorAddress)}`, 'INVALID_ADDRESS');
    const headerProblem = sessionHeaderProblem(m.msg.sessionHeader);
    if (headerProblem) throw fail(ERR_INVALID_HEADER, headerProblem, 'INVALID_SESSION_HEADER');
    if (m.kind === 'claim') {
      const root = m.msg.rootHash;
      if (root.length !== 48) throw fail(ERR_INVALID_ROOT, `root hash must be 48 bytes, got ${root.length}`, 'MALFORMED_ROOT');
      if (readU64be(root, 40) === 0n) throw fail(ERR_INVALID_ROOT, 'root hash has zero relays', 'MALFORMED_ROOT');
      if (readU64be(root, 32) === 0n) throw fail(ERR_INVALID_ROOT, 'root hash has zero compute units', 'MALFORMED_ROOT');
    } else if (m.msg.proof.length === 0) {
      throw fail(ERR_INVALID_PROOF, 'proof is empty', 'MALFORMED_PROOF');
    }
  }
}
