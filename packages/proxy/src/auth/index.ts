export { ChainRelayAuthenticator } from './chain-relay-authenticator.js';
export type { ChainRelayAuthenticatorOptions, RelayAuthQueries } from './chain-relay-authenticator.js';
export { validateRelayRequestBasic, sessionHeaderProblem } from './validate-basic.js';
export { REGISTERED_RELAY_ERRORS, relayError, unregisteredRelayError } from './relay-errors.js';
export type { RegisteredRelayError } from './relay-errors.js';
export { relayErrorFromChainFailure } from './chain-failure.js';
export { RingCache, RingUnavailableError } from './ring-cache.js';
export type { RingQueries } from './ring-cache.js';
export { KnownSessions } from './known-sessions.js';
