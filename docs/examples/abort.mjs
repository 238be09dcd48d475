// Cancelling a map with an AbortSignal, run by the test suite.
import { pqdm } from '@mtl/threads';

function* forever() {
  for (let i = 0; ; i++) yield i;
}

const slow = async (x) => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return x;
};

try {
  for await (const y of pqdm(forever(), slow, { nJobs: 2, signal: AbortSignal.timeout(200) })) {
    if (y % 10 === 0) console.log('got', y);
  }
} catch (error) {
  console.log('stopped:', error.name);
}
