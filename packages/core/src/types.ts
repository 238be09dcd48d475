// How the types follow the worker: what it is called with, what it returns, and what a map yields.
import type { ItemError } from './errors/classes.js';
import type { ExceptionBehaviour } from './options/map.js';

/** What a worker does per item, in the worker: a function of its item (or, with `argumentType: 'args'`, of its arguments). */
export type TaskFunction = (...args: never[]) => unknown;

/** What a spec does per item when its types are not known (`fromModule(url, 'name')` without a type argument). */
export type UntypedTask = (item: unknown, ...rest: unknown[]) => unknown;

declare const call: unique symbol;

/** Carries, at the type level only, what a spec does per item. */
export interface Typed<F extends TaskFunction> {
  /** Type-level only: never set. */
  readonly [call]?: F;
}

/** A worker as `pqdm` takes it: a function, or a spec (`fromModule`, `delayedInit(...)(...)`). */
export type Worker = TaskFunction | Typed<TaskFunction>;

/** One worker, or one per worker slot (each with its own init args). */
export type Workers = Worker | readonly Worker[];

/** What a worker does per item, as a function type (a union for an array of different specs). */
export type CallOf<W> = W extends readonly (infer E)[]
  ? CallOf<E>
  : W extends Typed<infer F>
    ? F
    : W extends TaskFunction
      ? W
      : never;

/** The result type of a worker (a union over an array of different specs). */
export type OutputOf<W> = OutputOfCall<CallOf<W>>;
type OutputOfCall<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** Turns a union into the intersection of its members. */
type Both<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

// An item may go to any worker, so it must suit all: the intersection, over the workers, of what each takes.
type ItemPer<F> = F extends (item: infer I, ...rest: never[]) => unknown ? { item: I } : never;
type ArgsPer<F> = F extends (...args: infer A) => unknown ? { item: A | readonly A[number][] } : never;

/** The item a worker takes (`argumentType: 'single_arg'` or `'kwargs'`). */
export type ItemOf<W> = Both<ItemPer<CallOf<W>>> extends { item: infer I } ? I : never;

/**
 * The arguments a worker takes, as an item of `argumentType: 'args'`: a tuple of them, or an array
 * whose elements suit every argument (`number[]` for `(a: number, b: number) => ...`).
 */
export type ArgsOf<W> = Both<ArgsPer<CallOf<W>>> extends { item: infer A } ? A : never;

/** What a map yields for each item: its result, or its error where the exception mode puts errors in place. */
export type Yielded<O, Mode extends ExceptionBehaviour | undefined> = Mode extends 'immediate' ? O : O | ItemError;

/** The exception mode an options type asks for (undefined: the default, `'ignore'`). */
export type ModeOf<Options> = Options extends { exceptionBehaviour: infer M extends ExceptionBehaviour }
  ? M
  : undefined;

/** The inputs a map takes, for these workers and options. */
export type InputOf<W, Options> = [Options] extends [never]
  ? ItemOf<W>
  : [Options] extends [{ argumentType: 'args' }]
    ? ArgsOf<W>
    : ItemOf<W>;
