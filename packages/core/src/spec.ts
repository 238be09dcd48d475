import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeValue } from './describe.js';
import type { SpecDescriptor } from './protocol.js';

const specData = Symbol.for('mtl.workerSpec');

/** What a stateful worker instance offers: `call(x)` per item, and optional clean-up. */
export interface Callable<O> {
  call(item: never): O | PromiseLike<O>;
}

/** A plain worker function. Inline functions are sent as source text, so they must be self-contained. */
export type WorkerFunction<O = unknown> = (...args: never[]) => O | PromiseLike<O>;

/** A class constructed once in each worker, with the args given to `delayedInit(Class)(...args)`. */
export type WorkerClass<A extends unknown[], O> = new (...args: A) => Callable<O>;

/** A factory called once in each worker; it returns the per-item function or an object with `call`. */
export type WorkerFactory<A extends unknown[], O> = (
  ...args: A
) => WorkerFunction<O> | Callable<O> | PromiseLike<WorkerFunction<O> | Callable<O>>;

/** A worker spec made by `fromModule` or `delayedInit`; `O` is the type of its results. */
export interface WorkerSpec<O = unknown> {
  readonly [specData]: SpecDescriptor;
  /** The live function or class, used when `nJobs` is 1 (the map runs in the calling thread). */
  readonly live?: { target: unknown; args?: unknown[] };
  /** Type-level only: the result type. */
  readonly __output?: O;
}

/** One worker spec, or a plain function. */
export type WorkerInput<O = unknown> = WorkerFunction<O> | WorkerSpec<O>;

/** The result type of a worker spec or function, or of an instance with `call` (what delayedInit builds). */
export type OutputOf<W> =
  W extends WorkerSpec<infer O>
    ? O
    : W extends (...args: never[]) => infer R
      ? Awaited<R>
      : W extends { call(item: never): infer R }
        ? Awaited<R>
        : unknown;

/** A spec as the scheduler holds it: what to send, and the live value for `nJobs: 1`. */
export interface ResolvedSpec {
  descriptor: SpecDescriptor;
  live: { target: unknown; args?: unknown[] } | undefined;
}

const makeSpec = <O>(descriptor: SpecDescriptor, live?: WorkerSpec<O>['live']): WorkerSpec<O> =>
  Object.freeze({ [specData]: descriptor, live });

/** Accepts `import.meta.url`, `__filename` or a `URL`, and returns a `file:` URL string. */
export function moduleUrlOf(moduleUrl: unknown, caller: string): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === 'string') {
    if (/^[a-z][a-z0-9+.-]*:/i.test(moduleUrl) && !/^[a-z]:[\\/]/i.test(moduleUrl)) return moduleUrl;
    if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  }
  throw new TypeError(
    `${caller}: expected the module's URL or absolute path as the first argument (pass \`import.meta.url\` in ESM or \`__filename\` in CommonJS), got ${describeValue(moduleUrl)}`,
  );
}

const isClassSource = (source: string): boolean => /^class\b/.test(source);

/**
 * The source text of a function as an expression that evaluates to it, or a clear error.
 * Method shorthand (`{ f(x) {} }.f`) is turned into a function expression.
 */
export function functionSource(fn: unknown, what: string): string {
  if (typeof fn !== 'function') throw new TypeError(`${what}: expected a function, got ${describeValue(fn)}`);
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) {
    throw new TypeError(
      `${what}: \`${fn.name || 'anonymous'}\` is a built-in or bound function, which cannot be sent to a worker as source text. Wrap it in a function (\`(x) => Math.sqrt(x)\`) or load it with fromModule(import.meta.url, fn).`,
    );
  }
  const method = source.replace(/^(async\s+)?(\*\s*)?([\p{L}\p{N}_$]+)\s*\(/u, '$1function$2 $3(');
  for (const candidate of [source, method]) {
    try {
      new Function(`return (${candidate}\n)`);
      return candidate;
    } catch {}
  }
  throw new TypeError(
    `${what}: the source of \`${fn.name || 'anonymous'}\` cannot be evaluated on its own (a computed method name or a getter?). Use a plain function, or fromModule(import.meta.url, fn).`,
  );
}

/**
 * A stateless worker function loaded from its module inside each worker, so that the module's
 * imports and top-level values are there. `fn` must be exported from that module (or give its export name).
 *
 * The worker module must not itself start the map at its top level (each worker would start another):
 * keep workers in a module of their own.
 *
 * @example
 * // hash.ts: the worker module
 * import { createHash } from 'node:crypto';
 * export const sha = (s: string) => createHash('sha256').update(s).digest('hex');
 * // main.ts
 * import { sha } from './hash.js';
 * const out = await pqdm(lines, fromModule(new URL('./hash.js', import.meta.url), sha));
 */
