import type { ArgumentType } from '../protocol.js';
import {
  checkBoolean,
  checkCount,
  checkFunction,
  checkMilliseconds,
  checkOneOf,
  checkOption,
  checkString,
  checkWholeNumber,
  keysOf,
} from './check.js';
import { type CheckpointOptions, type ResolvedCheckpoint, resolveCheckpoint } from './checkpoint.js';
import { type Labeller, type Limits, type ResolvedLimits, resolveLimits } from './limits.js';
import { type ProgressOptions, resolveProgressOption } from './progress.js';
import { type RateLimit, type ResolvedRateLimit, resolveRateLimit } from './rate-limit.js';
import { type ResolvedRetry, type Retry, resolveRetry } from './retry.js';

/** What a failed item does to the map. */
export type ExceptionBehaviour = 'ignore' | 'immediate' | 'deferred';

/** Options of one map: `pqdm(...)`, `pool.map(...)`. */
export interface MapOptions {
  /**
   * Results in input order (`true`, default) or in completion order (`false`).
   * @default true
   */
  ordered?: boolean | undefined;
  /**
   * `true`: at most a window of inputs is pulled ahead of what the consumer has taken, so an
   * infinite generator and a slow consumer stay in bounded memory. `false`: read the whole input at
   * the first `next()` (as mtasklite does), so never with an infinite one.
   * @default true
   */
  bounded?: boolean | undefined;
  /**
   * `'ignore'`: a failed item yields its error in place. `'immediate'`: the first error received is
   * thrown at once and the map stops. `'deferred'`: everything is yielded, then an `AggregateError`
   * of all errors is thrown.
   * @default 'ignore'
   */
  exceptionBehaviour?: ExceptionBehaviour | undefined;
  /**
   * `'single_arg'`: `f(x)`. `'args'`: `f(...x)` for an array item. `'kwargs'`: `f(x)` with an object
   * item, to destructure (`({ a, b }) => a + b`): JavaScript has no keyword arguments.
   * @default 'single_arg'
   */
  argumentType?: ArgumentType | undefined;
  /**
   * With `chunkPrefillRatio`, fixes the window: at most `chunkSize * chunkPrefillRatio` inputs are
   * pulled ahead of the consumer. Default: tuned from the measured cost of an item.
   */
  chunkSize?: number | undefined;
  /** See `chunkSize`. @default 2 */
  chunkPrefillRatio?: number | undefined;
  /**
   * Items per message to a worker. `'auto'` sizes each batch to about 50 ms of work (and 0.5 ms of
   * copying), so that messaging costs little: 1 item for slow tasks, up to 4,096 tiny ones; near
   * the end of a sized input batches shrink so that the workers finish together. A result comes
   * back with its batch: `1` sends every result back on its own.
   * @default 'auto'
   */
  batchSize?: number | 'auto' | undefined;
  /** A label for the progress bar. @example pqdm(files, parse, { desc: 'files' }) */
  desc?: string | undefined;
  /** Turns the progress bar off (as `progress: false`). */
  disable?: boolean | undefined;
  /**
   * `true` forces the bar on: where stderr is not a terminal (CI logs) it prints a plain line every
   * 5 s and one at the end instead. `false` turns it off. An object turns it on, with bar options
   * (`unit`, `format`, `barsize`, `clearOnComplete`, `hideCursor`, `notTTYSchedule`, ...: see
   * {@link ProgressOptions} and docs/progress.md).
   * @default on when stderr is a terminal, off otherwise
   * @example pqdm(files, parse, { progress: { unit: 'files', barsize: 20 } })
   */
  progress?: boolean | ProgressOptions | undefined;
  /** The bar's total, when the input has no length (or to override it). @example { total: 200_000 } */
  total?: number | undefined;
  /**
   * Called once per result, just before the consumer gets it, with the count so far and the total
   * (the input's length, `total`, or undefined). An error it throws ends the map with that error.
   * @example pqdm(xs, f, { onProgress: (done, total) => ui.set(done / (total ?? done)) })
   */
  onProgress?: ((done: number, total: number | undefined) => void) | undefined;
  /** Milliseconds a task may run; past it the task fails with `TaskTimeoutError` and its worker is replaced. */
  taskTimeout?: number | undefined;
  /** Stops the map: no more input is pulled, workers stop, and the map rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * Tries failed items again: a number of retries, or p-retry's options. By default only errors the
   * task threw are retried (a crash or a time-out only when `shouldRetry` says so). A retried item
   * keeps its place; its final error carries `attempts`.
   * @example pqdm(urls, fetchJson, { retry: { retries: 3, minTimeout: 200 } })
   */
  retry?: Retry | undefined;
  /**
   * Paces when items start in the workers: starts per second, or `{ limit, interval, burst }`. On a
   * `Pool`, the limit is shared by all its maps; on a map, it is that map's own.
   * @example pqdm(urls, fetchJson, { rateLimit: 10 }) // at most 10 requests a second
   */
  rateLimit?: RateLimit | undefined;
  /**
   * Called once per finished item, as it finishes (before the consumer takes it): its index, its value
   * or error, the worker, the time it ran in the worker and the attempts it took. An error it throws
   * ends the map.
   */
  onResult?: ((event: ResultEvent) => void) | undefined;
  /**
   * Receives what a running task sends with `emit(value)` (from `@mtl/core/worker`), in the order it was
   * sent for that item, with the item's index and the worker's.
   * @example pqdm(files, convert, { onMessage: (percent, { index }) => show(index, percent) })
   */
  onMessage?: ((value: unknown, from: { index: number; workerIndex: number }) => void) | undefined;
  /**
   * At most this many items of a label run at once; other items pass the blocked ones (within the
   * window). Goes with `label`. @example { limits: { gpu: 1 }, label: (job) => job.kind }
   */
  limits?: Limits | undefined;
  /** The label (or labels) of an item, which `limits` caps. */
  label?: Labeller | undefined;
  /**
   * Resumable maps: finished results are appended to `checkpoint.file`; a later map with the same file
   * yields them in place without running those items again, and runs the rest.
   * @example pqdm(pages, render, { checkpoint: { file: 'render.ckpt' } })
   */
  checkpoint?: CheckpointOptions | undefined;
}

