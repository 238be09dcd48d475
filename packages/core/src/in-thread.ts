import type { FromWorker, ToWorker } from './protocol.js';
import { runWorker } from './runtime/loop.js';
import type { Transport, WorkerEvents, WorkerHandle } from './transport.js';

/**
 * `inline` (`nJobs: 1`): the worker runtime runs in the calling thread, with the same scheduler and
 * semantics. Nothing is cloned and the spec's own function is called, so closures work and a
 * debugger steps in. Messages hop through `setImmediate`, so that timers, aborts and the consumer get
 * their turn.
 */
export const inThreadTransport: Transport = {
  name: 'inline',
  inProcess: true,
  canSend: () => undefined,
  start(_slot: number, events: WorkerEvents): WorkerHandle {
    let alive = true;
    let toWorker: ((msg: ToWorker) => void) | undefined;
    const exit = () => {
      if (!alive) return;
      alive = false;
      setImmediate(() => events.exit({ code: 0, signal: null }));
    };
    runWorker({
      post: (msg: FromWorker) => {
        if (alive) setImmediate(() => alive && events.message(msg));
      },
      onMessage: (handler) => {
        toWorker = handler;
      },
      canSend: () => undefined,
      exit,
      inProcess: true,
    });
    return {
      send: (msg) => {
        setImmediate(() => alive && toWorker?.(msg));
      },
      kill: async () => exit(),
      ref: () => {},
    };
  },
};
