import { conformance } from '../../core/test/conformance/index.js';
import * as remote from './fixtures/remote-under-test.mjs';
import { liveWorkers } from './live-workers.js';

// The shared suite with workers started here, through the launcher with no command in front:
// everything but srun and ssh themselves (conformance-ssh and conformance-slurm run those).
process.env.MTL_TEST_LAUNCHER = JSON.stringify({ kind: 'command' });

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
  // Workers are processes that connect back; the count is of mtl-worker processes on this machine.
  separateProcesses: true,
  liveWorkers,
  // A worker is replaced through its launcher, and connects back: about 10 % slower than a fork, so
  // the fault campaign (a replacement per fault) is half the usual size, to stay well within its limit.
  campaignItems: 5000,
});
