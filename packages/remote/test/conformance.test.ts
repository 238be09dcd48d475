import { remoteConformance } from './remote-conformance.js';

// The shared suite with workers started here, through the launcher with no command in front:
// everything but srun and ssh themselves (conformance-ssh and conformance-slurm run those).
process.env.MTL_TEST_LAUNCHER = JSON.stringify({ kind: 'command' });

// A worker is replaced through its launcher, and connects back: about 10 % slower than a fork, so
// the fault campaign (a replacement per fault) is half the usual size, to stay well within its limit.
remoteConformance({ campaignItems: 5000 });
