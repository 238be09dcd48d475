// The entry of every worker thread: the core's worker runtime over a port of its own (sent as workerData).
import { type MessagePort, workerData } from 'node:worker_threads';
import { cloneProbe, runWorker } from '@mtl/core/runtime';

const port = workerData as MessagePort | undefined;
if (!port?.postMessage) throw new Error('@mtl/threads: threads-worker.cjs is started by the pool, not run directly');
const post = port.postMessage.bind(port) as (msg: unknown, transfer?: readonly unknown[]) => void;
const exit = process.exit.bind(process);

runWorker({
  post: (msg, transfer) => post(msg, transfer),
  onMessage: (handler) => port.on('message', handler),
  canSend: cloneProbe,
  // Ends this thread only, after what it wrote to stdout and stderr has reached the parent.
  exit: () => exit(0),
});
