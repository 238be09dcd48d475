// Streaming and memory, measured: the window, completion order, bounded: false, and a readline input.
// Usage: node docs/examples/streaming.mjs
import { once } from 'node:events';
import { createReadStream, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { delayedInit, pqdm } from '@mtl/threads';

// 1. An endless input and a slow consumer: the map pulls at most a window of inputs ahead of you.
let pulled = 0;
function* naturals() {
  for (let i = 0; ; i++) {
    pulled++;
    yield i;
  }
}
let taken = 0;
let ahead = 0;
const windowed = { nJobs: 2, chunkSize: 4, chunkPrefillRatio: 2, onProgress: (done) => (taken = done) };
for await (const _ of pqdm(naturals(), (x) => x * 2, windowed)) {
  ahead = Math.max(ahead, pulled - taken);
  await sleep(1); // a slow consumer
  if (taken === 200) break;
}
console.log(`window 8: took ${taken} results, pulled ${pulled} inputs, at most ${ahead} ahead`);

// 2. ordered: false hands results over as they complete; ordered (the default) waits for the slow one.
const slowFirst = async (x) => {
  await new Promise((resolve) => setTimeout(resolve, x === 0 ? 300 : 10));
  return x;
};
console.log(`ordered: ${await pqdm([0, 1, 2, 3, 4, 5], slowFirst, 2)}`);
console.log(`ordered: false: ${await pqdm([0, 1, 2, 3, 4, 5], slowFirst, { nJobs: 2, ordered: false })}`);

// 3. bounded: false reads the whole input at the first next(), then streams the results as usual.
pulled = 0;
function* thousand() {
  for (let i = 0; i < 1000; i++) {
    pulled++;
    yield i;
  }
}
const eager = pqdm(thousand(), (x) => x, { nJobs: 2, bounded: false })[Symbol.asyncIterator]();
await eager.next();
console.log(`bounded: false: ${pulled} inputs pulled for the first result`);
await eager.return();

// 4. A readline interface drops the lines it reads before its async iterator exists...
const N = 200_000;
const file = join(await mkdtemp(join(tmpdir(), 'mtl-streaming-')), 'lines.txt');
writeFileSync(file, Array.from({ length: N }, (_, i) => `line ${i}\n`).join(''));
const late = createInterface({ input: createReadStream(file) });
await once(late, 'line'); // some lines go by before anyone iterates
let seen = 0;
for await (const _ of late) seen++;
console.log(`readline, iterated late: ${seen} of ${N} lines`);

// ...so mtl asks for the iterator at your first next(), without waiting for its workers to start.
const slowStart = delayedInit(async (ms) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (line) => line.length;
});
const lines = createInterface({ input: createReadStream(file) });
let count = 0;
for await (const _ of pqdm(lines, slowStart(300), 2)) count++;
console.log(`mtl over readline, workers starting in 300 ms: ${count} of ${N} lines`);

// 5. A worker runs one item at a time, async ones too: with 2 workers, at most 2 items are in progress.
const wait = async () => {
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return [start, Date.now()];
};
const spans = await pqdm(
  Array.from({ length: 10 }, (_, i) => i),
  wait,
  2,
);
const overlap = Math.max(...spans.map(([t]) => spans.filter(([s, e]) => s <= t && t < e).length));
console.log(`10 async items on 2 workers: at most ${overlap} in progress at once`);
