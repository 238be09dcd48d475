// What the suite's cases share to turn samples into table cells: figures per case, run-by-run ratios,
// formatters, and the labels of the runners.
import { median, summary } from './harness.mjs';

/** One figure of every sample of a case. */
export const figures = (samples, id, key) => samples[id].map((s) => s[key]);

/** f(a[i], b[i]) round by round: both figures come from the same round of the interleaving. */
export const perRound = (a, b, f) => a.map((x, i) => f(x, b[i]));

/** "median (min–max)" with a formatter, or "—" for a missing case. */
export const cell = (xs, fmt) => (xs?.length ? summary(xs, fmt) : '—');

export const pct = (x) => `${(x * 100).toFixed(1)} %`;
export const fixed = (digits) => (x) => x.toFixed(digits);
export const verdict = (met) => (met ? 'met' : 'NOT met');

/** Label, backend family (for "mtl ÷ runner") and how each runner is fed. */
export const RUNNERS = {
  'mtl-threads': { label: '@mtl/threads', family: 'threads', mtl: true },
  'mtl-processes': { label: '@mtl/processes', family: 'processes', mtl: true },
  'mtl-in-thread': { label: '@mtl, nJobs: 1 (this thread)', family: 'threads', mtl: true },
  piscina: { label: 'piscina', family: 'threads' },
  'tinypool-threads': { label: 'tinypool (threads)', family: 'threads' },
  'tinypool-processes': { label: 'tinypool (child_process)', family: 'processes' },
  'workerpool-threads': { label: 'workerpool (thread)', family: 'threads' },
  'workerpool-processes': { label: 'workerpool (process)', family: 'processes' },
  'p-map': { label: 'p-map (main thread only)', family: 'threads' },
  'raw-threads': { label: 'raw worker_threads', family: 'threads', floor: true },
  'raw-fork': { label: 'raw child_process.fork', family: 'processes', floor: true },
};

/** The mtl runner a runner is compared with: the same kind of worker (p-map: threads). */
export const mtlOf = (runner) => (RUNNERS[runner].family === 'threads' ? 'mtl-threads' : 'mtl-processes');

/** The worker counts of every case: 2, and os.availableParallelism() where it differs. */
export const jobsOf = (available) => [...new Set([2, available])];

export { median };

/** A case of the suite: one `cases/sample.mjs` process per sample. */
export const sampleCase = (id, runner, measure, args) => ({
  id,
  runner,
  file: 'cases/sample.mjs',
  args: ['--runner', runner, '--measure', measure, ...args],
});

/** The order in which most cases list their runners: mtl, the raw floors, the pools, then p-map. */
export const RUNNER_ORDER = [
  'mtl-threads',
  'mtl-processes',
  'raw-threads',
  'raw-fork',
  'piscina',
  'tinypool-threads',
  'tinypool-processes',
  'workerpool-threads',
  'workerpool-processes',
  'p-map',
];
