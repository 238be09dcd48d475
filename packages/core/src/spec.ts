import { dirname, isAbsolute, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeValue } from './describe.js';
import type { SpecDescriptor } from './protocol.js';
import type { TaskFunction, Typed, UntypedTask, Worker } from './types.js';

const specData = Symbol.for('mtl.workerSpec');

/** What a stateful worker instance offers: `call(item)` per item (and optionally `close()`, `listen(value)`). */
export interface Callable<F extends TaskFunction = TaskFunction> {
  call: F;
}

/** A plain worker function. Functions sent as source text must be self-contained. */
export type WorkerFunction = TaskFunction;

/** A class constructed once in each worker, with the args given to `delayedInit(Class)(...args)`. */
export type WorkerClass = abstract new (...args: never[]) => Callable;

/** A factory called once in each worker; it returns the per-item function, or an object with `call`. */
export type WorkerFactory = (...args: never[]) => TaskFunction | Callable | PromiseLike<TaskFunction | Callable>;

/** What `delayedInit` takes when its types are not known (a class or factory named by a string). */
export type UntypedTarget = (...args: unknown[]) => UntypedTask;

type InitArgs<T> = T extends abstract new (
  ...args: infer A
) => unknown
  ? A
  : T extends (...args: infer A) => unknown
    ? A
    : never;
type Built<T> = T extends abstract new (
  ...args: never[]
) => infer R
  ? R
  : T extends (...args: never[]) => infer R
    ? Awaited<R>
    : never;
type TaskOf<B> = B extends TaskFunction ? B : B extends { call: infer C extends TaskFunction } ? C : never;

/** A worker spec made by `fromModule` or `delayedInit`; `F` is what it does per item. */
export interface WorkerSpec<F extends TaskFunction = UntypedTask> extends Typed<F> {
  readonly [specData]: SpecDescriptor;
  /** The live function or class, used when the map runs in the calling thread (`nJobs: 1`). */
  readonly live?: { target: unknown; args?: unknown[] } | undefined;
}

/** The spec that `delayedInit(target)(...args)` makes. */
export type InitSpec<T> = TaskOf<Built<T>> extends infer F extends TaskFunction ? WorkerSpec<F> : never;

/** One worker spec, or a plain function. */
export type WorkerInput = Worker;

/** A spec as the scheduler holds it: what to send, and the live value for `nJobs: 1`. */
export interface ResolvedSpec {
  descriptor: SpecDescriptor;
  live: { target: unknown; args?: unknown[] } | undefined;
}

const makeSpec = <F extends TaskFunction>(descriptor: SpecDescriptor, live?: WorkerSpec['live']): WorkerSpec<F> =>
  Object.freeze({ [specData]: descriptor, live });

/** The folder that holds mtl's packages (node_modules/@mtl, or the repository's packages/). */
const packagesRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/**
 * Where the user's code called mtl (`file:line:column`): the first frame of the stack outside mtl's
 * built files. A function sent as source text names it in its stack frames, so that an error points
 * at the user's line rather than at mtl's worker entry.
 */
export function callSite(): string | undefined {
  const frames = new Error().stack?.split('\n').slice(1) ?? [];
  for (const frame of frames) {
    const at = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?$/.exec(frame.trim());
    if (!at) continue;
    const path = at[1].startsWith('file:') ? fileURLToPath(at[1]) : at[1];
    if (path.startsWith(packagesRoot) && path.includes(`${sep}dist${sep}`)) continue;
    return `${pathToFileURL(path).href}:${at[2]}:${at[3]}`;
  }
  return undefined;
}

/** Accepts `import.meta.url`, `__filename` or a `URL`, and returns a `file:` URL string. */
export function moduleUrlOf(moduleUrl: unknown, caller: string): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === 'string') {
    if (/^[a-z][a-z0-9+.-]*:/i.test(moduleUrl) && !/^[a-z]:[\\/]/i.test(moduleUrl)) return moduleUrl;
    if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  }
  throw new TypeError(
    `${caller}: expected the module's URL or absolute path as the first argument, got ${describeValue(moduleUrl)}. A relative path would be read from the worker's working directory: pass \`new URL('./work.js', import.meta.url)\` (or \`import.meta.url\` for this module) in ESM, \`path.join(__dirname, 'work.js')\` (or \`__filename\`) in CommonJS.`,
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
    const name = fn.name.replace(/^bound\s*/, '').trim();
    const kind = fn.name.startsWith('bound') ? 'a bound function' : 'a built-in function';
    throw new TypeError(
      `${what}: ${name ? `\`${name}\`` : 'the function'} is ${kind}, which cannot be sent to a worker as source text. Wrap it in a function that calls it (\`(x) => Math.sqrt(x)\`), or export it from a module of its own and pass fromModule(new URL('./work.js', import.meta.url), fn).`,
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
    `${what}: the source of \`${fn.name || 'anonymous'}\` cannot be evaluated on its own (a computed method name or a getter?). Use a plain function, or export it from a module of its own and pass fromModule(new URL('./work.js', import.meta.url), fn).`,
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
export function fromModule<F extends TaskFunction>(moduleUrl: string | URL, fn: F): WorkerSpec<F>;
/**
 * The export named `name`, typed by the type argument when you give one: `fromModule<typeof sha>(url, 'sha')`
 * (with `import type { sha } from './hash.js'`, the module is not loaded in this thread).
 */
export function fromModule<F extends TaskFunction = UntypedTask>(moduleUrl: string | URL, name: string): WorkerSpec<F>;
export function fromModule(moduleUrl: string | URL, fn: unknown): WorkerSpec<TaskFunction> {
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
  if (!fn.name) {
    throw new TypeError(
      `${caller}: the function has no name, so its export cannot be found by it: pass its export name as a string instead (in CommonJS, \`exports.f = (x) => ...\` makes a function without a name; \`const f = (x) => ...; exports.f = f\` names it)`,
    );
  }
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
export function delayedInit<T extends WorkerClass | WorkerFactory>(target: T): (...args: InitArgs<T>) => InitSpec<T>;
export function delayedInit<T extends WorkerClass | WorkerFactory>(
  moduleUrl: string | URL,
  target: T,
): (...args: InitArgs<T>) => InitSpec<T>;
/**
 * The class or factory exported as `name`, typed by the type argument when you give one:
 * `delayedInit<typeof Model>(url, 'Model')` (with `import type { Model } from './model.js'`, the
 * module is not loaded in this thread).
 */
export function delayedInit<T extends WorkerClass | WorkerFactory = UntypedTarget>(
  moduleUrl: string | URL,
  name: string,
): (...args: InitArgs<T>) => InitSpec<T>;
export function delayedInit(first: unknown, second?: unknown): (...args: unknown[]) => WorkerSpec<TaskFunction> {
  if (second === undefined) {
    const source = functionSource(first, 'delayedInit');
    checkHasCall(first, source);
    const name = (first as { name: string }).name;
    const origin = callSite();
    return (...args) => makeSpec({ kind: 'source-init', source, name, args, origin }, { target: first, args });
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
    return { descriptor: { kind: 'source', source, name: worker.name, origin: callSite() }, live: { target: worker } };
  }
  throw new TypeError(
    `${position}: expected a worker function, fromModule(import.meta.url, fn) or delayedInit(Class)(...args), got ${describeValue(worker)}`,
  );
}
