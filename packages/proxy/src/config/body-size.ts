/**
 * Body size limits as the Go relay miner writes them: an integer and a unit, binary multiples
 * (its "MB" is 1 048 576 bytes), nothing else (no spaces, decimals or lower case).
 */
const SIZE = /^(\d+)(B|KB|MB|GB|TB)$/;
const UNIT: Record<string, bigint> = { B: 1n, KB: 1n << 10n, MB: 1n << 20n, GB: 1n << 30n, TB: 1n << 40n };

/** Bytes of a size string, or undefined when it does not match `^\d+(B|KB|MB|GB|TB)$` or is unreasonably large. */
export function parseBodySize(text: string): number | undefined {
  const m = SIZE.exec(text);
  if (!m) return undefined;
  const bytes = BigInt(m[1]!) * UNIT[m[2]!]!;
  return bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : undefined;
}
