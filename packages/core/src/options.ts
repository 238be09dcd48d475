import type { Options as BarOptions } from 'cli-progress';
import { describeValue } from './errors.js';
import type { ArgumentType } from './transport.js';

/** What a failed item does to the map. */
export type ExceptionBehaviour = 'ignore' | 'immediate' | 'deferred';

/** Options of one map: `pqdm(...)`, `pool.map(...)`. */
export interface MapOptions {
  /**
   * Results in input order (`true`, default) or in completion order (`false`).
   * @default true
   */
  ordered?: boolean;
  /**
   * `true`: at most a window of inputs is pulled ahead of what the consumer has taken, so an
   * infinite generator and a slow consumer stay in bounded memory. `false`: read the whole input at
   * the first `next()` (as mtasklite does), so never with an infinite one.
   * @default true
   */
  bounded?: boolean;
  /**
   * `'ignore'`: a failed item yields its error in place. `'immediate'`: the first error received is
   * thrown at once and the map stops. `'deferred'`: everything is yielded, then an `AggregateError`
   * of all errors is thrown.
   * @default 'ignore'
   */
  exceptionBehaviour?: ExceptionBehaviour;
  /**
   * `'single_arg'`: `f(x)`. `'args'`: `f(...x)` for an array item. `'kwargs'`: `f(x)` with an object
   * item, to destructure (`({ a, b }) => a + b`): JavaScript has no keyword arguments.
   * @default 'single_arg'
   */
  argumentType?: ArgumentType;
  /**
   * With `chunkPrefillRatio`, fixes the window: at most `chunkSize * chunkPrefillRatio` inputs are
   * pulled ahead of the consumer. Default: tuned from the measured cost of an item.
   */
  chunkSize?: number;
  /** See `chunkSize`. @default 2 */
  chunkPrefillRatio?: number;
  /**
   * Items per message to a worker. `'auto'` sizes each batch to about 50 ms of work (and 0.5 ms of
   * copying), so that messaging costs little: 1 item for slow tasks, up to 1,024 tiny ones; near
   * the end of a sized input batches shrink so that the workers finish together. A result comes
   * back with its batch: `1` sends every result back on its own.
   * @default 'auto'
   */
  batchSize?: number | 'auto';
  /** A label for the progress bar. @example pqdm(files, parse, { desc: 'files' }) */
  desc?: string;
  /** Turns the progress bar off (as `progress: false`). */
  disable?: boolean;
  /**
   * `true` forces the bar on: where stderr is not a terminal (CI logs) it prints a plain line every
   * 5 s and one at the end instead. `false` turns it off. An object turns it on and passes options to
   * cli-progress (`format`, `barsize`, `clearOnComplete`, `hideCursor`, `notTTYSchedule`, ...).
   * See docs/progress.md.
   * @default on when stderr is a terminal, off otherwise
   * @example pqdm(lines, parse, { progress: { barsize: 20 } })
   */
  progress?: boolean | BarOptions;
  /** The bar's total, when the input has no length (or to override it). @example { total: 200_000 } */
  total?: number;
  /**
   * Called once per result, just before the consumer gets it, with the count so far and the total
   * (the input's length, `total`, or undefined). An error it throws ends the map with that error.
   * @example pqdm(xs, f, { onProgress: (done, total) => ui.set(done / (total ?? done)) })
   */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Milliseconds a task may run; past it the task fails with `TaskTimeoutError` and its worker is replaced. */
  taskTimeout?: number;
  /** Stops the map: no more input is pulled, workers stop, and the map rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options of a pool of workers (also accepted by `pqdm`). */
export interface PoolOptions {
  /** The number of workers. Default: the length of the spec array, or `os.availableParallelism()`. */
  nJobs?: number;
  /**
   * Milliseconds a worker is given to finish its current item and run `close()` when it is stopped,
   * before it is killed.
   * @default 10000
   */
  closeTimeout?: number;
  /**
   * Replaces a worker with a fresh one (built again from its spec) after it has run this many items:
   * the remedy for libraries that leak, as `maxtasksperchild` is in Python.
   */
  maxTasksPerWorker?: number;
}

/** The options, after validation, with their defaults. */
export interface ResolvedMapOptions {
  ordered: boolean;
  bounded: boolean;
  exceptionBehaviour: ExceptionBehaviour;
  argumentType: ArgumentType;
  /** A fixed window, or undefined for the tuned one. */
  window: number | undefined;
  batchSize: number | undefined;
  desc: string | undefined;
  progress: boolean | BarOptions | undefined;
  total: number | undefined;
  onProgress: ((done: number, total: number | undefined) => void) | undefined;
  taskTimeout: number | undefined;
  signal: AbortSignal | undefined;
}

export const mapOptionNames = [
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
] as const;

export const poolOptionNames = ['nJobs', 'closeTimeout', 'maxTasksPerWorker'] as const;

/** Python spellings and other habits, mapped to what mtl calls them. */
const aliases: Record<string, string> = {
  njobs: 'nJobs',
  isunordered: 'ordered (with the opposite value: `ordered: false`)',
  unordered: 'ordered (with the opposite value: `ordered: false`)',
  exceptionbehavior: 'exceptionBehaviour',
  concurrency: 'nJobs',
  maxworkers: 'nJobs',
  maxthreads: 'nJobs',
  tqdmclass: 'progress',
  timeout: 'taskTimeout',
  tasktimeout: 'taskTimeout',
};

const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
};

const squash = (name: string) => name.replace(/[_-]/g, '').toLowerCase();

