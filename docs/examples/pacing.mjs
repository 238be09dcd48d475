// The pacing examples of docs/retries-and-pacing.md: rateLimit on a map and on a Pool, and async
// items that overlap in a worker (concurrentTasksPerWorker).
// Usage: node docs/examples/pacing.mjs
import { delayedInit, Pool, pqdm } from '@mtl/threads';

// When an item started, read in its worker: a clock that every thread of the process shares.
const startedAt = () => performance.timeOrigin + performance.now();
/** The most starts that fall within one second of each other. */
const busiestSecond = (starts) => Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + 1000).length));
const items = (n) => Array.from({ length: n }, (_, i) => i);

// 1. A map's own rateLimit: 10 starts a second, spaced evenly.
const starts = await pqdm(items(12), startedAt, { nJobs: 2, rateLimit: 10 });
console.log(`one map, rateLimit 10: at most 11 starts in any second: ${busiestSecond(starts) <= 11}`);

// 2. A Pool's rateLimit is shared by all its maps; a map's own paces that map alone.
const paced = new Pool(startedAt, { nJobs: 2, rateLimit: 10 });
const both = await Promise.all([paced.map(items(6)), paced.map(items(6))]);
await paced.close();
console.log(`a Pool with rateLimit 10, two maps: at most 11 starts in any second: ${busiestSecond(both.flat()) <= 11}`);
const free = new Pool(startedAt, { nJobs: 2 });
const each = await Promise.all([free.map(items(8), { rateLimit: 10 }), free.map(items(8), { rateLimit: 10 })]);
await free.close();
console.log(`two maps with rateLimit 10 each: more than 11 starts in one second: ${busiestSecond(each.flat()) > 11}`);

// 3. concurrentTasksPerWorker: an async call overlaps with others in the same worker, and in the same
// instance: `running` counts the calls in progress in this one.
class Client {
  constructor() {
    this.running = 0;
    this.peak = 0;
  }
  async call(ms) {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    await new Promise((resolve) => setTimeout(resolve, ms)); // a request that waits on the network
    this.running--;
    return ms;
  }
  close() {
    return this.peak;
  }
}
const pool = new Pool(delayedInit(Client)(), { nJobs: 2, concurrentTasksPerWorker: 5 });
const began = Date.now();
await pool.map(Array.from({ length: 40 }, () => 200));
const ms = Date.now() - began;
console.log(`40 waits of 200 ms on 2 workers: done in less than 2 s (4 s one at a time per worker): ${ms < 2000}`);
console.log(`calls in progress at once in each instance, at most: ${(await pool.close()).join(', ')}`);
