/** Typed errors of the localnet application. Messages never carry key material. */

/** A genesis document that cannot be used; `key` is the dotted path of the offending entry. */
export class GenesisError extends Error {
  override readonly name = 'GenesisError';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`genesis ${key}: ${detail}`);
  }
}

/** The node drove the app out of order (e.g. deliverTx before beginBlock). */
export class AppLifecycleError extends Error {
  override readonly name = 'AppLifecycleError';
}

/** A control call with arguments the app cannot apply. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
}

/**
 * A failure inside tx processing that ends up in an AbciTxResult: the ABCI code/codespace/log the
 * chain would report, plus our machine-readable reason for tests.
 */
export class TxFailure extends Error {
  override readonly name = 'TxFailure';
  constructor(
    readonly code: number,
    readonly codespace: string,
    readonly log: string,
    readonly rejectReason: string,
  ) {
    super(log);
  }
}

/** gRPC status codes a query or a message server can fail with. */
export type GrpcCode = 'NotFound' | 'InvalidArgument' | 'FailedPrecondition' | 'Internal' | 'Unknown' | 'Unauthenticated';

/**
 * A gRPC status error raised by a query handler or a message server. Its text is Go's
 * `status.Error(...).Error()`: "rpc error: code = X desc = <desc>".
 */
export class GrpcStatusError extends Error {
  override readonly name = 'GrpcStatusError';
  constructor(
    readonly grpcCode: GrpcCode,
    readonly desc: string,
    readonly rejectReason: string = grpcCode.toUpperCase(),
  ) {
    super(`rpc error: code = ${grpcCode} desc = ${desc}`);
  }
}

/** A module error as cosmos-sdk's errorsmod renders it: "<wrap text>: <registered description>". */
export function moduleErrorText(description: string, detail?: string): string {
  return detail ? `${detail}: ${description}` : description;
}
