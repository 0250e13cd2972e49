/** Every error this package throws is an SmstError; `code` is stable, messages never carry secrets. */
export class SmstError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Delete or prove of a key that is not in the trie (Go: `key not found`). */
export class KeyNotFoundError extends SmstError {
  constructor(message = 'key not found') {
    super('key_not_found', message);
  }
}

/** An argument of the wrong shape (path not 32 bytes, root not 48 bytes, payload too short …). */
export class InvalidInputError extends SmstError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}

/** A node the trie needs is missing from the store or does not parse. */
export class StoreCorruptionError extends SmstError {
  constructor(message: string) {
    super('store_corruption', message);
  }
}

/** A proof that is malformed (Go: `bad proof`), does not decode, or cannot be decompacted. */
export class BadProofError extends SmstError {
  constructor(message: string) {
    super('bad_proof', message);
  }
}

/** Gob bytes that do not decode into the expected proof type. */
export class GobDecodeError extends SmstError {
  constructor(message: string) {
    super('gob_decode', message);
  }
}
