import { ProtocolError } from '../errors.js';

/** Why Go's gogoproto Unmarshal would refuse the bytes (the reasons it distinguishes). */
export type WireDecodeReason =
  | 'truncated'
  | 'varint_overflow'
  | 'invalid_length'
  | 'wrong_wire_type'
  | 'illegal_tag'
  | 'end_group'
  | 'illegal_wire_type'
  | 'wrong_type_url';

/**
 * Bytes that Go's gogoproto Unmarshal rejects (or an Any holding another type). `offset` is the byte
 * position in the caller's input where the problem was found.
 */
export class WireDecodeError extends ProtocolError {
  constructor(
    readonly reason: WireDecodeReason,
    readonly typeName: string,
    readonly offset: number,
    detail: string,
  ) {
    super('wire_decode', `cannot decode ${typeName}: ${detail} (at byte ${offset})`);
  }
}

/** A message value that cannot be encoded: wrong JS type or out of range for its protobuf type. */
export class WireEncodeError extends ProtocolError {
  constructor(
    readonly typeName: string,
    readonly fieldName: string,
    detail: string,
  ) {
    super('wire_encode', `cannot encode ${typeName}.${fieldName}: ${detail}`);
  }
}
