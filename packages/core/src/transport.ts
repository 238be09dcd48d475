import type { TransferListItem } from 'node:worker_threads';
import type { SendProbe } from './errors/data.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** Why a worker ended. */
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
  /**
   * Sends a message; throws (synchronously) when a value in it cannot be serialized. `transfer`: buffers
   * to move rather than copy, for a transport that can (others copy them).
   */
  send(msg: ToWorker, transfer?: TransferListItem[]): void;
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
  /** Why a value cannot be sent to a worker, or undefined; finds which item of a batch could not be serialized. */
  canSend: SendProbe;
  /** Releases what the transport holds beside its workers (a listening socket); called once the pool has closed. */
  close?(): Promise<void> | void;
}

/** The worker's side of a transport, handed to the worker runtime. */
export interface WorkerEndpoint {
  /** Sends a message to the scheduler; throws when a value in it cannot be serialized. `transfer` as in `send`. */
  post(msg: FromWorker, transfer?: TransferListItem[]): void;
  onMessage(handler: (msg: ToWorker) => void): void;
  /** Why a value cannot be posted back, or undefined. */
  canSend: SendProbe;
  /** Ends the worker once it has said `closed`, after its output is written. */
  exit(): void;
  /** The worker runs in the calling thread: values are handed over as they are, never cloned. */
  inProcess?: boolean;
}
