import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SerializedError } from './errors.js';

/** How one item is passed to the worker function. */
export type ArgumentType = 'single_arg' | 'args' | 'kwargs';

/** A worker spec as it travels to a worker: plain data (the live value is kept only for `nJobs: 1`). */
export type SpecDescriptor =
  | { kind: 'inline'; source: string; name: string }
  | { kind: 'module'; url: string; name: string }
  | { kind: 'inline-init'; source: string; name: string; args: unknown[] }
  | { kind: 'module-init'; url: string; name: string; args: unknown[] };

/** Messages from the scheduler to a worker. Short keys: they are on the per-batch path. */
export type ToWorker =
  | { t: 'init'; spec: SpecDescriptor; slot: number; live?: unknown }
  /** `s`: say `started` before running (a task with a time-out, whose clock starts then). */
  | { t: 'run'; id: number; a: ArgumentType; x: unknown[]; s?: true }
  | { t: 'stop' };

/** Messages from a worker to the scheduler. */
export type FromWorker =
  | { t: 'ready' }
  /** `fatal`: the spec itself is broken (module or export missing); otherwise the constructor threw. */
  | { t: 'failed'; error: SerializedError; fatal: boolean }
  /** `r`: results in batch order; `e`: the failed positions, with their errors. */
  | { t: 'done'; id: number; r: unknown[]; e?: [number, SerializedError][] }
  | { t: 'started'; id: number }
  | { t: 'closed' };

/** Why a worker ended without being asked to. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** An error the worker raised outside any task, when the backend reports one. */
  error?: unknown;
}

/** What a transport tells the scheduler about one worker. */
export interface WorkerEvents {
  message(msg: FromWorker): void;
  exit(exit: WorkerExit): void;
}

/** One running worker, as a transport exposes it. */
export interface WorkerHandle {
  /** Sends a message; throws (synchronously) when a value in it cannot be serialized. */
  send(msg: ToWorker): void;
  /** Stops the worker at once, whatever it is doing. Resolves when it has exited. */
  kill(): Promise<void>;
  /** Whether the worker keeps the parent process alive (idle pools should not). */
  ref(keep: boolean): void;
}

/**
 * The seam between the one scheduler and a backend: start a worker, talk to it, kill it.
 * Everything else (what to send, when, to whom, errors, retries) lives in the scheduler.
 */
export interface Transport {
  /** A name for messages: `'threads'`, `'processes'`, `'inline'`. */
  readonly name: string;
  /** True when workers run in the calling thread: specs go as live values, nothing is cloned. */
  readonly inProcess?: boolean;
  /** Starts the worker for a slot; it then waits for an `init` message. */
  start(slot: number, events: WorkerEvents): WorkerHandle;
  /** Whether a value can be sent; used to find which item of a batch could not be serialized. */
  canSend(value: unknown): string | undefined;
}

/** The worker's side of a transport, handed to the worker runtime. */
export interface WorkerEndpoint {
  post(msg: FromWorker): void;
  onMessage(handler: (msg: ToWorker) => void): void;
  /** Whether a value can be posted back; a reason string when it cannot. */
  canSend(value: unknown): string | undefined;
  /** Ends the worker once it has said `closed`. */
  exit(): void;
}

/** A probe: why `encode` cannot serialize a value, or undefined when it can. */
const probeWith =
  (encode: (value: unknown) => unknown) =>
  (value: unknown): string | undefined => {
    try {
      encode(value);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

/** Probes a value with structured clone, the serialization of threads and of `advanced` IPC. */
export const cloneProbe = probeWith(structuredClone);

/**
 * The path of a backend's worker entry file, shipped beside its code; a clear error when it is not
 * there, which is what happens when the backend is bundled into an app without it.
 */
export function workerEntry(url: URL, backend: string): string {
  const path = fileURLToPath(url);
  if (existsSync(path)) return path;
  const file = path.slice(path.lastIndexOf('/') + 1);
  throw new Error(
    `${backend}: its worker entry ${path} is missing, so no worker can start. This happens when ${backend} is bundled into an app: keep @mtl/* external in the bundler, or copy node_modules/${backend}/dist/${file} beside the bundle.`,
  );
}

/** Probes a value with JSON, the serialization of `serialization: 'json'` IPC. */
export const jsonProbe = probeWith(JSON.stringify);

/** Flags of the parent that make no sense in a worker (and make it fail to start); some take a value. */
const parentOnlyFlag = /^(--input-type|--eval|-e|--print|-p|--interactive|-i|--test|--watch|--check|-c)(=|$)/;
const takesValue = new Set(['--eval', '-e', '--print', '-p', '--input-type']);

/** The parent's Node flags, less those that only apply to the parent's own entry point. */
export function inheritedExecArgv(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (!parentOnlyFlag.test(argv[i])) flags.push(argv[i]);
    else if (takesValue.has(argv[i])) i++;
  }
  return flags;
}
