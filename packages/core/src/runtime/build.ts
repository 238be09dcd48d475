import { describeValue } from '../describe.js';
import type { SpecDescriptor } from '../protocol.js';
import { SpecError } from './load.js';

/** A worker, built: the per-item function and what to run at shutdown. */
export interface BuiltWorker {
  call: (item: unknown) => unknown;
  dispose: (() => unknown) | undefined;
  /** The instance's `listen(value)`, for `pool.tell(value)`. */
  listen: ((value: unknown) => unknown) | undefined;
}

/** Thrown by a user constructor or factory: the worker may be rebuilt (up to a limit). */
export class ConstructionError extends Error {
  constructor(readonly thrown: unknown) {
    super('construction failed');
  }
}

const isClass = (value: unknown): value is new (...args: unknown[]) => unknown =>
  typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

const disposerOf = (instance: object): (() => unknown) | undefined => {
  const target = instance as Record<string | symbol, unknown>;
  for (const key of ['close', Symbol.asyncDispose, Symbol.dispose]) {
    const method = target[key];
    if (typeof method === 'function') return () => method.call(instance);
  }
  return undefined;
};

/** Builds a worker from what its spec names: a function as it is, or a class / factory constructed with its args. */
export async function buildWorker(spec: SpecDescriptor, target: unknown): Promise<BuiltWorker> {
  const name = `\`${spec.name || 'anonymous'}\``;
  if (spec.kind === 'source' || spec.kind === 'module') {
    if (typeof target !== 'function')
      throw new SpecError(`the worker ${name} is not a function: got ${describeValue(target)}`);
    if (isClass(target))
      throw new SpecError(
        `the worker ${name} is a class; use delayedInit(${spec.name})(...args) so that each worker constructs it`,
      );
    return { call: target as (item: unknown) => unknown, dispose: undefined, listen: undefined };
  }
  if (typeof target !== 'function')
    throw new SpecError(`delayedInit: ${name} is not a class or factory: got ${describeValue(target)}`);
  let instance: unknown;
  try {
    instance = isClass(target) ? new target(...spec.args) : (target as (...args: unknown[]) => unknown)(...spec.args);
    instance = await instance;
  } catch (thrown) {
    throw new ConstructionError(thrown);
  }
  if (typeof instance === 'function') {
    return { call: instance as (item: unknown) => unknown, dispose: undefined, listen: undefined };
  }
  if (
    typeof instance === 'object' &&
    instance !== null &&
    typeof (instance as { call?: unknown }).call === 'function'
  ) {
    const call = (instance as { call: (item: unknown) => unknown }).call;
    const listen = (instance as { listen?: unknown }).listen;
    return {
      call: (item) => call.call(instance, item),
      dispose: disposerOf(instance),
      listen: typeof listen === 'function' ? (value) => listen.call(instance, value) : undefined,
    };
  }
  throw new SpecError(
    `delayedInit: ${name} built ${describeValue(instance)}, which has no \`call(item)\` method; return a function or an object with \`call\``,
  );
}
