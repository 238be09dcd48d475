import { readFileSync } from 'node:fs';
import * as threads from '@mtl/threads';
import { conformance } from '../../core/test/conformance/index.js';

conformance({
  name: 'threads',
  entryUrl: new URL('../dist/index.js', import.meta.url).href,
  ...threads,
  crashes: {
    exit: 'process.exit(3)',
    'throw from a timer': "setTimeout(() => { throw new Error('escaped') }, 0)",
  },
  // Each worker thread is an OS thread of this process.
  separateProcesses: false,
  liveWorkers: () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]),
});
