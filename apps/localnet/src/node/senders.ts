/**
 * Who sent a tx, for `txs({sender})` filtering. The node does not own tx semantics, so it reads the cheapest
 * evidence: `message.sender` / `tx.fee_payer` / `tx.acc_seq` from the app's events when there are any, and
 * otherwise field 1 of each message, which is the signer for the messages a relay miner sends
 * (supplier_operator_address) and for bank sends (from_address).
 */
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { AbciEvent } from '../abci.js';

const BECH32 = /^[a-z0-9]{1,83}1[02-9ac-hj-np-z]{6,}$/;

function firstStringField(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0x0a) return undefined; // field 1, length-delimited
  let len = 0;
  let shift = 0;
  let i = 1;
  for (; i < bytes.length && i < 6; i++) {
    const b = bytes[i]!;
    len |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  const start = i + 1;
  if (start + len > bytes.length || len > 200) return undefined;
  const s = Buffer.from(bytes.subarray(start, start + len)).toString('utf8');
  return BECH32.test(s) ? s : undefined;
}

export function sendersFromTx(tx: Uint8Array): string[] {
  try {
    const raw = TxRaw.decode(tx);
    const body = TxBody.decode(raw.bodyBytes);
    const out = new Set<string>();
    for (const msg of body.messages) {
      const s = firstStringField(msg.value);
      if (s) out.add(s);
    }
    return [...out];
  } catch {
    return [];
  }
}

export function sendersFromEvents(events: AbciEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    for (const a of e.attributes) {
      if ((e.type === 'message' && a.key === 'sender') || (e.type === 'tx' && a.key === 'fee_payer')) {
        if (BECH32.test(a.value)) out.add(a.value);
      } else if (e.type === 'tx' && a.key === 'acc_seq') {
        const addr = a.value.split('/')[0] ?? '';
        if (BECH32.test(addr)) out.add(addr);
      }
    }
  }
  return [...out];
}
