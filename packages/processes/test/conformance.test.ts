import { execFileSync } from 'node:child_process';
import * as processes from '@mtl/processes';
import { conformance } from '../../core/test/conformance/index.js';

conformance({
  name: 'processes',
  entryUrl: new URL('../dist/index.js', import.meta.url).href,
  ...processes,
  crashes: {
    exit: 'process.exit(3)',
    'throw from a timer': "setTimeout(() => { throw new Error('escaped') }, 0)",
    SIGKILL: "process.kill(process.pid, 'SIGKILL')",
  },
  // Worker processes are children of this process running the backend's worker entry.
  separateProcesses: true,
  liveWorkers: () =>
    execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('processes/dist/processes-worker.cjs')).length,
});
