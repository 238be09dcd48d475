// Faults, run by the test suite (test/docs.test.ts): a crash, a runaway task and
// a failed item each cost their own item, and the map goes on.
import { isException, pqdm, TaskTimeoutError, WorkerCrashedError } from '@mtl/threads';

const risky = (x) => {
  if (x === 3) process.exit(1); // brings its worker down
  if (x === 5) while (true) {} // never returns
  if (x === 7) throw Object.assign(new RangeError(`bad input ${x}`), { code: 'E_BAD' });
  return x * 10;
};

const results = await pqdm([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], risky, { nJobs: 2, taskTimeout: 1000 });

for (const [i, y] of results.entries()) {
  if (y instanceof WorkerCrashedError) console.log(i, 'crashed its worker, exit code', y.exitCode);
  else if (y instanceof TaskTimeoutError) console.log(i, 'timed out after', y.timeout, 'ms');
  else if (isException(y)) console.log(i, `${y.name} (${y.code}): ${y.message}`);
  else console.log(i, y);
}
