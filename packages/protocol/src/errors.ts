/**
 * Every error this package throws is a ProtocolError. `code` is stable and machine-readable;
 * messages say which input was wrong and never carry key material.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument of the wrong shape or range (lengths, heights, scalars, params). */
export class InvalidArgumentError extends ProtocolError {
  constructor(message: string) {
    super('invalid_argument', message);
  }
}
