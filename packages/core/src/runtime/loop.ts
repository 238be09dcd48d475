import { type SerializedError, serializeError } from '../errors.js';
import type { ArgumentType, FromWorker, SpecDescriptor, ToWorker, WorkerEndpoint } from '../transport.js';
import { type BuiltWorker, buildWorker, ConstructionError } from './build.js';
import { loadTarget } from './load.js';

type RunMessage = Extract<ToWorker, { t: 'run' }>;

const inlineHint =
  ' (inline worker functions are sent to the worker as source text and cannot see the variables or imports of their module: export the function and pass fromModule(import.meta.url, fn), or delayedInit(import.meta.url, Class), so that the worker imports the module)';

const badItem = (mode: ArgumentType, item: unknown) =>
  new TypeError(
    mode === 'args'
      ? `argumentType 'args' spreads each item into the function's arguments, so each item must be an array; got ${Array.isArray(item) ? 'an array' : typeof item}`
      : `argumentType 'kwargs' passes each item as an object of named parameters; got ${item === null ? 'null' : typeof item}`,
  );

/** Calls the worker function for one item, the way `argumentType` says. */
export function invoke(call: (...args: unknown[]) => unknown, mode: ArgumentType, item: unknown): unknown {
  if (mode === 'single_arg') return call(item);
  if (mode === 'args') {
    if (!Array.isArray(item)) throw badItem(mode, item);
    return call(...item);
  }
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badItem(mode, item);
  return call(item);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * The loop inside every worker, whichever backend: build the worker from its spec, run batches
 * one at a time, reply with values or serialized errors, and dispose on stop.
 */
export function runWorker(endpoint: WorkerEndpoint): void {
  let worker: BuiltWorker | undefined;
  let spec: SpecDescriptor | undefined;
  const queue: RunMessage[] = [];
  let busy = false;
  let stopping = false;
  let closed = false;

  const errorOf = (thrown: unknown): SerializedError => {
    const error = serializeError(thrown);
    if (error.name === 'ReferenceError' && (spec?.kind === 'inline' || spec?.kind === 'inline-init')) {
      error.message += inlineHint;
    }
    return error;
  };

  const reply = (id: number, r: unknown[], e: [number, SerializedError][] | undefined) => {
    try {
      endpoint.post(e ? { t: 'done', id, r, e } : { t: 'done', id, r });
    } catch {
      // One value could not be serialized: fail that item alone, not the whole batch.
      const errors = e ?? [];
      for (let i = 0; i < r.length; i++) {
        const reason = endpoint.canSend(r[i]);
        if (reason === undefined) continue;
        r[i] = undefined;
        errors.push([
          i,
          serializeError(new TypeError(`the result of this item cannot be sent back from the worker: ${reason}`)),
        ]);
      }
      // The scheduler reads errors in batch order.
      errors.sort((a, b) => a[0] - b[0]);
      endpoint.post({ t: 'done', id, r, e: errors });
    }
  };

  const runAsync = async (
    msg: RunMessage,
    from: number,
    pending: PromiseLike<unknown>,
    r: unknown[],
    e?: [number, SerializedError][],
  ) => {
    const { call } = worker as BuiltWorker;
    for (let i = from; i < msg.x.length; i++) {
      if (stopping) return;
      try {
        r[i] = await (i === from ? pending : invoke(call as (...args: unknown[]) => unknown, msg.a, msg.x[i]));
      } catch (thrown) {
        e = e ?? [];
        e.push([i, errorOf(thrown)]);
      }
    }
    reply(msg.id, r, e);
  };

  /** Runs a batch synchronously while its items are synchronous; returns a promise once one is not. */
  const runBatch = (msg: RunMessage): Promise<void> | undefined => {
    const call = (worker as BuiltWorker).call as (...args: unknown[]) => unknown;
    const { x, a } = msg;
    const r = new Array<unknown>(x.length);
    let e: [number, SerializedError][] | undefined;
    for (let i = 0; i < x.length; i++) {
      let value: unknown;
      try {
        value = a === 'single_arg' ? call(x[i]) : invoke(call, a, x[i]);
      } catch (thrown) {
        e = e ?? [];
        e.push([i, errorOf(thrown)]);
        continue;
      }
      if (isThenable(value)) return runAsync(msg, i, value, r, e);
      r[i] = value;
    }
    reply(msg.id, r, e);
    return undefined;
  };

  // One batch at a time; between batches the loop yields (setImmediate), so a `stop` can get in.
  const pump = (): void => {
    const msg = queue.shift();
    if (msg === undefined || stopping) {
      busy = false;
      if (stopping) void shutdown();
      return;
    }
    if (msg.s) post({ t: 'started', id: msg.id });
    const pending = runBatch(msg);
    if (pending) pending.then(next, next);
    else next();
  };
  const next = () => {
    if (queue.length > 0 && !stopping) setImmediate(pump);
    else {
      busy = false;
      if (stopping) void shutdown();
    }
  };

  const shutdown = async () => {
    if (closed) return;
    closed = true;
    try {
      await worker?.dispose?.();
    } catch (error) {
      process.emitWarning(`mtl: the worker's close() threw: ${(error as Error).stack ?? error}`);
    }
    endpoint.post({ t: 'closed' });
    endpoint.exit();
  };

  // `live` is the spec's own function or class, sent only when the worker runs in the calling thread.
  const init = async (descriptor: SpecDescriptor, live: unknown) => {
    spec = descriptor;
    try {
      const target = live ?? (await loadTarget(descriptor));
      worker = await buildWorker(descriptor, target);
    } catch (error) {
      const construction = error instanceof ConstructionError;
      const thrown = construction ? error.thrown : error;
      const fatal = !construction;
      post({ t: 'failed', error: errorOf(thrown), fatal });
      return;
    }
    post({ t: 'ready' });
    if (stopping) void shutdown();
  };

  const post = (msg: FromWorker) => endpoint.post(msg);

  endpoint.onMessage((msg) => {
    if (msg.t === 'run') {
      queue.push(msg);
      if (!busy) {
        busy = true;
        pump();
      }
    } else if (msg.t === 'init') void init(msg.spec, msg.live);
    else {
      stopping = true;
      if (!busy && (worker !== undefined || spec === undefined)) void shutdown();
    }
  });
}
