export { RelayerSessionsManager, type AppendResult } from './manager.js';
export { SessionTree } from './session-tree.js';
export { classifyRecoveredSession, type RecoveryDecision, type RecoveryInput } from './recovery.js';
export { SessionsError, SessionStoreError, SessionRecordError, RelayRejectedError } from './errors.js';
export type { SessionsManagerOptions } from './options.js';
export type * from './types.js';
