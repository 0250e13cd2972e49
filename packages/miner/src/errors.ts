/**
 * Errors of the miner. None is thrown out of the pipeline: a relay that cannot be mined is dropped,
 * counted by reason and, when the caller asked, reported with one of these as its cause.
 */
export class MinerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request or the response fails the ValidateBasic the chain runs on a relay in a proof. */
export class InvalidRelayError extends MinerError {
  constructor(
    readonly part: 'request' | 'response',
    readonly problem: string,
  ) {
    super(`invalid_${part}`, `relay ${part} fails ValidateBasic: ${problem}`);
  }
}

/** The difficulty target or the compute units per relay of (service, session start) are not known. */
export class MiningLookupError extends MinerError {
  constructor(
    readonly serviceId: string,
    readonly sessionStartHeight: bigint,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super('lookup_failed', `mining parameters of ${serviceId} at height ${sessionStartHeight}: ${problem}`, options);
  }
}
