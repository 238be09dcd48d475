// The entry of every worker process: the core's worker runtime over the IPC channel.
import { cloneProbe, jsonProbe, runWorker } from '@mtl/core/runtime';

const send = process.send?.bind(process);
if (!send) throw new Error('@mtl/processes: processes-worker.cjs is started by the pool, not run directly');

// No worker outlives its parent: when the channel closes (the parent exited or was killed), or a
// reply cannot be written to it any more, stop (even if user code holds handles open).
process.on('disconnect', () => process.exit(0));
process.on('error', () => process.exit(0));

const json = process.argv[2] === 'json';

runWorker({
  post: (msg) => {
    send(msg);
  },
  onMessage: (handler) => process.on('message', handler as (msg: unknown) => void),
  canSend: json ? jsonProbe : cloneProbe,
  exit: () => process.disconnect(),
});
