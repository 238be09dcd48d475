// The multiprocessing.Pool and concurrent.futures section of migration-guide.md, run by the test suite.
// Usage: npx tsx docs/examples/migration-stdlib.ts
import { delayedInit, Pool, pqdm } from '@mtl/processes';

const square = (x: number) => x * x;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// with Pool(processes=2, maxtasksperchild=100) as pool:
{
  // An mtl Pool is built around its worker: the function goes to the constructor, not to each call.
  await using pool = new Pool(square, { nJobs: 2, maxTasksPerWorker: 100 });
  // pool.map(square, range(6), chunksize=3)
  console.log(await pool.map(range(6), { batchSize: 3 }));
  // pool.imap_unordered(square, [1, 2, 3]): results in completion order (and, as in Python, an error is raised)
  const unordered: number[] = [];
  for await (const y of pool.map([1, 2, 3], { ordered: false, exceptionBehaviour: 'immediate' })) unordered.push(y);
  console.log(unordered.sort((a, b) => a - b));
  // pool.apply_async(square, (7,)).get(timeout=10): started at once; a time-out stops the task
  const job = pool.run(7, { taskTimeout: 10_000 });
  console.log(await job);
  // executor.submit(square, x) for each x, then the results
  console.log(await Promise.all([4, 5, 6].map((x) => pool.run(x))));
} // the workers stop here: each finishes its item and runs its close()

// pool.starmap(multiply, [(1, 2), (3, 4)])
const multiply = (a: number, b: number) => a * b;
const pairs = [
  [1, 2],
  [3, 4],
];
console.log(await pqdm(pairs, multiply, { nJobs: 2, argumentType: 'args' }));

// Pool(2, initializer=set_factor, initargs=(10,)): a factory that runs once in each worker
const Scale = delayedInit((factor: number) => (x: number) => x * factor);
console.log(await pqdm([1, 2, 3], Scale(10), 2));
