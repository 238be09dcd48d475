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
}

/** Messages from the scheduler to a worker. */
export type ToWorker = InitMessage | RunMessage | { type: 'stop' };

export interface DoneMessage {
  type: 'done';
  batch: number;
  /** Results in batch order; a hole where an item failed or returned an Error. */
  values: unknown[];
  /** The items that threw, in batch order. */
  thrown?: ErrorAt[];
  /** Results that are Error objects, serialized. */
  errorValues?: ErrorAt[];
}

/** Messages from a worker to the scheduler. */
export type FromWorker =
  | { type: 'ready' }
  /** `fatal`: the spec itself is broken (module or export missing); otherwise the constructor threw. */
  | { type: 'failed'; error: SerializedError; fatal: boolean }
  | DoneMessage
  | { type: 'started'; batch: number }
  /** An error escaped every task (a throw from a timer): the worker exits next, and this is why. */
  | { type: 'crashed'; error: SerializedError }
  | { type: 'closed' };
