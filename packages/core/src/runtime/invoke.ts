import type { ArgumentType } from '../protocol.js';

const ArrayClass = Array;

/** Added to a ReferenceError in a function sent as source text: the usual cause and its remedy. */
export const sourceHint =
  " (a worker function sent as source text cannot see the variables or imports of its module: move it to a module of its own and pass fromModule(new URL('./work.js', import.meta.url), fn), or delayedInit(url, Class), so that the worker imports that module)";

const badItem = (mode: ArgumentType, item: unknown) =>
  new TypeError(
    mode === 'args'
      ? `argumentType 'args' spreads each item into the function's arguments, so each item must be an array; got ${ArrayClass.isArray(item) ? 'an array' : typeof item}`
      : `argumentType 'kwargs' passes each item as an object of named parameters; got ${item === null ? 'null' : typeof item}`,
  );

/** Calls the worker function for one item, the way `argumentType` says. */
export function invoke(call: (...args: unknown[]) => unknown, mode: ArgumentType, item: unknown): unknown {
  if (mode === 'single_arg') return call(item);
  if (mode === 'args') {
    if (!ArrayClass.isArray(item)) throw badItem(mode, item);
    return call(...item);
  }
  if (typeof item !== 'object' || item === null || ArrayClass.isArray(item)) throw badItem(mode, item);
  return call(item);
}

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