/** What `onResult` is told about a finished item: its value, or its error. */
export type ResultEvent = {
  /** The item's index in the input. */
  index: number;
  /** The worker (0-based) that ran it last; -1 when it did not run (a checkpoint, a value that could not be sent). */
  workerIndex: number;
  /** How long its last attempt ran in the worker, in milliseconds. */
  durationMs: number;
  /** How many times it ran (more than 1 after retries). */
  attempts: number;
} & ({ value: unknown; error?: undefined } | { error: Error; value?: undefined });

/** The options, after validation, with their defaults. */
/** The options of a map, validated, with their defaults. */
export interface ResolvedMapOptions {
  ordered: boolean;
  bounded: boolean;
  exceptionBehaviour: ExceptionBehaviour;
  argumentType: ArgumentType;
  chunkSize: number | undefined;
  chunkPrefillRatio: number;
  /** A fixed window (`chunkSize * chunkPrefillRatio`), or undefined for the tuned one. */
  window: number | undefined;
  /** A fixed batch size, or undefined for `'auto'`. */
  batchSize: number | undefined;
  desc: string | undefined;
  progress: boolean | ProgressOptions | undefined;
  total: number | undefined;
  onProgress: ((done: number, total: number | undefined) => void) | undefined;
  taskTimeout: number | undefined;
  signal: AbortSignal | undefined;
  retry: ResolvedRetry | undefined;
  rateLimit: ResolvedRateLimit | undefined;
  onResult: ((event: ResultEvent) => void) | undefined;
  onMessage: ((value: unknown, from: { index: number; workerIndex: number }) => void) | undefined;
  limits: ResolvedLimits | undefined;
  checkpoint: ResolvedCheckpoint | undefined;
}

