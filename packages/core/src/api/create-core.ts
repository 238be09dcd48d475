import { availableParallelism } from 'node:os';
import { describeValue } from '../describe.js';
import { inThreadTransport } from '../in-thread.js';
import { checkCount } from '../options/check.js';
import { checkJobs, resolveInline, resolvePoolOptions } from '../options/pool.js';
import { loadingWorkerModule } from '../runtime/load.js';
import { PoolCore } from '../scheduler/pool-core.js';
import { type ResolvedSpec, resolveSpec } from '../spec.js';
import type { Backend } from './backend.js';
import type { SplitOptions } from './split-options.js';

/** What a pool is built from: the core's pool options and the backend's own. */
type CoreOptions<B extends object> = Pick<SplitOptions<B>, 'pool' | 'backend'>;

/** One spec per worker: an array as given, or one spec repeated `nJobs` times. */
function resolveWorkers<B extends object>(
  workers: unknown,
  options: CoreOptions<B>,
  backend: Backend<B>,
): ResolvedSpec[] {
  const nJobs = options.pool.nJobs === undefined ? undefined : checkCount('nJobs', options.pool.nJobs);
  if (Array.isArray(workers)) {
    if (workers.length === 0) throw new RangeError('Expected at least one worker spec, got an empty array');
    if (nJobs !== undefined && nJobs !== workers.length) {
      throw new RangeError(
        `\`nJobs\` (${describeValue(nJobs)}) does not match the number of worker specs (${workers.length}): leave nJobs out, or give one spec per worker`,
      );
    }
    checkJobs(workers.length);
    return workers.map((worker, i) => resolveSpec(worker, `worker ${i}`));
  }
  const count = nJobs ?? backend.defaultJobs?.(options.backend) ?? availableParallelism();
  const spec = resolveSpec(workers, 'worker');
  return Array.from({ length: checkJobs(count) }, () => spec);
}

/**
 * The workers of a pool, from its share of the options: the specs, the transport (the backend's, or
 * the calling thread when asked) and the pool options resolved once.
 */
export function createCore<B extends object>(
  backend: Backend<B>,
  workers: unknown,
  options: CoreOptions<B>,
  owned: boolean,
): PoolCore {
  if ((globalThis as Record<symbol, unknown>)[loadingWorkerModule]) {
    throw new Error(
      'mtl: a map was started while a worker was importing its worker module, which would start workers without end. Keep worker functions and classes in a module of their own, which does not start a map when imported.',
    );
  }
  const specs = resolveWorkers(workers, options, backend);
  const poolOptions = resolvePoolOptions(options.pool);
  const transport = resolveInline(options.pool) ? inThreadTransport : backend.createTransport(options.backend);
  return new PoolCore(transport, specs, poolOptions, owned);
}
