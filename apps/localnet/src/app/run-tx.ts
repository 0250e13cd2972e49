/**
 * One tx through baseapp's steps: decode, ValidateBasic, ante (kept only if it passes), then the
 * messages all-or-nothing (CheckTx stops after the ante, as the chain does: §0 finding 8).
 */
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { AbciEvent, AbciTxResult } from '../abci.js';
import { runAnte, type AnteContext } from './ante.js';
import { GrpcStatusError, TxFailure } from './errors.js';
import { event } from './events.js';
import { messageGas } from './gas.js';
import { handleCreateClaim, handleSubmitProof } from './proof-module.js';
import { cloneState, type AppState } from './state.js';
import { decodeTx, validateBasic, type DecodedTx } from './tx-decode.js';

export interface TxRun {
  result: AbciTxResult;
  /** The state to keep: the input unchanged on an early failure, else ante (+ messages) applied. */
  state: AppState;
}

function failed(f: TxFailure, gasWanted: bigint, gasUsed: bigint, events: AbciEvent[] = []): AbciTxResult {
  return { code: f.code, codespace: f.codespace, log: f.log, data: new Uint8Array(0), gasWanted, gasUsed, events, rejectReason: f.rejectReason };
}

/** A message server error as baseapp reports it: unregistered, so code 1 in codespace "undefined". */
function messageFailure(e: unknown, index: number): TxFailure {
  if (e instanceof GrpcStatusError) return new TxFailure(1, 'undefined', `failed to execute message; message index: ${index}: ${e.message}`, e.rejectReason);
  if (e instanceof TxFailure) return e;
  return new TxFailure(1, 'undefined', `failed to execute message; message index: ${index}: ${(e as Error).message}`, 'INTERNAL');
}

export function runTx(state: AppState, bytes: Uint8Array, ctx: AnteContext): TxRun {
  let tx: DecodedTx;
  try {
    tx = decodeTx(bytes);
    validateBasic(tx);
  } catch (e) {
    if (e instanceof TxFailure) return { result: failed(e, 0n, 0n), state };
    throw e;
  }
  const gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
  const anteState = cloneState(state);
  let ante;
  try {
    ante = runAnte(anteState, tx, ctx);
  } catch (e) {
    if (e instanceof TxFailure) return { result: failed(e, gasWanted, 0n), state };
    throw e;
  }
  if (ctx.mode === 'check') {
    return {
      result: { code: 0, codespace: '', log: '', data: new Uint8Array(0), gasWanted, gasUsed: ante.gasUsed, events: ante.events },
      state: anteState,
    };
  }

  const msgState = cloneState(anteState);
  let gasUsed = ante.gasUsed;
  const events: AbciEvent[] = [...ante.events];
  try {
    tx.msgs.forEach((m, i) => {
      gasUsed += messageGas(m.typeUrl);
      if (ctx.mode === 'deliver' && gasUsed > gasWanted)
        throw new TxFailure(11, 'sdk', `out of gas in location: ${m.typeUrl}; gasWanted: ${gasWanted}, gasUsed: ${gasUsed}: out of gas`, 'OUT_OF_GAS');
      events.push(event('message', { action: m.typeUrl, sender: m.signer, module: 'proof', msg_index: String(i) }));
      try {
        events.push(...(m.kind === 'claim' ? handleCreateClaim(msgState, ctx.height, m.msg, i) : handleSubmitProof(msgState, ctx.height, m.msg, i)));
      } catch (e) {
        throw messageFailure(e, i);
      }
    });
  } catch (e) {
    if (e instanceof TxFailure) return { result: failed(e, gasWanted, gasUsed, ante.events), state: anteState };
    throw e;
  }
  const data = TxMsgData.encode({
    data: [],
    msgResponses: tx.msgs.map((m) => ({ typeUrl: `${m.typeUrl}Response`, value: new Uint8Array(0) })),
  }).finish();
  return { result: { code: 0, codespace: '', log: '', data, gasWanted, gasUsed, events }, state: msgState };
}
