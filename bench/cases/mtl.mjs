// @mtl/threads: `await pqdm(xs, fn, { nJobs: 2 })` (cold) or `pool.map(xs)` on a warmed-up Pool (warm).
// --backend tinypool runs the same scheduler over the experimental tinypool transport instead.
import { Pool, pqdm } from '@mtl/threads';
import burn from '../fixtures/burn.mjs';
import { args, check, inputs, mode, n, now, report, task, WARMUP } from './common.mjs';

const backend = args.backend ?? 'threads';
const fn = task === 'cpu' ? burn : (x) => x * x; // inline: sent to the workers as source text
let map = (xs, options) => pqdm(xs, fn, options);
let makePool = (options) => new Pool(fn, options);
if (backend === 'tinypool') {
  const { Pool: CorePool, runPqdm } = await import('@mtl/core');
  const { tinypoolBackend } = await import('../experiments/tinypool-transport.mjs');
  const probe = args.probe !== 'off';
  map = (xs, options) => runPqdm(tinypoolBackend, xs, fn, { ...options, probe });
  makePool = (options) => new CorePool(fn, { ...options, probe }, tinypoolBackend);
}

const xs = inputs();
let elapsed;
let extra = {};
if (mode === 'cold') {
  let last = 0;
  const onProgress = (done) => {
    if (done === n) last = now();
  };
  const t0 = now();
  const results = await map(xs, { nJobs: 2, onProgress });
  const settled = now() - t0;
  elapsed = last - t0; // to the last result; `await` also waits for the workers to stop
  extra = { settledMs: settled };
  check(results);
} else {
  const pool = makePool({ nJobs: 2 });
  await pool.map(inputs(WARMUP));
  const t0 = now();
  const results = await pool.map(xs);
  elapsed = now() - t0;
  check(results);
  await pool.close();
}
report(
  backend === 'threads' ? 'mtl pqdm' : `mtl over tinypool${args.probe === 'off' ? ' (no clone probes)' : ''}`,
  elapsed,
  extra,
);
