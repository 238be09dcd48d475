// The taskproc section of migration-guide.md, run by the test suite.
// Usage: npx tsx docs/examples/migration-taskproc.ts
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pqdm } from '@mtl/threads';

interface Job {
  task: 'Train' | 'Evaluate';
  fold: number;
}
const jobs: Job[] = [0, 1, 2].flatMap((fold) => [
  { task: 'Train', fold },
  { task: 'Evaluate', fold },
]);

// run_task, for every kind of job: sent to the workers as source text.
const runTask = async (job: Job) => {
  await new Promise((resolve) => setTimeout(resolve, job.task === 'Train' ? 50 : 10)); // the work
  return `${job.task} ${job.fold}`;
};

// task_label = 'gpu' on Train, and run_graph(rate_limits={'gpu': 1}): one Train job at a time.
const labelled = await pqdm(jobs, runTask, {
  nJobs: 3,
  limits: { gpu: 1 },
  label: (job: Job) => (job.task === 'Train' ? ['gpu', job.task] : job.task),
});
console.log(labelled.join(', '));

// Graph('./cache'): a job that finished is not run again; a job is its task and its args.
const cache = join(await mkdtemp(join(tmpdir(), 'mtl-taskproc-')), 'jobs.ckpt');
let ran = 0;
const cached = {
  nJobs: 3,
  checkpoint: { file: cache, key: (job: Job) => JSON.stringify(job) },
  onResult: ({ workerIndex }: { workerIndex: number }) => workerIndex >= 0 && ran++, // -1: from the file
};
await pqdm(jobs, runTask, cached);
console.log(`first run: ${ran} jobs ran`);
ran = 0;
const again = await pqdm(jobs, runTask, cached);
console.log(`second run: ${ran} jobs ran, ${again.length} results from the cache`);
