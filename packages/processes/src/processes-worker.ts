// The entry of every worker process: the core's worker runtime over the IPC channel.
import { Worker } from 'node:worker_threads';
import { jsonProbe, onUncaughtError, runWorker, serializeError, v8Probe, whenOutputFlushed } from '@mtl/core/runtime';

const send = process.send?.bind(process);
if (!send) throw new Error('@mtl/processes: processes-worker.cjs is started by the pool, not run directly');
const exitNow = process.exit.bind(process);
const on = process.on.bind(process);

// No worker outlives its parent. Where the parent could not have the kernel kill us when it dies
// (setpriv's parent-death signal), a worker busy in a synchronous task would never see the IPC channel
// close; so a thread of its own checks every 200 ms that its parent (whose pid the parent passes, as
// the parent may be gone before this line runs) is still its parent, and kills the process once it is
// not. The thread does not keep the process alive.
if (process.argv[4] === 'watch') {
  const watchdog = new Worker(
    `const { workerData: parent } = require('node:worker_threads');
     const tick = new Int32Array(new SharedArrayBuffer(4));
     for (;;) {
       if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
       Atomics.wait(tick, 0, 0, 200);
     }`,
    { eval: true, stdout: false, stderr: false, workerData: Number(process.argv[3]) },
  );
  watchdog.unref();
}
// The channel closed while the process could listen: the parent is gone or gave up on us.
on('disconnect', () => exitNow(0));
on('error', () => exitNow(0));

const exitWhenFlushed = (code: number) => whenOutputFlushed(() => exitNow(code));

const json = process.argv[2] === 'json';
const canSend = json ? jsonProbe : v8Probe;

onUncaughtError((error) => {
  try {
    send({ type: 'crashed', error: serializeError(error, canSend) }, () => exitWhenFlushed(1));
  } catch {
    exitWhenFlushed(1);
  }
});

const listenerCount = process.listenerCount.bind(process);
let handler: ((msg: unknown) => void) | undefined;

/**
 * A task that removes the 'message' listeners (process.removeAllListeners()) must not deafen the
 * worker: checked after each batch, before the next message can arrive, the listener goes back, and
 * the channel (which Node lets go of when no 'message' listener is left) is held again.
 */
const listen = () => {
  if (!handler || listenerCount('message', handler) > 0) return;
  on('message', handler);
  (process.channel as { ref?: () => void } | undefined)?.ref?.();
};

runWorker({
  post: (msg) => {
    send(msg);
    listen();
  },
  onMessage: (receive) => {
    handler = receive as (msg: unknown) => void;
    on('message', handler);
  },
  canSend,
  exit: () => exitWhenFlushed(0),
});
