// Large items from a generator (no length, so no tail splitting): 400 fresh 1 MB Float64Arrays through a
// warm pool of 2 threads; MB/s and the peak RSS growth of the process. Shows what the batch sizing does to
// large items: it keeps about one per message (COPY_BUDGET_MS in core/src/scheduler/map-run.ts).
// Usage: node bench/experiments/payload-stream.mjs [--runs 5]
import { Pool } from '@mtl/threads';
import checksum from '../fixtures/checksum.mjs';
import { caseArgs, median } from '../lib/harness.mjs';

const ITEMS = 400;
const args = caseArgs();

async function once() {
  const pool = new Pool(checksum, { nJobs: 2, disable: true });
  await pool.map([new Float64Array(16)]);
  function* arrays() {
    for (let i = 0; i < ITEMS; i++) {
      const a = new Float64Array(131_072);
      a[0] = i;
      yield a;
    }
  }
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const t0 = performance.now();
  let n = 0;
  for await (const _ of pool.map(arrays())) n++;
  const ms = performance.now() - t0;
  clearInterval(timer);
  await pool.close();
  if (n !== ITEMS) throw new Error(`got ${n} results`);
  return { mbs: (ITEMS * 1.048576) / (ms / 1000), rssMb: (peak - base) / 2 ** 20 };
}

const runs = Number(args.runs ?? 5);
const samples = [];
for (let r = 0; r < runs; r++) samples.push(await once());
const f = (key) => median(samples.map((s) => s[key])).toFixed(0);
console.log(
  `${ITEMS} × 1 MB Float64Array from a generator, 2 threads, ${runs} runs (median): ${f('mbs')} MB/s, peak RSS growth ${f('rssMb')} MB`,
);
