// How a worker process leaves, shared by the backends whose workers are processes of their own.
// Captured at load: a task may replace globals, and leaving must still work.
const on = process.on.bind(process);
const listenerCount = process.listenerCount.bind(process);

/**
 * Calls `then` once what the worker wrote to stdout and stderr is out: a pipe is written
 * asynchronously, and `process.exit` would cut it short. Throws if a task broke the streams.
 */
export function whenOutputFlushed(then: () => void): void {
  let left = 2;
  const done = () => {
    if (--left === 0) then();
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/**
 * An error that escapes every task (a throw from a timer) ends the worker as it would end Node, but
 * goes to `crash`, which sends it to the caller as the cause instead of a trace on stderr. Not when
 * the user's code listens for it itself.
 */
export function onUncaughtError(crash: (error: unknown) => void): void {
  on('uncaughtException', (error) => {
    if (listenerCount('uncaughtException') > 1) return;
    crash(error);
  });
}
