import {
  putErrorValues,
  type SendProbe,
  type SerializedError,
  serializeError,
  takeErrorValues,
} from '../errors/data.js';
import type {
  ArgumentType,
  ErrorAt,
  FromWorker,
  InitMessage,
  RunMessage,
  SpecDescriptor,
  ToWorker,
} from '../protocol.js';
import type { WorkerEndpoint } from '../transport.js';
import { type BuiltWorker, buildWorker, ConstructionError } from './build.js';
import { loadTarget } from './load.js';

// Captured at load: a task may replace globals (Array.prototype.push, setImmediate), and the loop
// that serves every task must not break with them.
const schedule = setImmediate;
const ArrayClass = Array;
const emitWarning = process.emitWarning.bind(process);

const sourceHint =
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

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * The lifecycle of a worker:
 *
 *   new ──init──▶ building ──built──▶ idle ◀──▶ running
 *                    │                 │          │
 *                    └──────stop───────┴──stop──▶ stopping ──close() ran──▶ closed
 *
 * A `stop` lets the batch in progress (or the construction) finish, then runs the instance's
 * `close()`; batches still queued are dropped, as the pool that stops a worker has given up on them.
 */
type State = 'new' | 'building' | 'idle' | 'running' | 'stopping' | 'closed';

/** The loop inside every worker, whichever backend: build the worker, run batches in order, reply, dispose. */
export function runWorker(endpoint: WorkerEndpoint): void {
  const loop = new WorkerLoop(endpoint);
  endpoint.onMessage((msg) => loop.receive(msg));
}

class WorkerLoop {
  #state: State = 'new';
  #spec: SpecDescriptor | undefined;
  #worker: BuiltWorker | undefined;
  /** Batches received and not started, a queue on an array with a moving head. */
  #queue: (RunMessage | undefined)[] = [];
  #head = 0;
  #post: (msg: FromWorker) => void;
  #canSend: SendProbe;
  #exit: () => void;
  #clones: boolean;

  constructor(endpoint: WorkerEndpoint) {
    this.#post = (msg) => endpoint.post(msg);
    this.#canSend = endpoint.canSend;
    this.#clones = endpoint.inProcess !== true;
    this.#exit = () => endpoint.exit();
  }

