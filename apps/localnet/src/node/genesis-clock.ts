/**
 * The two genesis fields the node itself needs (the clock origin and the block interval), read from
 * whatever object the app's genesis loader produced, in either snake or camel case.
 */
export const DEFAULT_GENESIS_TIME_MS = Date.parse('2025-01-01T00:00:00Z');
export const DEFAULT_BLOCK_INTERVAL_MS = 1000;

export interface GenesisClock {
  genesisTimeMs?: number;
  blockTimeMs?: number;
}

function pick(obj: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (obj[n] !== undefined) return obj[n];
  return undefined;
}

export function toTimeMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export function genesisClock(genesis: unknown): GenesisClock {
  if (typeof genesis !== 'object' || genesis === null) return {};
  const g = genesis as Record<string, unknown>;
  const bt = pick(g, 'block_time_ms', 'blockTimeMs');
  const blockTimeMs = typeof bt === 'number' ? bt : typeof bt === 'bigint' ? Number(bt) : typeof bt === 'string' && /^\d+$/.test(bt) ? Number(bt) : undefined;
  return { genesisTimeMs: toTimeMs(pick(g, 'genesis_time', 'genesisTime', 'genesisTimeMs')), blockTimeMs };
}
