// The first program of docs/getting-started.md. Run it in a terminal to see the progress bars:
//   node docs/examples/first-map.mjs
import { pqdm } from '@mtl/threads';

// Sent to each worker as source text, so it must be self-contained: no outer variables or imports.
const primesBelow = (limit) => {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
};

const limits = Array.from({ length: 100 }, (_, i) => 1_500 * (i + 1));
const counts = await pqdm(limits, primesBelow, { desc: 'primes' });
console.log(`below ${limits.at(-1)}: ${counts.at(-1)} primes`);

// Streaming: each result as soon as it is ready; ordered: false gives them in completion order.
let total = 0;
for await (const count of pqdm(limits, primesBelow, { ordered: false, desc: 'streamed' })) total += count;
console.log(`sum of all counts: ${total}`);
