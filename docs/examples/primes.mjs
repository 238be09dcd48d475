// A worker module for module-worker.mjs. Its top level only defines things: each worker imports it.
import { setTimeout as sleep } from 'node:timers/promises';

export function isPrime(n) {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** How many primes there are below `limit`. */
export function countPrimes(limit) {
  let count = 0;
  for (let n = 2; n < limit; n++) if (isPrime(n)) count++;
  return count;
}

/** Waits a little, as a request would, then checks one number; refuses negative ones. */
export async function checkNumber(n) {
  await sleep(5);
  if (n < 0) throw new RangeError(`negative input: ${n}`);
  return { n, prime: isPrime(n) };
}
