import { afterAll, beforeAll, describe } from 'vitest';
import { conformance } from '../../core/test/conformance/index.js';
import { allocate } from './allocation.js';
import * as remote from './fixtures/remote-under-test.mjs';
import { liveWorkers } from './live-workers.js';
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
  conformance({
    // The backend's name, as its messages say it; the file says which launcher.
    name: 'remote',
    entryUrl: new URL('./fixtures/remote-under-test.mjs', import.meta.url).href,
    ...remote,
    crashes: {
      exit: 'process.exit(3)',
      'throw from a timer': "setTimeout(() => { throw new Error('escaped') }, 0)",
      SIGKILL: "process.kill(process.pid, 'SIGKILL')",
    },
    separateProcesses: true,
    liveWorkers,
    // A step takes 0.2–0.3 s to start before node does (scripts/services/README.md), more under load;
    // the fault campaign replaces a worker for every fault, so it is half the usual size.
    startMs: 1000,
    campaignItems: 5000,
  });
} else describe.skip('remote (slurm): no Slurm (see the warning above)', () => {});
