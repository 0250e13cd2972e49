/**
 * Binds a ts-proto message type to the gogoproto-exact codec. The generated package barrels export one of
 * these per message under the message's own name, so `RelayRequest` is both the ts-proto interface and an
 * object with ts-proto's create/fromPartial/fromJSON/toJSON plus our encode/decode. Its shape is the one
 * ts-proto generates (`encode(msg).finish()`, `decode(bytes)`, `fromPartial`), so a cosmjs `Registry`
 * accepts it (after the usual `as unknown as GeneratedType` cast under NodeNext).
 */
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { InvalidArgumentError } from '../errors.js';
import { decodeWireMessage } from './decode.js';
import { encodeWireMessage } from './encode.js';

export interface WireCodec<T> {
  /** Full protobuf name, e.g. `pocket.proof.MsgCreateClaim`. */
  readonly typeName: string;
  /** `/` + typeName: the type URL of a google.protobuf.Any holding this message. */
  readonly typeUrl: string;
  /** The canonical bytes: exactly what Go's gogoproto Marshal() produces for the same value. */
  marshal(message: T): Uint8Array;
  /** Decodes like Go's gogoproto Unmarshal(): same accepted inputs, same resulting value. */
  unmarshal(bytes: Uint8Array): T;
  /** ts-proto / cosmjs shape of `marshal`: appends the canonical bytes to `writer`. */
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  /** ts-proto / cosmjs shape of `unmarshal`; from a BinaryReader it consumes `length` bytes (default: the rest). */
  decode(input: BinaryReader | Uint8Array, length?: number): T;
}

const byTypeName = new Map<string, WireCodec<unknown>>();

export function defineWireMessage<T, F extends object>(typeName: string, tsProto: F): F & WireCodec<T> {
  const codec: WireCodec<T> = {
    typeName,
    typeUrl: `/${typeName}`,
    marshal: (message) => encodeWireMessage(typeName, message),
    unmarshal: (bytes) => decodeWireMessage(typeName, bytes) as T,
    encode(message, writer = new BinaryWriter()) {
      return writer.raw(encodeWireMessage(typeName, message));
    },
    decode(input, length) {
      if (input instanceof Uint8Array) return decodeWireMessage(typeName, input, 0, length ?? input.length) as T;
      // BinaryReader keeps its buffer in a TS-private field; reading it is the only way to decode in place.
      const buf = (input as unknown as { buf?: unknown }).buf;
      if (!(buf instanceof Uint8Array)) throw new InvalidArgumentError(`decode ${typeName}: expected a Uint8Array or a @bufbuild/protobuf BinaryReader`);
      const end = length === undefined ? input.len : input.pos + length;
      if (end > input.len || end < input.pos) throw new InvalidArgumentError(`decode ${typeName}: length ${length} is outside the reader`);
      const value = decodeWireMessage(typeName, buf, input.pos, end - input.pos) as T;
      input.pos = end;
      return value;
    },
  };
  const bound = Object.freeze({ ...tsProto, ...codec });
  byTypeName.set(typeName, bound as WireCodec<unknown>);
  return bound;
}

/** The codec of a message type by full protobuf name, or undefined when proto/ does not declare it. */
export function wireCodecFor(typeName: string): WireCodec<unknown> | undefined {
  return byTypeName.get(typeName);
}
