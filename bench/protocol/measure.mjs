// Throughput of a synchronous operation: `reps` timed batches of `batch` calls after a warm-up;
// the median batch gives ops/s (medians resist the noise of a shared machine).
export function opsPerSecond(fn, { batch = 200, reps = 7, warmup = 1 } = {}) {
  for (let i = 0; i < warmup * batch; i++) fn(i);
  const rates = [];
  let k = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn(k++);
    const ns = Number(process.hrtime.bigint() - t0);
    rates.push((batch * 1e9) / ns);
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1];
}
