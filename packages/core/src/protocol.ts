// The messages between the scheduler and the worker runtime, whichever backend carries them.
// Names are spelled out: a message carries a whole batch, so their length costs nothing per item.
import type { SerializedError } from './errors/data.js';

/** How one item is passed to the worker function. */
export type ArgumentType = 'single_arg' | 'args' | 'kwargs';

/** A worker spec as it travels to a worker: plain data (the live value is kept only for the in-thread mode). */
export type SpecDescriptor =
  /** A function or class sent as its source text, evaluated in the worker. */
  | { kind: 'source'; source: string; name: string }
  | { kind: 'module'; url: string; name: string }
  | { kind: 'source-init'; source: string; name: string; args: unknown[] }
  | { kind: 'module-init'; url: string; name: string; args: unknown[] };

/** A position in a batch, and the error found there (thrown by the task, or passed as data). */
export type ErrorAt = [position: number, error: SerializedError];

export interface InitMessage {
  type: 'init';
  spec: SpecDescriptor;
  slot: number;
  /** The spec's own function or class, only when the worker runs in the calling thread. */
  live?: unknown;
  /** Batches the worker runs at once (`concurrentTasksPerWorker`); 1 when left out. */
  concurrency?: number;
}

export interface RunMessage {
  type: 'run';
  batch: number;
  argumentType: ArgumentType;
  items: unknown[];
  /** Inputs that are Error objects, serialized (structured clone would drop their fields). */
  errorItems?: ErrorAt[];
  /** Say `started` when the batch starts running: its time-out counts from then. */
  notifyStart?: true;
  /** Send how long each item ran (the map has `onResult`). */
  timing?: true;
  /** Send what tasks `emit` (the map has `onMessage`); otherwise `emit` does nothing. */
  messages?: true;
}

/** Messages from the scheduler to a worker. */
export type ToWorker =
  | InitMessage
  | RunMessage
  /** `pool.tell(value)`: for the instance's `listen(value)`. */
  | { type: 'tell'; value: unknown }
  | { type: 'stop' };

export interface DoneMessage {
  type: 'done';
  batch: number;
  /** Results in batch order; a hole where an item failed or returned an Error. */
  values: unknown[];
  /** The items that threw, in batch order. */
  thrown?: ErrorAt[];
  /** Results that are Error objects, serialized. */
  errorValues?: ErrorAt[];
  /** Milliseconds each item ran, when the batch asked for `timing`. */
  durations?: number[];
}

/** Messages from a worker to the scheduler. */
export type FromWorker =
  | { type: 'ready' }
  /** `fatal`: the spec itself is broken (module or export missing); otherwise the constructor threw. */
  | { type: 'failed'; error: SerializedError; fatal: boolean }
  | DoneMessage
  | { type: 'started'; batch: number }
  /** A running task's `emit(value)`: `position` is the item's place in its batch. */
  | { type: 'message'; batch: number; position: number; value: unknown }
  /** An error escaped every task (a throw from a timer): the worker exits next, and this is why. */
  | { type: 'crashed'; error: SerializedError }
  /** The worker has run its instance's `close()`, which returned `value` (or a value that cannot be sent: `unsent`). */
  | { type: 'closed'; value?: unknown; unsent?: string };
