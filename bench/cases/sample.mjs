// One sample of the suite, in a fresh process; prints one JSON line (see lib/harness.mjs `runCase`).
//   node bench/cases/sample.mjs --runner <name> --measure <throughput|first|startup|stream> [--task trivial]
//     [--n 100000] [--jobs 2] [--cold 1] [--warmup 1000] [--iters N] [--window 0] [--batch 1] [--inflight 2]
//     [--serialization advanced|json] [--init-ms 200] [--pause-every 1000] [--move 1]
// throughput: a map over n items on a warm pool (after --warmup items; with --cold 1, after a first,
//   timed map of the same n items from construction instead).
// first: from construction to the result of a map of one item (cold start), and the import time.
// startup: construction takes --init-ms in each worker; time to the first result and to the last of n.
// calibrate: the iterations of burn() that take --ms (5) ms in this thread; prints { iters, ms }.
// stream: n items from a generator through a warm pool, the consumer pausing 1 ms every --pause-every
//   items; peak RSS of this process over its RSS before the map.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { caseArgs } from '../lib/harness.mjs';
import { runners } from './runners.mjs';
import { check, functions, inputs } from './tasks.mjs';

const a = caseArgs();
const num = (key, fallback) => (a[key] === undefined ? fallback : Number(a[key]));
const task = a.task ?? 'trivial';
const n = num('n', 100_000);
const iters = num('iters', 0);
const options = {
  task,
  jobs: num('jobs', 2),
  initMs: num('init-ms', 0),
  window: num('window', 0),
  batch: num('batch', 1),
  inflight: num('inflight', 2),
  serialization: a.serialization,
  // Move the inputs instead of copying them (mtl's transfer(), piscina's move(), a transfer list).
  move: a.move === '1',
};
const now = () => performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const print = (result) => console.log(JSON.stringify({ runner: a.runner, task, n, ...result }));

if (a.measure === 'calibrate') {
  const burn = functions.cpu;
  const timeOf = (iters) => {
    const ms = [];
    for (let k = 0; k < 7; k++) {
      const t0 = now();
      burn(iters);
      ms.push(now() - t0);
    }
    return ms.sort((x, y) => x - y)[3];
  };
  timeOf(1e6);
  let iters = 1e6;
  for (let k = 0; k < 2; k++) iters = Math.round((iters * num('ms', 5)) / timeOf(iters));
  print({ iters, ms: timeOf(iters) });
  process.exit(0);
}

let t = now();
const make = await runners[a.runner]();
const importMs = now() - t;

if (a.measure === 'throughput') {
  const xs = inputs(task, n, iters);
  t = now();
  const pool = make(options);
  let coldMs;
  if (a.cold) {
    check(task, xs, await pool.map(xs));
    coldMs = now() - t;
  } else await pool.map(inputs(task, num('warmup', 1000), iters));
  // Moved inputs are left empty in this thread: check against copies of them.
  const expected = options.move ? xs.map((x) => x.slice()) : xs;
  t = now();
  const results = await pool.map(xs);
  const ms = now() - t;
  check(task, expected, results);
  await pool.close();
  print({ ms, rate: (n / ms) * 1000, coldMs, coldRate: coldMs && (n / coldMs) * 1000 });
} else if (a.measure === 'first') {
  t = now();
  const pool = make(options);
  const results = await pool.map([3]);
  const firstMs = now() - t;
  check('trivial', [3], results);
  await pool.close();
  print({ importMs, firstMs });
} else if (a.measure === 'startup') {
  process.env.BENCH_INIT_MS = String(options.initMs); // read by the peers' and the raw floor's workers
  const xs = inputs('trivial', n);
  let firstMs;
  t = now();
  const pool = make(options);
  const results = await pool.map(xs, () => {
    firstMs ??= now() - t;
  });
  const totalMs = now() - t;
  check('trivial', xs, results);
  await pool.close();
  print({ firstMs, totalMs });
} else if (a.measure === 'stream') {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const pauseEvery = num('pause-every', 1000);
  const pool = make(options);
  await pool.map(inputs('trivial', 1000)); // the workers are up
  gc();
  await sleep(50);
  gc();
  const mb = (bytes) => bytes / 2 ** 20;
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampleRss = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sampleRss, 10);
  function* generate() {
    for (let i = 0; i < n; i++) yield i;
  }
  let i = 0;
  t = now();
  for await (const y of pool.stream(generate())) {
    if (y !== i * i) throw new Error(`wrong result at ${i}: ${y}`);
    if (++i % pauseEvery === 0) {
      sampleRss();
      await sleep(1);
    }
  }
  const ms = now() - t;
  clearInterval(timer);
  sampleRss();
  if (i !== n) throw new Error(`expected ${n} results, got ${i}`);
  await pool.close();
  print({ ms, rate: (n / ms) * 1000, baseMB: mb(base), peakMB: mb(peak), growthMB: mb(peak - base) });
} else throw new Error(`unknown --measure ${a.measure}`);
