/** Wrapping messages in google.protobuf.Any, the form transactions carry them in. */
import { WireDecodeError } from './errors.js';
import type { Any } from './generated/google/protobuf/index.js';
import type { WireCodec } from './message.js';

/** `{ typeUrl: '/' + full name, value: canonical bytes }`. */
export function packWireAny<T>(codec: WireCodec<T>, message: T): Any {
  return { typeUrl: codec.typeUrl, value: codec.marshal(message) };
}

/** Decodes the Any's value as `codec`'s type; a different type URL is a WireDecodeError. */
export function unpackWireAny<T>(codec: WireCodec<T>, any: Any): T {
  if (any.typeUrl !== codec.typeUrl) {
    throw new WireDecodeError('wrong_type_url', codec.typeName, 0, `the Any holds ${JSON.stringify(any.typeUrl)}, expected ${JSON.stringify(codec.typeUrl)}`);
  }
  return codec.unmarshal(any.value);
}