const defaults: ResolvedMapOptions = {
  ordered: true,
  bounded: true,
  exceptionBehaviour: 'ignore',
  argumentType: 'single_arg',
  chunkSize: undefined,
  chunkPrefillRatio: 2,
  window: undefined,
  batchSize: undefined,
  desc: undefined,
  progress: undefined,
  total: undefined,
  onProgress: undefined,
  taskTimeout: undefined,
  signal: undefined,
  retry: undefined,
  rateLimit: undefined,
  onResult: undefined,
  onMessage: undefined,
  limits: undefined,
  checkpoint: undefined,
};

export const mapOptionNames = keysOf<MapOptions>()([
  'ordered',
  'bounded',
  'exceptionBehaviour',
  'argumentType',
  'chunkSize',
  'chunkPrefillRatio',
  'batchSize',
  'desc',
  'disable',
  'progress',
  'total',
  'onProgress',
  'taskTimeout',
  'signal',
  'retry',
  'rateLimit',
  'onResult',
  'onMessage',
  'limits',
  'label',
  'checkpoint',
]);

/**
 * Validates the options given (unknown keys are checked by the caller, who knows which keys are
 * allowed) and lays them over `base`: the defaults, or a Pool's defaults for its maps. An option
 * given as `undefined` keeps its default. Longer than our ~60-line rule on purpose: one check per
 * option, none depending on another but `window`, reads best as one list.
 */
export function resolveMapOptions(given: MapOptions, base: ResolvedMapOptions = defaults): ResolvedMapOptions {
  const out = { ...base };
  const {
    ordered,
    bounded,
    exceptionBehaviour,
    argumentType,
    chunkSize,
    chunkPrefillRatio,
    batchSize,
    desc,
    disable,
    progress,
    total,
    onProgress,
    taskTimeout,
    signal,
    retry,
    rateLimit,
    onResult,
    onMessage,
    limits,
    label,
    checkpoint,
  } = given;
  if (ordered !== undefined) out.ordered = checkBoolean('ordered', ordered);
  if (bounded !== undefined) out.bounded = checkBoolean('bounded', bounded);
  if (exceptionBehaviour !== undefined) {
    out.exceptionBehaviour = checkOneOf('exceptionBehaviour', exceptionBehaviour, ['ignore', 'immediate', 'deferred']);
  }
  if (argumentType !== undefined) {
    out.argumentType = checkOneOf('argumentType', argumentType, ['single_arg', 'args', 'kwargs']);
  }
  if (chunkSize !== undefined) out.chunkSize = checkCount('chunkSize', chunkSize);
  if (chunkPrefillRatio !== undefined) out.chunkPrefillRatio = checkCount('chunkPrefillRatio', chunkPrefillRatio);
  out.window = out.chunkSize === undefined ? undefined : out.chunkSize * out.chunkPrefillRatio;
  if (batchSize !== undefined) out.batchSize = batchSize === 'auto' ? undefined : checkCount('batchSize', batchSize);
  if (desc !== undefined) out.desc = checkString('desc', desc);
  if (progress !== undefined) out.progress = resolveProgressOption(progress);
  if (disable !== undefined && checkBoolean('disable', disable)) out.progress = false;
  if (total !== undefined) out.total = checkWholeNumber('total', total);
  if (onProgress !== undefined) {
    checkFunction('onProgress', onProgress);
    out.onProgress = onProgress;
  }
  if (taskTimeout !== undefined) out.taskTimeout = checkMilliseconds('taskTimeout', taskTimeout);
  if (signal !== undefined) {
    checkOption('signal', signal, (value) => value instanceof AbortSignal, 'an AbortSignal');
    out.signal = signal;
  }
  if (retry !== undefined) out.retry = resolveRetry(retry);
  if (rateLimit !== undefined) out.rateLimit = resolveRateLimit(rateLimit);
  if (onResult !== undefined) {
    checkFunction('onResult', onResult);
    out.onResult = onResult;
  }
  if (onMessage !== undefined) {
    checkFunction('onMessage', onMessage);
    out.onMessage = onMessage;
  }
  if (limits !== undefined || label !== undefined) out.limits = resolveLimits(limits, label);
  if (checkpoint !== undefined) out.checkpoint = resolveCheckpoint(checkpoint);
  return out;
}
