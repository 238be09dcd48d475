import { finished } from 'node:stream';
import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import {
  checkEnvAndExecArgv,
  checkOption,
  cloneProbe,
  inheritedExecArgv,
  type Transport,
  type WorkerExit,
  workerEntry,
} from '@mtl/core/backend';

/** Options only the thread backend has. */
export interface ThreadOptions {
  /** The workers' `process.env` (default: a copy of the parent's). */
  env?: Record<string, string | undefined> | undefined;
  /** Node flags for the workers (default: the parent's `process.execArgv`). */
  execArgv?: readonly string[] | undefined;
  /** Heap limits per worker; a worker that exceeds them dies and is replaced (its item fails). */
  resourceLimits?: ResourceLimits | undefined;
}

export const threadOptionNames = ['env', 'execArgv', 'resourceLimits'] as const;

const entry = new URL('./threads-worker.cjs', import.meta.url);

/** How long an exit waits for the worker's output to be handed on, should nobody read the parent's. */
const OUTPUT_GRACE_MS = 1000;

/**
 * Resolves once a worker's stdout and stderr have passed all they hold to the parent's streams. A
 * thread's output reaches the parent as messages, and a full pipe pauses them: without this wait, what
 * the caller writes after `await pqdm(...)` could come out before the end of a worker's output.
 */
function outputHandedOn(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    let open = 2;
    const timer = setTimeout(resolve, OUTPUT_GRACE_MS);
    timer.unref();
    const ended = () => {
      if (--open > 0) return;
      clearTimeout(timer);
      resolve();
    };
    finished(worker.stdout, ended);
    finished(worker.stderr, ended);
  });
}

/**
 * Starts a worker thread. Without `execArgv` it inherits the parent's flags, less those a worker
 * thread rejects (per-process V8 flags such as --max-old-space-size): those apply to the process.
 */
const startWorker = (
  file: string,
  options: ThreadOptions & { workerData: unknown; transferList: MessagePort[] },
): Worker => {
  const { execArgv, ...rest } = options;
  if (execArgv !== undefined) return new Worker(file, { ...rest, execArgv: [...execArgv] });
  const inherited = inheritedExecArgv();
  try {
    return new Worker(file, { ...rest, execArgv: inherited });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const message = String((error as Error).message);
    return new Worker(file, { ...rest, execArgv: inherited.filter((flag) => !message.includes(flag.split('=')[0])) });
  }
};

/** Validates the thread options and returns the transport that starts worker threads with them. */
export function threadTransport(options: ThreadOptions): Transport {
  const { env, execArgv, resourceLimits } = options;
  checkEnvAndExecArgv(env, execArgv);
  checkOption(
    'resourceLimits',
    resourceLimits,
    (v) => typeof v === 'object' && v !== null,
    'an object (maxOldGenerationSizeMb, ...)',
  );
  const file = workerEntry(entry, '@mtl/threads');
  return {
    name: 'threads',
    canSend: cloneProbe,
    start(_slot, events) {
      // The runtime's own channel: a task that uses (or silences) parentPort cannot touch it.
      const { port1, port2 } = new MessageChannel();
      const worker = startWorker(file, { env, execArgv, resourceLimits, workerData: port2, transferList: [port2] });
      let error: unknown;
      let exited: Promise<void> | undefined;
      port1.on('message', events.message);
      worker.on('error', (thrown) => {
        error = thrown;
      });
      const onExit = new Promise<void>((resolve) =>
        worker.once('exit', async (code) => {
          // What the worker posted just before it exited (its close() value, a last reply) may still wait
          // in the port, whose messages arrive apart from the exit: they come first.
          for (let left = receiveMessageOnPort(port1); left; left = receiveMessageOnPort(port1)) {
            events.message(left.message);
          }
          port1.close();
          await outputHandedOn(worker);
          const exit: WorkerExit = { code, signal: null, error };
          events.exit(exit);
          resolve();
        }),
      );
      return {
        send: (msg, transfer) => port1.postMessage(msg, transfer),
        kill: () => {
          exited ??= worker.terminate().then(() => onExit);
          return exited;
        },
        ref: (keep) => {
          if (keep) {
            worker.ref();
            port1.ref();
          } else {
            worker.unref();
            port1.unref();
          }
        },
      };
    },
  };
}
