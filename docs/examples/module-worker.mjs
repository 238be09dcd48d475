// The second program of docs/getting-started.md: worker functions from their own module, and errors.
//   node docs/examples/module-worker.mjs
import { fromModule, isException, pqdm } from '@mtl/threads';
import { checkNumber, countPrimes } from './primes.mjs';

// Each worker imports primes.mjs, so countPrimes can use what that module imports and defines.
const primes = fromModule(new URL('./primes.mjs', import.meta.url), countPrimes);
const counts = await pqdm([10, 100, 1000, 10_000], primes, { desc: 'primes' });
console.log(counts);

// A failed item gives its error in place (exceptionBehaviour: 'ignore', the default).
const check = fromModule(new URL('./primes.mjs', import.meta.url), checkNumber);
for (const result of await pqdm([7, 8, -1, 11], check)) {
  if (isException(result)) console.log(`item ${result.index} failed: ${result.message}`);
  else console.log(`${result.n} is ${result.prime ? 'prime' : 'not prime'}`);
}