  receive(msg: ToWorker): void {
    switch (msg.type) {
      case 'run':
        this.#queue[this.#queue.length] = msg;
        if (this.#state === 'idle') void this.#drain();
        return;
      case 'init':
        if (this.#state === 'new') void this.#build(msg);
        return;
      case 'stop':
        this.#stop();
    }
  }

  async #build({ spec, live }: InitMessage): Promise<void> {
    this.#state = 'building';
    this.#spec = spec;
    try {
      const target = live ?? (await loadTarget(spec));
      this.#worker = await buildWorker(spec, target);
    } catch (error) {
      const construction = error instanceof ConstructionError;
      this.#state = 'closed';
      this.#post({ type: 'failed', error: this.#errorOf(construction ? error.thrown : error), fatal: !construction });
      return;
    }
    // A `stop` may have come while it was being built.
    if ((this.#state as State) === 'stopping') return this.#shutdown();
    this.#state = 'idle';
    this.#post({ type: 'ready' });
    if (this.#head < this.#queue.length) void this.#drain();
  }

  #stop(): void {
    const state = this.#state;
    if (state === 'stopping' || state === 'closed') return;
    this.#state = 'stopping';
    // Building or running: the end of that step shuts down.
    if (state === 'new' || state === 'idle') void this.#shutdown();
  }

  /** Runs queued batches one at a time, yielding between them so that a `stop` can get in. */
  async #drain(): Promise<void> {
    this.#state = 'running';
    for (;;) {
      const msg = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined;
      if (msg === undefined) break;
      if (msg.notifyStart) this.#post({ type: 'started', batch: msg.batch });
      const pending = this.#runBatch(msg);
      if (pending) await pending;
      if (this.#state !== 'running' || this.#head === this.#queue.length) break;
      await new Promise((resolve) => schedule(resolve));
      if (this.#state !== 'running') break;
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    if (this.#state === 'running') this.#state = 'idle';
    else if (this.#state === 'stopping') await this.#shutdown();
  }

  /** Runs a batch synchronously while its items are synchronous; returns a promise once one is not. */
  #runBatch(msg: RunMessage): Promise<void> | undefined {
    const call = (this.#worker as BuiltWorker).call as (...args: unknown[]) => unknown;
    const { argumentType } = msg;
    const { items } = msg;
    if (msg.errorItems) putErrorValues(items, msg.errorItems);
    const values = new ArrayClass<unknown>(items.length);
    let thrown: ErrorAt[] | undefined;
    for (let i = 0; i < items.length; i++) {
      let value: unknown;
      try {
        value = argumentType === 'single_arg' ? call(items[i]) : invoke(call, argumentType, items[i]);
      } catch (error) {
        thrown ??= [];
        thrown[thrown.length] = [i, this.#errorOf(error)];
        continue;
      }
      if (isThenable(value)) return this.#finishAsync(msg, items, i, value, values, thrown);
      values[i] = value;
    }
    this.#reply(msg.batch, values, thrown);
    return undefined;
  }

  async #finishAsync(
    msg: RunMessage,
    items: unknown[],
    from: number,
    pending: PromiseLike<unknown>,
    values: unknown[],
    thrown: ErrorAt[] | undefined,
  ): Promise<void> {
    const call = (this.#worker as BuiltWorker).call as (...args: unknown[]) => unknown;
    for (let i = from; i < items.length; i++) {
      // Stopped between two items of a batch: the pool has given up on the rest.
      if (i > from && this.#state !== 'running') return;
      try {
        values[i] = await (i === from ? pending : invoke(call, msg.argumentType, items[i]));
      } catch (error) {
        thrown ??= [];
        thrown[thrown.length] = [i, this.#errorOf(error)];
      }
    }
    this.#reply(msg.batch, values, thrown);
  }

  #errorOf(thrown: unknown): SerializedError {
    const error = serializeError(thrown, this.#canSend);
    const kind = this.#spec?.kind;
    if (error.name === 'ReferenceError' && (kind === 'source' || kind === 'source-init')) error.message += sourceHint;
    return error;
  }

  #reply(batch: number, values: unknown[], thrown: ErrorAt[] | undefined): void {
    const asData = this.#clones ? takeErrorValues(values, this.#canSend) : undefined;
    const msg: FromWorker = asData
      ? { type: 'done', batch, values: asData.values, thrown, errorValues: asData.errors }
      : thrown
        ? { type: 'done', batch, values, thrown }
        : { type: 'done', batch, values };
    try {
      this.#post(msg);
    } catch (error) {
      this.#replyPiecewise(msg, error);
    }
  }

  /**
   * A reply could not be serialized: fail the results that cannot be sent, each with the reason, and
   * send the rest. If even that fails, every item of the batch fails with the reason: a reply is never lost.
   */
  #replyPiecewise(msg: Extract<FromWorker, { type: 'done' }>, error: unknown): void {
    const { values } = msg;
    const thrown: ErrorAt[] = msg.thrown ?? [];
    for (let i = 0; i < values.length; i++) {
      const reason = this.#canSend(values[i]);
      if (reason === undefined) continue;
      values[i] = undefined;
      const cannot = new TypeError(`the result of this item cannot be sent back from the worker: ${reason}`);
      thrown[thrown.length] = [i, serializeError(cannot)];
    }
    thrown.sort((a, b) => a[0] - b[0]);
    try {
      this.#post({ ...msg, values, thrown });
      return;
    } catch {}
    const reason = error instanceof Error ? error.message : String(error);
    const all: ErrorAt[] = [];
    for (let i = 0; i < values.length; i++) {
      all[i] = [
        i,
        serializeError(new TypeError(`the results of this batch cannot be sent back from the worker: ${reason}`)),
      ];
    }
    this.#post({ type: 'done', batch: msg.batch, values: new ArrayClass(values.length), thrown: all });
  }

  async #shutdown(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    try {
      await this.#worker?.dispose?.();
    } catch (error) {
      emitWarning(`mtl: the worker's close() threw: ${(error as Error)?.stack ?? error}`);
    }
    this.#post({ type: 'closed' });
    this.#exit();
  }
}
