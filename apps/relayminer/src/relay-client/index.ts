export { sendRelays } from './send-relays.js';
export { relayCommand, formatRelayReport, RELAY_USAGE } from './cli.js';
export type { RelayClientOptions, RelayClientReport, RelayOutcome } from './types.js';
export { ethBlockNumberBody, jsonPostEnvelope, signedRelayRequest } from './relay-request.js';
export { judgeRelayReply } from './relay-reply.js';
export { parsePrivateKeyHex, readPrivateKeyFile, readPrivateKeyStdin, KeyInputError } from './private-key-input.js';
