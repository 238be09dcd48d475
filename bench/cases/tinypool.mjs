// tinypool (thread runtime), 2 threads: all tasks at once (--window 0) or at most --window in flight.
import Tinypool from 'tinypool';
import { args, check, feed, fixture, fixtureName, inputs, mode, now, report, WARMUP } from './common.mjs';

const window = Number(args.window ?? 0);
const xs = inputs();
const t0 = now();
const pool = new Tinypool({ filename: fixture(fixtureName).href, minThreads: 2, maxThreads: 2, idleTimeout: 60_000 });
const run = (x) => pool.run(x);
let start = t0;
if (mode === 'warm') {
  await feed(run, inputs(WARMUP), window);
  start = now();
}
const results = await feed(run, xs, window);
const elapsed = now() - start;
check(results);
await pool.destroy();
report(window ? `tinypool, window ${window}` : 'tinypool, all at once', elapsed);
