// Wire types and their canonical (gogoproto-exact) encoding.
//
// Export scheme for the generated types: every message and enum of proto/ is reachable under its full
// protobuf name through the namespaces `pocket`, `cosmos`, `google` and `sdk` (e.g. `pocket.shared.Params`,
// `cosmos.base.v1beta1.Coin`), which keeps same-named types of different packages apart. The messages
// whose bytes are hashed or signed, plus the HTTP envelopes, are also exported flat under their own names.
// Each message name is both the ts-proto interface and its codec object (see message.ts).
export { cosmos, google, pocket, sdk } from './generated/index.js';
export {
  Relay,
  RelayMinerError,
  RelayMiningDifficulty,
  RelayRequest,
  RelayRequestMetadata,
  RelayResponse,
  RelayResponseMetadata,
} from './generated/pocket/service/index.js';
export { SessionHeader } from './generated/pocket/session/index.js';
export { Claim, MsgCreateClaim, MsgSubmitProof, Proof } from './generated/pocket/proof/index.js';
export { POKTHTTPRequest, POKTHTTPResponse } from './generated/sdk/types/index.js';

export { wireSchema, wireMethods } from './generated/schema.js';
export type { WireSchema, WireFieldSpec, WireScalarKind } from './schema.js';
export { isWireMessageType } from './schema.js';
export { defineWireMessage, wireCodecFor } from './message.js';
export type { WireCodec } from './message.js';
export { encodeWireMessage } from './encode.js';
export { decodeWireMessage } from './decode.js';
export { WireDecodeError, WireEncodeError } from './errors.js';
export type { WireDecodeReason } from './errors.js';
export { packWireAny, unpackWireAny } from './any.js';
export { goStringFromBytes, goStringToBytes } from './go-string.js';
