import type { BackendUnderTest } from '../../core/test/conformance/backend.js';
import { conformance } from '../../core/test/conformance/index.js';
import * as remote from './fixtures/remote-under-test.mjs';
import { liveWorkers } from './live-workers.js';

/**
 * The shared suite on @mtl/remote, its workers started through the launcher that
 * MTL_TEST_LAUNCHER names; `timing` gives what a launcher's slower start-up needs.
 */
export function remoteConformance(timing: Pick<BackendUnderTest, 'startMs' | 'campaignItems'>): void {
  conformance({
    // The backend's name, as its messages say it; the test file says which launcher.
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
    ...timing,
  });
}
