// Stateful workers: per-worker args, close(), factories, and a Pool that keeps its workers' state.
// Usage: node docs/examples/stateful.mjs
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayedInit, Pool, pqdm } from '@mtl/threads';

const dir = await mkdtemp(join(tmpdir(), 'mtl-stateful-'));
const words = Array.from({ length: 1000 }, (_, i) => `word-${i}`);

// 1. One spec per worker, each with its own args: three workers, three files.
const ShardWriter = delayedInit(new URL('./shard-writer.mjs', import.meta.url), 'ShardWriter');
const files = [0, 1, 2].map((id) => join(dir, `shard-${id}.txt`));
await pqdm(
  words,
  files.map((file) => ShardWriter(file)),
);
// Every worker's close() has run by now: the files are complete.
const lines = files.map((file) => readFileSync(file, 'utf8').split('\n').length - 1);
console.log(`${words.length} words, ${lines.reduce((a, b) => a + b)} lines in ${files.length} files`);

// 2. A factory instead of a class, sync or async: it returns the per-item function.
const Prefixer = delayedInit(async (prefix) => {
  await new Promise((resolve) => setTimeout(resolve, 50)); // an expensive set-up, once per worker
  return (word) => `${prefix}${word}`;
});
console.log((await pqdm(['a', 'b', 'c'], Prefixer('x-'), 2)).join(' '));

// 3. A Pool keeps its workers, and their state, from one map to the next.
class Counter {
  constructor(name) {
    this.name = name;
    this.calls = 0;
  }
  call() {
    this.calls++;
    return [this.name, this.calls];
  }
}
const Counted = delayedInit(Counter);
const pool = new Pool([Counted('A'), Counted('B')]);
try {
  const callsSoFar = (results) => {
    const last = Object.fromEntries(results); // the last count each worker reported
    return Object.values(last).reduce((a, b) => a + b, 0);
  };
  const first = await pool.map(words.slice(0, 400));
  console.log(`after the first map: ${callsSoFar(first)} calls`);
  const second = await pool.map(words.slice(0, 100));
  console.log(`after the second map: ${callsSoFar([...first, ...second])} calls`);
} finally {
  await pool.close();
}

// 4. Workers are built as soon as the map is created, side by side, before any input is read:
// two constructions of 400 ms are both done within a wait of 600 ms (one after the other would not be).
const Slow = delayedInit(async (ms) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (x) => x;
});
const early = pqdm([1, 2, 3, 4], [Slow(400), Slow(400)]);
await new Promise((resolve) => setTimeout(resolve, 600)); // other work meanwhile
const started = performance.now();
await early;
console.log(`built side by side while we waited: ${performance.now() - started < 200}`);
