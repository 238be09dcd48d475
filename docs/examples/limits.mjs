// The labelled limits example of docs/messages-and-checkpoints.md: at most one GPU job at a time,
// while the other jobs run beside it.
// Usage: node docs/examples/limits.mjs
import { pqdm } from '@mtl/threads';

const jobs = Array.from({ length: 12 }, (_, id) => ({ id, kind: id % 3 === 0 ? 'gpu' : 'cpu' }));
// Reports when it ran, read in the worker: a clock that every thread of the process shares.
const run = async (job) => {
  const start = performance.timeOrigin + performance.now();
  await new Promise((resolve) => setTimeout(resolve, job.kind === 'gpu' ? 40 : 5));
  return { ...job, start, end: performance.timeOrigin + performance.now() };
};
const done = await pqdm(jobs, run, {
  nJobs: 2,
  concurrentTasksPerWorker: 4,
  limits: { gpu: 1 },
  label: (job) => job.kind,
});
console.log(`in input order: ${done.map((job) => job.id).join(' ')}`);
/** The most jobs of a kind that ran at the same moment. */
const mostAtOnce = (kind) => {
  const ran = done.filter((job) => job.kind === kind);
  return Math.max(...ran.map((job) => ran.filter((other) => other.start <= job.start && job.start < other.end).length));
};
console.log(`gpu jobs running at once, at most: ${mostAtOnce('gpu')}`);
console.log(`cpu jobs running at once, more than one at some point: ${mostAtOnce('cpu') > 1}`);
