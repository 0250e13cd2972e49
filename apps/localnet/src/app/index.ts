export { loadGenesis, validateSharedParams } from './genesis.js';
export type {
  Genesis,
  GenesisAccount,
  GenesisApplication,
  GenesisDifficulty,
  GenesisService,
  GenesisSupplier,
  GenesisSupplierService,
  ProofParams,
  ScheduledChange,
  ServiceParams,
  SessionParams,
  SharedParams,
} from './genesis.js';
export { createLocalnetApp } from './app.js';
export type { PocketLocalnetApp } from './app.js';
export type { LocalnetAppControl } from './control.js';
export type { ClaimRecord, ClaimStatus, ProofRecord, SettlementRecord } from './state.js';
export { GenesisError, AppLifecycleError, ControlError } from './errors.js';
export { QUERY_PATHS } from './queries.js';
export { FEE_COLLECTOR_ADDRESS } from './ante.js';
export { GAS_ANTE_BASE, GAS_PER_BYTE, GAS_PER_SIGNATURE, totalGas } from './gas.js';
