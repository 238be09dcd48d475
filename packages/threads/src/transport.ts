import { type ResourceLimits, Worker } from 'node:worker_threads';
import { cloneProbe, inheritedExecArgv, type Transport, type WorkerExit, workerEntry } from '@mtl/core';

/** Options only the thread backend has. */
export interface ThreadOptions {
  /** The workers' `process.env` (default: a copy of the parent's). */
  env?: Record<string, string | undefined>;
  /** Node flags for the workers (default: the parent's `process.execArgv`). */
  execArgv?: string[];
  /** Heap limits per worker; a worker that exceeds them dies and is replaced (its item fails). */
  resourceLimits?: ResourceLimits;
}

export const threadOptionNames = ['env', 'execArgv', 'resourceLimits'] as const;

const entry = new URL('./threads-worker.js', import.meta.url);

/** Validates the thread options and returns the transport that starts worker threads with them. */
export function threadTransport(options: ThreadOptions): Transport {
  const { env, execArgv, resourceLimits } = options;
  if (env !== undefined && (typeof env !== 'object' || env === null))
    throw new TypeError('Expected `env` to be an object of strings');
  if (execArgv !== undefined && (!Array.isArray(execArgv) || execArgv.some((a) => typeof a !== 'string'))) {
    throw new TypeError('Expected `execArgv` to be an array of strings');
  }
  if (resourceLimits !== undefined && (typeof resourceLimits !== 'object' || resourceLimits === null)) {
    throw new TypeError('Expected `resourceLimits` to be an object (maxOldGenerationSizeMb, ...)');
  }
  const file = workerEntry(entry, '@mtl/threads');
  return {
    name: 'threads',
    canSend: cloneProbe,
    start(_slot, events) {
      const worker = new Worker(file, { env, execArgv: execArgv ?? inheritedExecArgv(), resourceLimits });
      let error: unknown;
      let exited: Promise<void> | undefined;
      worker.on('message', events.message);
      worker.on('error', (thrown) => {
        error = thrown;
      });
      const onExit = new Promise<void>((resolve) =>
        worker.once('exit', (code) => {
          const exit: WorkerExit = { code, signal: null, error };
          events.exit(exit);
          resolve();
        }),
      );
      return {
        send: (msg) => worker.postMessage(msg),
        kill: () => {
          exited ??= worker.terminate().then(() => onExit);
          return exited;
        },
        ref: (keep) => (keep ? worker.ref() : worker.unref()),
      };
    },
  };
}
