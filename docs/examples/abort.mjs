// Cancelling a map with an AbortSignal, run by the test suite.
import { pqdm } from '@mtl/threads';

function* forever() {
  for (let i = 0; ; i++) yield i;
}

const slow = async (x) => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return x;
};

// Stands for a user pressing Ctrl-C, a deadline, a request that went away.
const controller = new AbortController();
let count = 0;
try {
  for await (const _ of pqdm(forever(), slow, { nJobs: 2, signal: controller.signal })) {
    if (++count === 20) setTimeout(() => controller.abort(new Error('enough')), 50);
  }
} catch (error) {
  console.log(`stopped after ${count >= 20 ? 'at least 20' : count} results: ${error.message}`);
}
