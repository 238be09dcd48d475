// Is a rate-limiter package worth it where mtl decides whether an item may start? The dispatch loop
// asks synchronously "may one start now, and if not, in how many ms?", on every batch it sends.
// This measures that question's cost with mtl's token bucket and with `limiter`'s (the best fit of
// limiter, bottleneck and p-throttle: the other two schedule calls of a function themselves).
//   node --import tsx bench/experiments/rate-limiter.mjs   → bench/results/rate-limiter.md
import { writeFileSync } from 'node:fs';
import { TokenBucket as LimiterBucket } from 'limiter';
import { TokenBucket } from '../../packages/core/src/scheduler/token-bucket.ts';

const N = 2_000_000;
const time = (label, check) => {
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    let allowed = 0;
    for (let i = 0; i < N; i++) if (check()) allowed++;
    runs.push(((performance.now() - t) / N) * 1e6);
    if (allowed === 0) throw new Error(`${label}: nothing allowed`);
  }
  return runs.sort((a, b) => a - b)[3];
};

// A limit no check reaches, so that every check is answered "yes": the cost of the question itself.
const ours = new TokenBucket({ limit: 1e12, interval: 1000, burst: 1e12 });
const oursNs = time('mtl', () => {
  if (ours.wait() > 0) return false;
  ours.take();
  return true;
});
// limiter starts with an empty bucket; fill it, as mtl's starts full (the first item starts at once).
const full = () => {
  const bucket = new LimiterBucket({ bucketSize: 1e12, tokensPerInterval: 1e12, interval: 'second' });
  bucket.content = bucket.bucketSize;
  return bucket;
};
const waitThenTake = full();
const theirsNs = time('limiter getWaitTime + tryRemoveTokens', () => {
  if (waitThenTake.getWaitTime(1) > 0) return false;
  return waitThenTake.tryRemoveTokens(1);
});
const tryOnly = full();
const tryOnlyNs = time('limiter tryRemoveTokens', () => tryOnly.tryRemoveTokens(1));

const text = `# Rate limiter on the dispatch path

Command: \`node --import tsx bench/experiments/rate-limiter.mjs\` (median of 7 runs of ${N.toLocaleString('en')} checks, this machine).

| token bucket | ns per check ("may one start now?") | how long to wait when not |
| --- | --: | --- |
| mtl's (\`scheduler/token-bucket.ts\`, a class of 25 lines): \`wait()\`, then \`take()\` | ${oursNs.toFixed(1)} | \`wait()\` returns the ms |
| \`limiter\` 4.1.0: \`getWaitTime(1)\`, then \`tryRemoveTokens(1)\` | ${theirsNs.toFixed(1)} | \`getWaitTime(1)\` returns the ms |
| \`limiter\` 4.1.0: \`tryRemoveTokens(1)\` alone | ${tryOnlyNs.toFixed(1)} | not answered |

A new \`limiter\` bucket starts empty (the first start waits one interval's share); mtl's starts with
\`burst\` tokens, so the first item starts at once, as with p-throttle. bottleneck and p-throttle wrap a
function and run its calls on their own timers; mtl's dispatch loop decides itself which batch goes to
which worker, so it needs a synchronous answer, not a scheduler.
`;
writeFileSync(new URL('../results/rate-limiter.md', import.meta.url), text);
console.log(text);
