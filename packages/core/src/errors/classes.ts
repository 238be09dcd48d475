/**
 * A worker died (exit, crash, signal, out of memory) while it ran this item.
 * Only the item it was running fails; the worker is replaced and the map goes on. When the worker
 * died of an uncaught error, that error is the `cause`.
 *
 * @example
 * for await (const y of pqdm(xs, fn)) if (y instanceof WorkerCrashedError) console.log(y.index, y.exitCode);
 */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
  /** The input index of the item the worker was running. */
  index?: number;
  constructor(
    message: string,
    /** The worker's exit code, when it exited. */
    readonly exitCode: number | null = null,
    /** The signal that killed it (processes), when one did. */
    readonly signal: NodeJS.Signals | null = null,
    /** Which worker slot (0-based) crashed. */
    readonly workerIndex = -1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A task ran longer than `taskTimeout`; its worker was stopped and replaced.
 *
 * @example
 * const out = await pqdm(urls, fetchSlowly, { taskTimeout: 5_000 });
 * out.filter((y) => y instanceof TaskTimeoutError);
 */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  index?: number;
  constructor(
    readonly timeout: number,
    readonly workerIndex = -1,
  ) {
    super(`the task ran longer than taskTimeout (${timeout} ms); its worker was stopped and replaced`);
  }
}

/** What a failed item yields in its place: an Error with the item's input index (and, after retries, its attempts). */
export interface ItemError extends Error {
  /** The input index of the item. */
  index?: number;
  /** How many times it ran, when the map has `retry`. */
  attempts?: number;
}

/**
 * True when a result is an error: what `exceptionBehaviour: 'ignore'` yields in place of a failed item.
 * Every failure mtl delivers is an `Error` made in this thread, whatever the worker threw.
 *
 * @example
 * const results = await pqdm(xs, parse);
 * const failed = results.filter(isException);
 */
export function isException(value: unknown): value is ItemError {
  return value instanceof Error;
}
