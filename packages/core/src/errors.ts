/** An error as it crosses a worker boundary: plain data that every serialization carries. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  cause?: SerializedError | { value: unknown };
  props?: Record<string, unknown>;
}

/**
 * A worker died (exit, crash, signal, out of memory) while it ran this item.
 * Only the item it was running fails; the worker is replaced and the map goes on.
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

/**
 * True when a result is an error: what `exceptionBehaviour: 'ignore'` yields in place of a failed item.
 *
 * @example
 * const results = await pqdm(xs, parse);
 * const failed = results.filter(isException);
 */
export function isException(value: unknown): value is Error & { index?: number } {
  return value instanceof Error;
}

const isSerializable = (value: unknown): boolean => {
  const type = typeof value;
  return type !== 'function' && type !== 'symbol';
};

/** Turns anything thrown into plain data, keeping name, message, stack, cause and own properties such as `code`. */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (!(thrown instanceof Error)) {
    return {
      name: 'Error',
      message: `a non-Error value was thrown: ${describeValue(thrown)}`,
      props: isSerializable(thrown) ? { value: thrown } : undefined,
    };
  }
  const out: SerializedError = { name: thrown.name, message: thrown.message, stack: thrown.stack };
  if ('cause' in thrown && thrown.cause !== undefined && depth < 8) {
    out.cause = thrown.cause instanceof Error ? serializeError(thrown.cause, depth + 1) : { value: thrown.cause };
  }
  for (const key of Object.keys(thrown)) {
    if (key === 'cause' || key === 'stack' || key === 'message' || key === 'name') continue;
    const value = (thrown as unknown as Record<string, unknown>)[key];
    if (!isSerializable(value)) continue;
    out.props ??= {};
    out.props[key] = value instanceof Error ? serializeError(value, depth + 1) : value;
  }
  return out;
}

const builtinErrors: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const isSerializedError = (value: unknown): value is SerializedError =>
  typeof value === 'object' && value !== null && 'name' in value && 'message' in value && !('value' in value);

/** Rebuilds an `Error` from its serialized form, with the built-in class when the name is a built-in one. */
export function reviveError(data: SerializedError, index?: number): Error {
  const Ctor = builtinErrors[data.name] ?? Error;
  const error = new Ctor(data.message);
  if (error.name !== data.name)
    Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  if (data.stack !== undefined) error.stack = data.stack;
  if (data.cause !== undefined) {
    const cause = isSerializedError(data.cause) ? reviveError(data.cause) : (data.cause as { value: unknown }).value;
    Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  }
  if (data.props) {
    for (const [key, value] of Object.entries(data.props)) {
      (error as unknown as Record<string, unknown>)[key] = isSerializedError(value) ? reviveError(value) : value;
    }
  }
  if (index !== undefined) (error as Error & { index?: number }).index = index;
  return error;
}

/** Sets the input index on an error that stays in this thread (nJobs: 1, crashes, time-outs). */
export function withIndex<E>(error: E, index: number): E {
  if (error instanceof Error) (error as Error & { index?: number }).index = index;
  return error;
}

/** A short description of a value for error messages: its type and, for primitives, the value. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'null prototype'})`;
  return `\`${String(value)}\` (${typeof value})`;
}
