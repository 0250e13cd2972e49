/** ABCI event builders in the shapes cosmos-sdk emits (chain.md §6.4). */
import type { AbciEvent } from '../abci.js';

export function event(type: string, attrs: Record<string, string>): AbciEvent {
  return { type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index: true })) };
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/**
 * A typed event (EmitTypedEvent): each attribute value is the proto-JSON of the field, so strings
 * and uint64s arrive quoted and enums as their number here (the `_int` fields are plain ints).
 */
export function typedEvent(type: string, fields: Record<string, JsonValue | bigint>, msgIndex?: number): AbciEvent {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) attrs[k] = typeof v === 'bigint' ? JSON.stringify(v.toString()) : JSON.stringify(v);
  if (msgIndex !== undefined) attrs.msg_index = String(msgIndex);
  return event(type, attrs);
}
