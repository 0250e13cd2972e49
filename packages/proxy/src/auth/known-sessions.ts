/**
 * Sessions that passed authentication once. With lazy validation the server serves relays of these
 * eagerly (protocol.md §11); an entry lasts until end + 1 < current, as in Go.
 */
export class KnownSessions {
  readonly #endBySession = new Map<string, bigint>();

  get size(): number {
    return this.#endBySession.size;
  }

  add(sessionId: string, sessionEnd: bigint): void {
    this.#endBySession.set(sessionId, sessionEnd);
  }

  has(sessionId: string, currentHeight: bigint | undefined): boolean {
    const end = this.#endBySession.get(sessionId);
    if (end === undefined) return false;
    return currentHeight === undefined || !isStale(end, currentHeight);
  }

  prune(currentHeight: bigint): void {
    for (const [id, end] of this.#endBySession) if (isStale(end, currentHeight)) this.#endBySession.delete(id);
  }
}

function isStale(sessionEnd: bigint, currentHeight: bigint): boolean {
  return sessionEnd + 1n < currentHeight;
}
