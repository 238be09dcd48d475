// The TypeScript side of migration-guide.md, run by the test suite.
// Usage: npx tsx docs/examples/migration.ts
import { fileURLToPath } from 'node:url';
import { isException, Pool, pqdm } from '@mtl/threads';
import { Lookup, ModelWorker } from './migration-worker.js';

const square = (x: number) => x * x;

// pqdm(array, f, n_jobs=2) returns a list; `await` gives an array.
const squares = await pqdm([1, 2, 3, 4], square, 2);
console.log(squares); // [ 1, 4, 9, 16 ]

// mtasklite: one stateful worker per GPU.
const gpus = [0, 1].map((gpu) => ModelWorker(gpu));
for await (const y of pqdm([1, 2, 3], gpus)) console.log(y);

// pqdm's initializer/initargs: a delayedInit factory.
const table = fileURLToPath(new URL('./data/capitals.json', import.meta.url));
console.log(await pqdm(['peru', 'japan', 'atlantis'], Lookup(table), 2));

// `with Pool(...) as pool:` is `await using pool = new Pool(...)`.
{
  await using pool = new Pool(ModelWorker(0), { nJobs: 2 });
  for await (const y of pool.map([5, 6])) console.log(y);
} // the workers stop here, as at the end of the with block

// argument_type='args' and 'kwargs'.
const pairs = [
  [1, 2],
  [3, 4],
];
console.log(await pqdm(pairs, (a: number, b: number) => a * b, { nJobs: 2, argumentType: 'args' }));
const named = [{ a: 1, b: 2 }];
console.log(await pqdm(named, ({ a, b }: { a: number; b: number }) => a * b, { nJobs: 2, argumentType: 'kwargs' }));

// exception_behaviour: 'ignore' (pqdm's default) gives errors in place.
const risky = (x: number) => {
  if (x % 2) throw new RangeError(`odd: ${x}`);
  return x;
};
const results = await pqdm([1, 2, 3, 4], risky, 2);
console.log(results.map((y, i) => (isException(y) ? `error at ${i}: ${y.message}` : y)));

// 'immediate' throws the first error received; 'deferred' throws an AggregateError at the end.
try {
  await pqdm([1, 2, 3, 4], risky, { nJobs: 2, exceptionBehaviour: 'immediate' });
} catch (error) {
  console.log(`immediate: ${(error as Error).message}`);
}
try {
  for await (const y of pqdm([1, 2, 3, 4], risky, { nJobs: 2, exceptionBehaviour: 'deferred' })) {
    if (!isException(y)) console.log(`deferred yielded ${y}`);
  }
} catch (error) {
  if (error instanceof AggregateError) console.log(`deferred: ${error.errors.map((e) => e.index).join(', ')} failed`);
}

// A thrown value that is not an Error fails its item; a returned Error is a result, not a failure.
const oddities = (how: string) => {
  if (how === 'throw') throw 'a string';
  return new Error('returned, not thrown');
};
try {
  await pqdm(['throw', 'return'], oddities, { nJobs: 2, exceptionBehaviour: 'deferred' });
} catch (error) {
  if (error instanceof AggregateError) console.log(`failed: ${error.errors.map((e) => `${e.index} (${e.value})`)}`);
}
