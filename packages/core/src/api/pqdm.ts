import { describeValue } from '../describe.js';
import { checkCount, checkObject } from '../options/check.js';
import { resolveMapOptions } from '../options/map.js';
import { PqdmResult } from '../result.js';
import { checkIterable } from '../scheduler/input.js';
import { MapRun } from '../scheduler/map-run.js';
import type { Workers } from '../types.js';
import type { Backend } from './backend.js';
import { createCore } from './create-core.js';
import type { PqdmOptions } from './pool.js';
import { splitOptions } from './split-options.js';

/** pqdm's arguments: options as the third argument, or `nJobs` there and options as the fourth. */
function optionsOf(nJobsOrOptions: unknown, maybeOptions: unknown): Record<string, unknown> {
  if (typeof nJobsOrOptions === 'object' && nJobsOrOptions !== null) {
    if (maybeOptions !== undefined) throw new TypeError('pqdm: give options once, as the third or the fourth argument');
    return checkObject(nJobsOrOptions, 'options') as Record<string, unknown>;
  }
  const options = checkObject(maybeOptions, 'options') as Record<string, unknown>;
  if (nJobsOrOptions === undefined) return options;
  const nJobs = checkCount('nJobs', nJobsOrOptions);
  if (options.nJobs !== undefined && options.nJobs !== nJobs) {
    throw new TypeError(
      `pqdm: nJobs is given twice, as ${describeValue(nJobs)} and as options.nJobs ${describeValue(options.nJobs)}`,
    );
  }
  return { ...options, nJobs };
}

/** pqdm's parallel map on a backend: one map on a pool of its own, which closes when the map ends. */
export function runPqdm<BackendOptions extends object>(
  backend: Backend<BackendOptions>,
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  workers: Workers,
  nJobsOrOptions?: number | PqdmOptions<BackendOptions>,
  maybeOptions?: PqdmOptions<BackendOptions>,
): PqdmResult<unknown> {
  checkIterable(inputs);
  const split = splitOptions(optionsOf(nJobsOrOptions, maybeOptions), backend, 'pqdm');
  const options = resolveMapOptions(split.map);
  return new PqdmResult(new MapRun(createCore(backend, workers, split, true), inputs, options));
}
