// The entry of every worker thread: the core's worker runtime over the thread's parent port.
import { parentPort } from 'node:worker_threads';
import { cloneProbe, runWorker } from '@mtl/core/runtime';

const port = parentPort;
if (!port) throw new Error('@mtl/threads: threads-worker.cjs is started by the pool, not run directly');

runWorker({
  post: (msg) => port.postMessage(msg),
  onMessage: (handler) => port.on('message', handler),
  canSend: cloneProbe,
  exit: () => port.close(),
});
