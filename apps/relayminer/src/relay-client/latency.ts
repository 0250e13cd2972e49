/** Latency percentiles by nearest rank over every settled relay (small runs: keeping them all is cheap). */
export function latencyPercentiles(samplesMs: number[]): { p50: number; p90: number; p99: number } {
  if (samplesMs.length === 0) return { p50: 0, p90: 0, p99: 0 };
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number): number => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
  return { p50: at(50), p90: at(90), p99: at(99) };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
