// The shared-state examples of docs/messages-and-checkpoints.md: memory shared by threads, refused
// by processes, and the pattern that works on both: fold the results in the caller.
// Usage: node docs/examples/shared-state.mjs
import * as processes from '@mtl/processes';
import * as threads from '@mtl/threads';

const numbers = Array.from({ length: 100 }, (_, i) => i + 1);

// 1. @mtl/threads: a SharedArrayBuffer given as an init arg is the same memory in every worker.
class Tally {
  constructor(total) {
    this.total = total; // an Int32Array over the shared buffer
  }
  call(x) {
    Atomics.add(this.total, 0, x); // atomic: two workers may add at the same moment
    return x;
  }
}
const total = new Int32Array(new SharedArrayBuffer(4));
const Shared = threads.delayedInit(Tally);
await threads.pqdm(numbers, [Shared(total), Shared(total)]);
console.log(`threads, one shared total: ${Atomics.load(total, 0)}`);

// 2. @mtl/processes: a process cannot share this memory, and the map says so before any item runs.
try {
  await processes.pqdm(numbers, [processes.delayedInit(Tally)(total), processes.delayedInit(Tally)(total)]);
} catch (error) {
  console.log(`processes: ${error.name}: ${error.message}`);
}

// 3. On either backend: each item returns its part, and the caller folds the parts as they come.
const lines = ['the cat', 'the dog', 'a cat and a dog', 'the end'];
const countWords = (line) => {
  const counts = new Map();
  for (const word of line.split(' ')) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
};
const counts = new Map();
for await (const part of processes.pqdm(lines, countWords, 2)) {
  for (const [word, n] of part) counts.set(word, (counts.get(word) ?? 0) + n);
}
console.log(`processes, folded here: the ${counts.get('the')}, cat ${counts.get('cat')}, a ${counts.get('a')}`);
