import type { TransferListItem } from 'node:worker_threads';
import { describeValue } from '../describe.js';
import { isMoved } from '../transfer.js';

/** An error as it crosses a worker boundary: plain data that every serialization carries. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  cause?: SerializedError | { value: unknown };
  props?: Record<string, unknown>;
}

/** Why a value cannot cross the boundary, or undefined when it can (a transport's probe). */
export type SendProbe = (value: unknown) => string | undefined;

const MAX_DEPTH = 8;

// Captured at load: a task may replace these globals, and the worker runtime must still work.
const { keys } = Object;
const { defineProperty } = Object;
const { hasOwn } = Object;
const ErrorClass = Error;

const sendable = (value: unknown, canSend: SendProbe | undefined): boolean => {
  const type = typeof value;
  if (type === 'function' || type === 'symbol') return false;
  // Objects are probed, and so are BigInts, which JSON cannot encode; other primitives go everywhere.
  if (canSend === undefined || value === null || (type !== 'object' && type !== 'bigint')) return true;
  return canSend(value) === undefined;
};

const read = (target: object, key: string): unknown => {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
};

/**
 * Turns anything thrown into plain data, keeping name, message, stack, cause and own properties such as
 * `code`. With `canSend`, a property (or cause) that could not cross the boundary is left out, so that
 * an error carrying a client, a socket or a function (the axios shape) still arrives with its message.
 * Never throws: an error whose fields cannot even be read arrives as what could be read.
 */
export function serializeError(thrown: unknown, canSend?: SendProbe, depth = 0): SerializedError {
  if (!(thrown instanceof ErrorClass)) {
    return {
      name: 'Error',
      message: `a non-Error value was thrown: ${safely(() => describeValue(thrown), 'a value')}`,
      props: sendable(thrown, canSend) ? { value: thrown } : undefined,
    };
  }
  const name = read(thrown, 'name');
  const message = read(thrown, 'message');
  const stack = read(thrown, 'stack');
  const out: SerializedError = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : safely(() => String(message), ''),
    stack: typeof stack === 'string' ? stack : undefined,
  };
  const cause = read(thrown, 'cause');
  if (cause !== undefined && depth < MAX_DEPTH) {
    if (cause instanceof ErrorClass) out.cause = serializeError(cause, canSend, depth + 1);
    else if (sendable(cause, canSend)) out.cause = { value: cause };
  }
  for (const key of safely(() => keys(thrown), [] as string[])) {
    if (key === 'cause' || key === 'stack' || key === 'message' || key === 'name') continue;
    const value = read(thrown, key);
    if (value instanceof ErrorClass) {
      if (depth >= MAX_DEPTH) continue;
      out.props ??= {};
      out.props[key] = serializeError(value, canSend, depth + 1);
    } else if (sendable(value, canSend)) {
      out.props ??= {};
      out.props[key] = value;
    }
  }
  return out;
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

// A null-prototype table: an error's name is data, and `toString` or `__proto__` must not find a constructor.
const builtinErrors: Record<string, ErrorConstructor> = Object.assign(Object.create(null), {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
});

const isSerializedError = (value: unknown): value is SerializedError =>
  typeof value === 'object' && value !== null && 'name' in value && 'message' in value && !('value' in value);

const setOwn = (target: object, key: string, value: unknown) =>
  defineProperty(target, key, { value, configurable: true, writable: true, enumerable: true });

/** Rebuilds an `Error` from its serialized form, with the built-in class when the name is a built-in one. */
export function reviveError(data: SerializedError, index?: number): Error {
  const name = typeof data.name === 'string' ? data.name : 'Error';
  const Ctor = hasOwn(builtinErrors, name) ? builtinErrors[name] : Error;
  const error = new Ctor(typeof data.message === 'string' ? data.message : String(data.message));
  if (error.name !== name) defineProperty(error, 'name', { value: name, configurable: true, writable: true });
  if (typeof data.stack === 'string')
    defineProperty(error, 'stack', { value: data.stack, configurable: true, writable: true });
  if (data.cause !== undefined) {
    const cause = isSerializedError(data.cause) ? reviveError(data.cause) : (data.cause as { value: unknown }).value;
    defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  }
  if (typeof data.props === 'object' && data.props !== null) {
    for (const key of keys(data.props)) {
      const value = data.props[key];
      setOwn(error, key, isSerializedError(value) ? reviveError(value) : value);
    }
  }
  if (index !== undefined) setOwn(error, 'index', index);
  return error;
}

/** Sets the input index on an error that stays in this thread (nJobs: 1, crashes, time-outs). */
export function withIndex<E>(error: E, index: number): E {
  if (error instanceof Error) setOwn(error, 'index', index);
  return error;
}

/** Values made ready to cross the boundary. */
export interface Encoded {
  values: unknown[];
  /** Error objects among them, serialized, by position (a hole in `values`). */
  errors?: [number, SerializedError][];
  /** Buffers to move rather than copy (`transfer()`), where the transport can. */
  transfer?: TransferListItem[];
}

/**
 * Makes values ready to cross the boundary, in one pass: `transfer()` wrappers are unwrapped and
 * their buffers listed; Error objects (passed as data: an input, a result) are taken out and
 * serialized, as structured clone keeps only a built-in name, the message and the stack, and JSON
 * nothing (`errors: false` where nothing is cloned). Returns undefined when there is nothing to do
 * (the common case: no copy is made).
 */
export function encodeValues(values: readonly unknown[], canSend?: SendProbe, errors = true): Encoded | undefined {
  let out: Encoded | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'object' || value === null) continue;
    if (isMoved(value)) {
      out ??= { values: copy(values) };
      out.values[i] = value.value;
      out.transfer ??= [];
      for (const buffer of value.list) if (!out.transfer.includes(buffer)) out.transfer[out.transfer.length] = buffer;
    } else if (errors && value instanceof ErrorClass) {
      out ??= { values: copy(values) };
      out.errors ??= [];
      out.errors[out.errors.length] = [i, serializeError(value, canSend)];
      out.values[i] = undefined;
    }
  }
  return out;
}

function copy(values: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** Puts errors taken out by `encodeValues` back in their places, revived. */
export function putErrorValues(values: unknown[], errors: readonly [number, SerializedError][]): void {
  for (const [at, data] of errors) values[at] = reviveError(data);
}
