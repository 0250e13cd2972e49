/** Errors of the sessions package. None carries key material. */
export class SessionsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The LevelDB store could not be opened, read or written. */
export class SessionStoreError extends SessionsError {}

/** A persisted session record does not decode (written by another version, or damaged). */
export class SessionRecordError extends SessionsError {}

/** A relay was refused: its session no longer takes relays, or it is malformed. */
export class RelayRejectedError extends SessionsError {
  constructor(
    readonly reason: 'session_closed' | 'invalid_relay' | 'store_failed' | 'closed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
