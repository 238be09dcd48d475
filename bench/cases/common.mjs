// What every case shares: the inputs of a task, the check of its results, the one JSON line it prints.
import { performance } from 'node:perf_hooks';
import burn from '../fixtures/burn.mjs';
import { caseArgs } from '../lib/harness.mjs';

export const args = caseArgs();
export const mode = args.mode ?? 'cold'; // cold: from pool construction; warm: after WARMUP items on the same pool
export const task = args.task ?? 'trivial'; // trivial: x => x*x; cpu: burn(iters), about 5 ms each
export const n = Number(args.n ?? (task === 'cpu' ? 200 : 100_000));
export const iters = Number(args.iters ?? 4_000_000);
export const WARMUP = task === 'cpu' ? 4 : 1000;
export const now = () => performance.now();

export const fixture = (name) => new URL(`../fixtures/${name}.mjs`, import.meta.url);
export const fixtureName = task === 'cpu' ? 'burn' : 'square';

/** The n inputs of the task (and a warm-up set). */
export const inputs = (count = n) =>
  task === 'cpu' ? new Array(count).fill(iters) : Array.from({ length: count }, (_, i) => i);

/** Throws unless the results are right and in input order. */
export function check(results) {
  if (results.length !== n) throw new Error(`expected ${n} results, got ${results.length}`);
  const want = task === 'cpu' ? burn(iters) : undefined;
  for (let i = 0; i < n; i++) {
    if (results[i] !== (want ?? i * i)) throw new Error(`wrong result at ${i}: ${results[i]}`);
  }
}

/** Prints the measurement as one JSON line: ms from start to the last result, items/s. */
export function report(name, msElapsed, extra = {}) {
  console.log(JSON.stringify({ name, mode, task, n, ms: msElapsed, rate: (n / msElapsed) * 1000, ...extra }));
}

/** Runs `inputs` through `run(x)` with at most `window` calls in flight (0: all at once). */
export async function feed(run, xs, window) {
  if (!window) return Promise.all(xs.map((x) => run(x)));
  const out = new Array(xs.length);
  let next = 0;
  const lane = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await run(xs[i]);
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return out;
}
