// The worker module of scale-out.mjs: each worker imports it, on whichever host it runs.
import { hostname } from 'node:os';

/** How many primes there are in [from, to), and which host counted them. */
export function primesIn([from, to]) {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return { count, host: hostname() };
}
