/**
 * Fault switches a test flips through the handle. The chain and the transports consult them at the point
 * where a real node would misbehave, so a fault looks like the real failure from the client's side.
 */
import type { AbciTxResult } from '../abci.js';

export type EventKind = 'NewBlockHeader' | 'NewBlock' | 'Tx';

export interface MuteSpec {
  /** Which event stream to silence; all of them when left out. */
  kind?: EventKind;
  /** The heights whose events are swallowed: a list, or an inclusive range. */
  heights: number[] | { from: number; to: number };
}

interface QueryFailure {
  pattern: RegExp;
  code: number;
  log: string;
}

export class Faults {
  private dropBroadcasts = 0;
  private readonly rejects: AbciTxResult[] = [];
  private readonly delays = new Map<string, number>();
  private readonly mutes = new Set<MuteSpec>();
  private readonly queryFailures = new Set<QueryFailure>();
  latencyMs = 0;

  dropNextBroadcast(): void {
    this.dropBroadcasts++;
  }

  takeDrop(): boolean {
    if (this.dropBroadcasts === 0) return false;
    this.dropBroadcasts--;
    return true;
  }

  rejectNextCheckTx(code: number, log: string, codespace: string): void {
    this.rejects.push({
      code,
      codespace,
      log,
      data: new Uint8Array(),
      gasWanted: 0n,
      gasUsed: 0n,
      events: [],
      rejectReason: 'INJECTED_CHECK_TX_REJECTION',
    });
  }

  takeReject(): AbciTxResult | undefined {
    return this.rejects.shift();
  }

  delayInclusion(hash: string, blocks: number): void {
    this.delays.set(hash.toUpperCase(), blocks);
  }

  takeDelay(hash: string): number {
    const n = this.delays.get(hash) ?? 0;
    this.delays.delete(hash);
    return n;
  }

  muteEvents(spec: MuteSpec): () => void {
    this.mutes.add(spec);
    return () => this.mutes.delete(spec);
  }

  isMuted(kind: EventKind, height: number): boolean {
    for (const m of this.mutes) {
      if (m.kind && m.kind !== kind) continue;
      const hit = Array.isArray(m.heights) ? m.heights.includes(height) : height >= m.heights.from && height <= m.heights.to;
      if (hit) return true;
    }
    return false;
  }

  failQueries(pattern: RegExp | string, code: number, log?: string): () => void {
    const f: QueryFailure = {
      pattern: typeof pattern === 'string' ? new RegExp(pattern) : pattern,
      code,
      log: log ?? `localnet: injected failure for this query path (code ${code})`,
    };
    this.queryFailures.add(f);
    return () => this.queryFailures.delete(f);
  }

  queryFailure(path: string): { code: number; log: string } | undefined {
    for (const f of this.queryFailures) if (f.pattern.test(path)) return f;
    return undefined;
  }

  clear(): void {
    this.dropBroadcasts = 0;
    this.rejects.length = 0;
    this.delays.clear();
    this.mutes.clear();
    this.queryFailures.clear();
    this.latencyMs = 0;
  }
}
