// Progress where stderr is not a terminal (a pipe, a CI log), and your own display with onProgress.
// Usage: node docs/examples/progress.mjs 2>&1 | cat
import { pqdm } from '@mtl/threads';

const items = Array.from({ length: 250 }, (_, i) => i);
const check = async (x) => {
  await new Promise((resolve) => setTimeout(resolve, 10)); // self-contained: no outer names
  if (x % 100 === 3) throw new Error(`item ${x} is bad`);
  return x;
};

// Not on a terminal: nothing by default. `progress: true` prints a plain line every 5 s and one at
// the end; `notTTYSchedule` sets another interval (ms).
await pqdm(items, check, { nJobs: 2, desc: 'sized', progress: { notTTYSchedule: 500 } });

// Your own display: called once per result, with the count so far and the total.
let last = '';
await pqdm(items.slice(0, 40), check, {
  nJobs: 2,
  disable: true,
  onProgress: (done, total) => {
    last = `${done} of ${total}`;
  },
});
console.log(`onProgress said: ${last}`);
