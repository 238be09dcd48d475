// The README demo: a parallel map with stateful workers over a stream of text lines, with a
// progress bar that knows its total. Run it with `npm run demo`.
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { delayedInit, pqdm } from '@mtl/threads';

const LINES = 200_000;
const words = [
  'the',
  'quick',
  'brown',
  'fox',
  'jumps',
  'over',
  'a',
  'lazy',
  'dog',
  'and',
  'runs',
  'to',
  'the',
  'river',
];

// A text file to stream from, written once.
const file = join(mkdtempSync(join(tmpdir(), 'mtl-demo-')), 'lines.txt');
const out = createWriteStream(file);
for (let i = 0; i < LINES; i++) {
  if (
    !out.write(`${Array.from({ length: 8 + (i % 9) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ')}\n`)
  ) {
    await once(out, 'drain');
  }
}
out.end();
await once(out, 'finish');

// One spec per worker, each with its own init args: a worker id and a 300 ms load.
const WordStats = delayedInit(new URL('./word-stats.mjs', import.meta.url).href, 'createWordStats');
const workers = [0, 1, 2, 3].map((id) => WordStats(id, 300));

const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
const started = performance.now();
let total = 0;
let content = 0;
const byWorker = new Map();
console.log(`Scoring ${LINES.toLocaleString()} streamed lines on ${workers.length} stateful worker threads:`);
for await (const r of pqdm(lines, workers, { desc: 'lines', total: LINES, progress: true })) {
  total += r.words;
  content += r.content;
  byWorker.set(r.worker, (byWorker.get(r.worker) ?? 0) + 1);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${LINES.toLocaleString()} lines, ${total.toLocaleString()} words (${content.toLocaleString()} content words) in ${seconds.toFixed(2)} s`,
);
console.log(`lines per worker: ${[...byWorker].map(([id, n]) => `#${id}: ${n}`).join(', ')}`);