/** The known option nearest to an unknown one, if any is near. */
export function suggestOption(unknown: string, known: readonly string[]): string | undefined {
  const key = squash(unknown);
  const exact = known.find((name) => squash(name) === key);
  if (exact) return exact;
  if (aliases[key]) return aliases[key];
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const distance = editDistance(key, squash(name));
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** Throws a TypeError naming each unknown key, with the nearest known name. */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = suggestOption(key, known);
    throw new TypeError(
      `${where}: unknown option \`${key}\`${hint ? `; did you mean \`${hint}\`?` : ''} Known options: ${known.join(', ')}.`,
    );
  }
}

const expect = (ok: boolean, Kind: ErrorConstructor, name: string, wanted: string, value: unknown): void => {
  if (!ok) throw new Kind(`Expected \`${name}\` to be ${wanted}, got ${describeValue(value)}`);
};

const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1;

/** For backends: checks an option that may be left out; a TypeError names it, what it should be, and what it got. */
export function checkOption(name: string, value: unknown, test: (value: unknown) => boolean, wanted: string): void {
  if (value !== undefined) expect(test(value), TypeError, name, wanted, value);
}

/** For backends: checks `env` and `execArgv`, which the thread and the process backends both take. */
export function checkEnvAndExecArgv(env: unknown, execArgv: unknown): void {
  checkOption('env', env, (v) => typeof v === 'object' && v !== null, 'an object of strings');
  checkOption(
    'execArgv',
    execArgv,
    (v) => Array.isArray(v) && v.every((flag) => typeof flag === 'string'),
    'an array of strings',
  );
}

/** Checks a whole number option from 1 up; TypeError for the wrong type, RangeError for a bad number. */
export function checkCount(name: string, value: unknown): number {
  expect(typeof value === 'number', TypeError, name, 'an integer from 1 up', value);
  expect(isPositiveInteger(value), RangeError, name, 'an integer from 1 up', value);
  return value as number;
}

/** Checks a string option against its allowed values; TypeError for another type, RangeError for another string. */
export const checkOneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[]): T => {
  const list = allowed.map((a) => `'${a}'`).join(', ');
  expect(typeof value === 'string', TypeError, name, `one of ${list}`, value);
  expect(allowed.includes(value as T), RangeError, name, `one of ${list}`, value);
  return value as T;
};

const checkBoolean = (name: string, value: unknown): boolean => {
  expect(typeof value === 'boolean', TypeError, name, 'a boolean', value);
  return value as boolean;
};

const checkMilliseconds = (name: string, value: unknown): number => {
  expect(typeof value === 'number', TypeError, name, 'a number of milliseconds above 0', value);
  expect((value as number) > 0 && !Number.isNaN(value), RangeError, name, 'a number of milliseconds above 0', value);
  return value as number;
};

/** Validates map options (unknown keys are checked by the caller, who knows which keys are allowed). */
export function resolveMapOptions(options: MapOptions): ResolvedMapOptions {
  const {
    ordered = true,
    bounded = true,
    exceptionBehaviour = 'ignore',
    argumentType = 'single_arg',
    chunkSize,
    chunkPrefillRatio = 2,
    batchSize = 'auto',
    desc,
    disable,
    progress,
    total,
    onProgress,
    taskTimeout,
    signal,
  } = options;
  checkBoolean('ordered', ordered);
  checkBoolean('bounded', bounded);
  checkOneOf('exceptionBehaviour', exceptionBehaviour, ['ignore', 'immediate', 'deferred']);
  checkOneOf('argumentType', argumentType, ['single_arg', 'args', 'kwargs']);
  if (chunkSize !== undefined) checkCount('chunkSize', chunkSize);
  checkCount('chunkPrefillRatio', chunkPrefillRatio);
  if (batchSize !== 'auto') checkCount('batchSize', batchSize);
  if (desc !== undefined) expect(typeof desc === 'string', TypeError, 'desc', 'a string', desc);
  if (disable !== undefined) checkBoolean('disable', disable);
  if (progress !== undefined) {
    expect(
      typeof progress === 'boolean' || (typeof progress === 'object' && progress !== null),
      TypeError,
      'progress',
      'a boolean or cli-progress options',
      progress,
    );
  }
  if (total !== undefined) {
    expect(typeof total === 'number', TypeError, 'total', 'a whole number from 0 up', total);
    expect(Number.isInteger(total) && total >= 0, RangeError, 'total', 'a whole number from 0 up', total);
  }
  if (onProgress !== undefined)
    expect(typeof onProgress === 'function', TypeError, 'onProgress', 'a function', onProgress);
  if (taskTimeout !== undefined) checkMilliseconds('taskTimeout', taskTimeout);
  if (signal !== undefined) expect(signal instanceof AbortSignal, TypeError, 'signal', 'an AbortSignal', signal);
  return {
    ordered,
    bounded,
    exceptionBehaviour,
    argumentType,
    window: chunkSize === undefined ? undefined : chunkSize * chunkPrefillRatio,
    batchSize: batchSize === 'auto' ? undefined : batchSize,
    desc,
    progress: disable ? false : progress,
    total,
    onProgress,
    taskTimeout,
    signal,
  };
}

export interface ResolvedPoolOptions {
  closeTimeout: number;
  /** Infinity when not set. */
  maxTasksPerWorker: number;
}

/** Validates the pool-level options common to every backend. */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  const { closeTimeout = 10_000, maxTasksPerWorker } = options;
  checkMilliseconds('closeTimeout', closeTimeout);
  return {
    closeTimeout,
    maxTasksPerWorker:
      maxTasksPerWorker === undefined ? Number.POSITIVE_INFINITY : checkCount('maxTasksPerWorker', maxTasksPerWorker),
  };
}

/** Splits an object into the keys a map takes and the rest. */
export function pick<T extends object>(options: T, names: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (name in options) out[name] = (options as Record<string, unknown>)[name];
  return out as Partial<T>;
}
