import { existsSync } from 'node:fs';
import {
  checkEnvAndExecArgv,
  checkOneOf,
  checkOption,
  inheritedExecArgv,
  jsonProbe,
  refuseSharedMemory,
  type Transport,
  v8Probe,
  type WorkerExit,
  workerEntry,
} from '@mtl/core/backend';
import { execa } from 'execa';

/** Options only the process backend has. */
export interface ProcessOptions {
  /** Environment variables of the workers, added to the parent's. */
  env?: Record<string, string | undefined> | undefined;
  /** The workers' working directory. */
  cwd?: string | undefined;
  /** Node flags for the workers (default: the parent's `process.execArgv`). */
  execArgv?: readonly string[] | undefined;
  /**
   * How messages are encoded. `'advanced'` (default) is structured clone: Map, Set, Date, BigInt,
   * typed arrays and Errors cross as they are. `'json'` is faster for plain data, and loses the rest.
   * @default 'advanced'
   */
  serialization?: 'advanced' | 'json' | undefined;
}

export const processOptionNames = ['env', 'cwd', 'execArgv', 'serialization'] as const;

const entry = new URL('./processes-worker.cjs', import.meta.url);

/**
 * util-linux's `setpriv`, which starts a program with a parent-death signal: the kernel then kills
 * the worker the moment its parent dies, even a worker busy in a synchronous loop, at no cost while
 * it runs. Without it (not Linux), the worker watches its parent from a thread of its own instead,
 * which costs about 20 ms of CPU at each start (bench/results/analysis.md).
 */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => process.platform === 'linux' && existsSync(path));

/** Starts a worker process: Node with the parent's flags, under setpriv's parent-death signal where there is one. */
function spawnWorker(file: string, serialization: 'advanced' | 'json', { env, cwd, execArgv }: ProcessOptions) {
  const node = [...(execArgv ?? inheritedExecArgv()), file, serialization, String(process.pid)];
  const [command, args] = setpriv
    ? [setpriv, ['--pdeathsig', 'KILL', '--', process.execPath, ...node]]
    : [process.execPath, [...node, 'watch']];
  return execa(command, args, {
    serialization,
    env,
    cwd,
    // The IPC channel is ours alone: with `ipc: true` execa would also read every reply through its
    // own async loop, which costs the parent more CPU per message (bench/results/execa-ipc.md).
    ipc: false,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    reject: false,
    cleanup: true,
  });
}

/** Validates the process options and returns the transport that forks workers with them. */
export function processTransport(options: ProcessOptions): Transport {
  const { env, cwd, execArgv } = options;
  checkEnvAndExecArgv(env, execArgv);
  checkOption('cwd', cwd, (v) => typeof v === 'string', 'a path');
  const serialization = checkOneOf('serialization', options.serialization ?? 'advanced', ['advanced', 'json']);
  const canSend = serialization === 'json' ? jsonProbe : v8Probe;
  const file = workerEntry(entry, '@mtl/processes');
  return {
    name: 'processes',
    canSend,
    start(_slot, events) {
      const child = spawnWorker(file, serialization, options);
      // A failed spawn is reported as an exit of the worker.
      child.catch(() => {});
      const exited = new Promise<void>((resolve) =>
        child.once('exit', (code, signal) => {
          const exit: WorkerExit = { code, signal };
          events.exit(exit);
          resolve();
        }),
      );
      child.on('message', events.message as (msg: unknown) => void);
      return {
        send: (msg) => {
          // Looked for in init args only: they are sent once per worker, items and results many times.
          if (msg.type === 'init' && 'args' in msg.spec) refuseSharedMemory(msg.spec.args);
          child.send(msg);
        },
        kill: () => {
          child.kill('SIGKILL');
          return exited;
        },
        ref: (keep) => {
          const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
          if (keep) {
            child.ref();
            channel?.ref?.();
          } else {
            child.unref();
            channel?.unref?.();
          }
        },
      };
    },
  };
}
