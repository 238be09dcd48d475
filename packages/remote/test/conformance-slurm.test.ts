import { afterAll, beforeAll, describe } from 'vitest';
import { allocate } from './allocation.js';
import { remoteConformance } from './remote-conformance.js';
import { available } from './services.js';

// The shared suite with every worker a job step of a real Slurm allocation (16 tasks, made with
// `salloc --no-shell`), started by srun with --exclusive as in an sbatch script.
if (available('slurm')) {
  let allocation: ReturnType<typeof allocate> | undefined;
  beforeAll(() => {
    allocation = allocate(16);
  });
  afterAll(() => allocation?.release());
  process.env.MTL_TEST_LAUNCHER = JSON.stringify({ kind: 'slurm' });
  // A step takes 0.2–0.3 s to start before node does (scripts/services/README.md), more under load;
  // the fault campaign replaces a worker for every fault, so it is half the usual size.
  remoteConformance({ startMs: 1000, campaignItems: 5000 });
} else describe.skip('remote (slurm): no Slurm (see the warning above)', () => {});
