// The tasks of the suite: their inputs, the function each runner calls, and the check of the results.
//   trivial: x => x*x over integers;  cpu: burn(iters), about 5 ms each;
//   cpu-timed: burn that reports its worker and its start and end (experiments/cpu-gaps.mjs);
//   ta: a 1 MB Float64Array → a checksum;  obj: a nested object of about 1 MB → a checksum.
import { serialize } from 'node:v8';
import burn from '../fixtures/burn.mjs';
import checksum from '../fixtures/checksum.mjs';
import square from '../fixtures/square.mjs';
import timedBurn from '../fixtures/timed-burn.mjs';

/** The function of each task (mtl sends it as source text; p-map calls it in this thread). */
export const functions = { trivial: square, cpu: burn, ta: checksum, obj: checksum, 'cpu-timed': timedBurn };
/** The fixture module of each task, for piscina and tinypool, and its name for workerpool and raw workers. */
export const fixtures = { trivial: 'square', cpu: 'burn', ta: 'checksum', obj: 'checksum', 'cpu-timed': 'timed-burn' };

const TA_LENGTH = (1 << 20) / Float64Array.BYTES_PER_ELEMENT; // 1 MB
const OBJ_ROWS = 12_200; // about 1 MB under structured clone (see bytesPerItem)

function nested(i) {
  const rows = new Array(OBJ_ROWS);
  for (let j = 0; j < OBJ_ROWS; j++) {
    rows[j] = { id: i + j, name: `row-${j}`, tags: ['a', 'bc'], pos: { x: j, y: -j, z: 0.5 } };
  }
  return { id: i, meta: { source: 'bench', version: 1 }, rows };
}

/** Item i of a task. */
export function item(task, i, iters) {
  if (task === 'cpu' || task === 'cpu-timed') return iters;
  if (task === 'ta') return new Float64Array(TA_LENGTH).fill(i + 0.5);
  if (task === 'obj') return nested(i);
  return i;
}

export const inputs = (task, n, iters) => Array.from({ length: n }, (_, i) => item(task, i, iters));

/** Bytes of one item as structured clone encodes it (what crosses to a worker), for MB/s. */
export const bytesPerItem = (task) => serialize(item(task, 0, 0)).length;

/** Throws unless `results` are the task's results for `xs`, in order. */
export function check(task, xs, results) {
  if (results.length !== xs.length) throw new Error(`expected ${xs.length} results, got ${results.length}`);
  const want = task === 'cpu' ? burn(xs[0]) : undefined;
  for (let i = 0; i < xs.length; i++) {
    const expected = want ?? functions[task](xs[i]);
    if (results[i] !== expected) throw new Error(`wrong result at ${i}: ${results[i]}, expected ${expected}`);
  }
}
