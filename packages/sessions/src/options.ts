import type { ClaimProofSubmitter, SessionsChain } from './types.js';

export interface SessionsManagerOptions {
  /** LevelDB directory (`smt_store_path`): relay log and session records. Created when missing. */
  readonly storePath: string;
  readonly chain: SessionsChain;
  /** The claim/proof tx client of an operator address (e.g. `chain.txClientFor(keyRing.privateKeyOf(addr))`). */
  readonly txClientFor: (operatorAddress: string) => ClaimProofSubmitter | Promise<ClaimProofSubmitter>;
  /**
   * fsync every group commit of the relay log. Without it a relay survives a crash of the process
   * (it is in the OS's page cache) but not of the machine. Default false.
   */
  readonly fsync?: boolean;
  /** Most relays written in one group commit. Default 4096. */
  readonly maxGroupCommit?: number;
  /** Tries per claim or proof batch while its window is open. Default 3. */
  readonly submitAttempts?: number;
  /** §6.5: skip claims worth ≤ 2 uPOKT or that the balance cannot back. Default true. */
  readonly profitabilityFilter?: boolean;
}