export function fromModule<F extends WorkerFunction>(
  moduleUrl: string | URL,
  fn: F | string,
): WorkerSpec<Awaited<ReturnType<F>>> {
  const url = moduleUrlOf(moduleUrl, 'fromModule');
  const name = typeof fn === 'string' ? fn : exportNameOf(fn, 'fromModule');
  return makeSpec({ kind: 'module', url, name }, typeof fn === 'function' ? { target: fn } : undefined);
}

const exportNameOf = (fn: unknown, caller: string): string => {
  if (typeof fn !== 'function') {
    throw new TypeError(
      `${caller}: expected an exported function or class, or its export name, got ${describeValue(fn)}`,
    );
  }
  if (!fn.name) throw new TypeError(`${caller}: the function has no name; pass its export name as a string instead`);
  return fn.name;
};

// delayedInit's types. The first two signatures infer what is built (R) whole and read the output
// from it: inferred through WorkerFactory's union, the output of a factory that returns a function
// is `unknown`, as a function also matches `Callable` (by Function.prototype.call). The last two
// take the output as a type argument, `delayedInit<[string], Row>(url, 'Reader')`.
/**
 * A stateful worker: the class (or factory) is constructed once **in each worker** with the args
 * you give, and each item calls the instance's `call(x)`. Give an array of specs to give each
 * worker its own args (a GPU id, a connection string). `close()` or `[Symbol.asyncDispose]()` on the
 * instance runs when the worker shuts down.
 *
 * The one-argument form sends the class as source text (it must be self-contained); the
 * two-argument form loads it from its module inside the worker.
 *
 * @example
 * class Model { constructor(readonly id: number) {} call(x: number) { return [this.id, x * x]; } }
 * const Worker = delayedInit(Model);
 * const out = await pqdm(inputs, [Worker(0), Worker(1), Worker(2), Worker(3)]);
 * // from a module, so that top-level imports work:
 * const FromFile = delayedInit(import.meta.url, Model);
 */
export function delayedInit<A extends unknown[], R extends ReturnType<WorkerFactory<A, unknown>>>(
  target: (new (...args: A) => R) | ((...args: A) => R),
): (...args: A) => WorkerSpec<OutputOf<Awaited<R>>>;
export function delayedInit<A extends unknown[], R extends ReturnType<WorkerFactory<A, unknown>>>(
  moduleUrl: string | URL,
  target: (new (...args: A) => R) | ((...args: A) => R),
): (...args: A) => WorkerSpec<OutputOf<Awaited<R>>>;
export function delayedInit<A extends unknown[], O>(
  target: WorkerClass<A, O> | WorkerFactory<A, O>,
): (...args: A) => WorkerSpec<O>;
export function delayedInit<A extends unknown[], O>(
  moduleUrl: string | URL,
  target: WorkerClass<A, O> | WorkerFactory<A, O> | string,
): (...args: A) => WorkerSpec<O>;
export function delayedInit(first: unknown, second?: unknown): (...args: unknown[]) => WorkerSpec {
  if (second === undefined) {
    const source = functionSource(first, 'delayedInit');
    checkHasCall(first, source);
    const name = (first as { name: string }).name;
    return (...args) => makeSpec({ kind: 'source-init', source, name, args }, { target: first, args });
  }
  const url = moduleUrlOf(first, 'delayedInit');
  const name = typeof second === 'string' ? second : exportNameOf(second, 'delayedInit');
  if (typeof second === 'function') checkHasCall(second, Function.prototype.toString.call(second));
  return (...args) =>
    makeSpec(
      { kind: 'module-init', url, name, args },
      typeof second === 'function' ? { target: second, args } : undefined,
    );
}

const checkHasCall = (target: unknown, source: string): void => {
  const proto = (target as { prototype?: { call?: unknown } }).prototype;
  if (isClassSource(source) && typeof proto?.call !== 'function') {
    throw new TypeError(
      `delayedInit: class \`${(target as { name: string }).name}\` has no \`call(item)\` method; add one (it is called once per item)`,
    );
  }
};

/** Checks one user-given worker and returns what the scheduler needs. */
export function resolveSpec(worker: unknown, position: string): ResolvedSpec {
  if (typeof worker === 'object' && worker !== null && specData in worker) {
    const spec = worker as WorkerSpec;
    return { descriptor: spec[specData], live: spec.live };
  }
  if (typeof worker === 'function') {
    const source = functionSource(worker, position);
    if (isClassSource(source)) {
      throw new TypeError(
        `${position}: \`${worker.name}\` is a class; wrap it so that each worker constructs it: delayedInit(${worker.name})(...args)`,
      );
    }
    return { descriptor: { kind: 'source', source, name: worker.name }, live: { target: worker } };
  }
  throw new TypeError(
    `${position}: expected a worker function, fromModule(import.meta.url, fn) or delayedInit(Class)(...args), got ${describeValue(worker)}`,
  );
}
