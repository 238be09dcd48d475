import type { TransferListItem } from 'node:worker_threads';
import { encodeValues, putErrorValues, type SendProbe, type SerializedError, serializeError } from '../errors/data.js';
import type {
  DoneMessage,
  ErrorAt,
  FromWorker,
  InitMessage,
  RunMessage,
  SpecDescriptor,
  ToWorker,
} from '../protocol.js';
import type { WorkerEndpoint } from '../transport.js';
import { type BuiltWorker, buildWorker, ConstructionError } from './build.js';
import { type TaskContext, tasks } from './context.js';
import { invoke, isThenable, sourceHint } from './invoke.js';
import { loadTarget } from './load.js';
import { piecewise } from './reply.js';

// Captured at load: a task may replace globals (Array.prototype.push, setImmediate), and the loop
// that serves every task must not break with them.
const schedule = setImmediate;
const ArrayClass = Array;
const emitWarning = process.emitWarning.bind(process);
const now = performance.now.bind(performance);
const promiseThen = Promise.prototype.then;

/**
 * The lifecycle of a worker:
 *
 *   new ──init──▶ building ──built──▶ idle ◀──▶ running
 *                    │                 │          │
 *                    └──────stop───────┴──stop──▶ stopping ──close() ran──▶ closed
 *
 * `running`: at least one batch is running (up to `concurrency` at once; one by default). A `stop`
 * lets the batches in progress (or the construction) finish, then runs the instance's `close()`;
 * batches still queued are dropped, as the pool that stops a worker has given up on them.
 */
type State = 'new' | 'building' | 'idle' | 'running' | 'stopping' | 'closed';

/** The loop inside every worker, whichever backend: build the worker, run batches, reply, dispose. */
export function runWorker(endpoint: WorkerEndpoint): void {
  const loop = new WorkerLoop(endpoint);
  endpoint.onMessage((msg) => loop.receive(msg));
}

/** A batch in progress: what it has so far. */
interface Progress {
  msg: RunMessage;
  values: unknown[];
  thrown: ErrorAt[] | undefined;
  durations: number[] | undefined;
}

class WorkerLoop {
  #state: State = 'new';
  #spec: SpecDescriptor | undefined;
  #worker: BuiltWorker | undefined;
  #concurrency = 1;
  #active = 0;
  /** Batches received and not started, a queue on an array with a moving head. */
  #queue: (RunMessage | undefined)[] = [];
  #head = 0;
  /** `tell` values that came before the worker was built, or while a `listen` ran. */
  #told: unknown[] = [];
  #toldHead = 0;
  #listening = false;
  /** The run of `listen` calls under way (or the last one), which a `stop` waits for. */
  #hearing: Promise<void> | undefined;
  #post: (msg: FromWorker, transfer?: TransferListItem[]) => void;
  #canSend: SendProbe;
  #exit: () => void;
  #clones: boolean;

  constructor(endpoint: WorkerEndpoint) {
    this.#post = (msg, transfer) => endpoint.post(msg, transfer);
    this.#canSend = endpoint.canSend;
    this.#exit = () => endpoint.exit();
    this.#clones = endpoint.inProcess !== true;
  }

  receive(msg: ToWorker): void {
    switch (msg.type) {
      case 'run':
        this.#queue[this.#queue.length] = msg;
        if (this.#state === 'idle' || this.#state === 'running') this.#pump();
        return;
      case 'init':
        if (this.#state === 'new') void this.#build(msg);
        return;
      case 'tell':
        this.#told[this.#told.length] = msg.value;
        void this.#listen();
        return;
      case 'stop':
        this.#stop();
    }
  }

  async #build({ spec, live, concurrency }: InitMessage): Promise<void> {
    this.#state = 'building';
    this.#spec = spec;
    this.#concurrency = concurrency ?? 1;
    try {
      const target = live ?? (await loadTarget(spec));
      this.#worker = await buildWorker(spec, target);
    } catch (error) {
      const construction = error instanceof ConstructionError;
      this.#state = 'closed';
      this.#post({ type: 'failed', error: this.#errorOf(construction ? error.thrown : error), fatal: !construction });
      return;
    }
    // A `stop` may have come while it was being built: what it was told before still reaches it.
    if ((this.#state as State) === 'stopping') {
      await this.#listen();
      return this.#shutdown();
    }
    this.#state = 'idle';
    this.#post({ type: 'ready' });
    void this.#listen();
    this.#pump();
  }

  #stop(): void {
    const state = this.#state;
    if (state === 'stopping' || state === 'closed') return;
    this.#state = 'stopping';
    // Building or running: the end of that step shuts down.
    if (state === 'new' || state === 'idle') void this.#shutdown();
  }

  /** Starts queued batches while fewer than `concurrency` run. */
  #pump(): void {
    while (this.#active < this.#concurrency && this.#head < this.#queue.length) {
      if (this.#state !== 'idle' && this.#state !== 'running') return;
      const msg = this.#queue[this.#head] as RunMessage;
      this.#queue[this.#head++] = undefined;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      this.#state = 'running';
      this.#active++;
      if (msg.notifyStart) this.#post({ type: 'started', batch: msg.batch });
      const pending = this.#runBatch(msg);
      if (pending) promiseThen.call(pending, this.#finished, this.#finished);
      else this.#finished();
    }
  }

  /** A batch has replied. The next starts on a later turn, so that a `stop` or a `tell` can get in. */
  #finished = (): void => {
    this.#active--;
    if (this.#state === 'stopping') {
      if (this.#active === 0) void this.#shutdown();
      return;
    }
    if (this.#head < this.#queue.length) schedule(() => this.#pump());
    else if (this.#active === 0) this.#state = 'idle';
  };

  /** Runs a batch synchronously while its items are synchronous; returns a promise once one is not. */
  #runBatch(msg: RunMessage): Promise<void> | undefined {
    const { items } = msg;
    if (msg.errorItems) putErrorValues(items, msg.errorItems);
    const run: Progress = {
      msg,
      values: new ArrayClass<unknown>(items.length),
      thrown: undefined,
      durations: msg.timing ? new ArrayClass<number>(items.length) : undefined,
    };
    if (msg.timing || msg.messages) return this.#runEach(run, 0);
    const call = (this.#worker as BuiltWorker).call as (...args: unknown[]) => unknown;
    const { argumentType } = msg;
    const { values } = run;
    for (let i = 0; i < items.length; i++) {
      let value: unknown;
      try {
        value = argumentType === 'single_arg' ? call(items[i]) : invoke(call, argumentType, items[i]);
      } catch (error) {
        this.#fail(run, i, error);
        continue;
      }
      if (isThenable(value)) return this.#finishAsync(run, i, value);
      values[i] = value;
    }
    this.#reply(run);
    return undefined;
  }

  /** The rest of a batch, from an item that returned a promise. */
  async #finishAsync(run: Progress, from: number, pending: PromiseLike<unknown>): Promise<void> {
    try {
      run.values[from] = await pending;
    } catch (error) {
      this.#fail(run, from, error);
    }
    await this.#runEach(run, from + 1);
  }

  /** Runs items one at a time from `from`, each timed and with its context when the batch asks. */
  async #runEach(run: Progress, from: number): Promise<void> {
    const { msg, values, durations } = run;
    const call = (this.#worker as BuiltWorker).call as (...args: unknown[]) => unknown;
    for (let i = from; i < msg.items.length; i++) {
      // Stopped between two items of a batch: the pool has given up on the rest.
      if (i > 0 && this.#state === 'stopping') return;
      const started = durations ? now() : 0;
      try {
        const result = msg.messages
          ? tasks.run(this.#contextOf(msg.batch, i), invoke, call, msg.argumentType, msg.items[i])
          : invoke(call, msg.argumentType, msg.items[i]);
        values[i] = isThenable(result) ? await result : result;
      } catch (error) {
        this.#fail(run, i, error);
      }
      if (durations) durations[i] = now() - started;
    }
    this.#reply(run);
  }

  #contextOf(batch: number, position: number): TaskContext {
    return {
      emit: (value) => {
        try {
          this.#post({ type: 'message', batch, position, value });
        } catch (error) {
          emitWarning(`mtl: a message emitted by a task cannot be sent: ${(error as Error)?.message}`);
        }
      },
    };
  }

  #fail(run: Progress, position: number, error: unknown): void {
    run.thrown ??= [];
    run.thrown[run.thrown.length] = [position, this.#errorOf(error)];
  }

  #errorOf(thrown: unknown): SerializedError {
    const error = serializeError(thrown, this.#canSend);
    const kind = this.#spec?.kind;
    if (error.name === 'ReferenceError' && (kind === 'source' || kind === 'source-init')) {
      // In the message and in the stack's first line, which is what gets printed.
      const first = `${error.name}: ${error.message}`;
      error.message += sourceHint;
      if (error.stack?.startsWith(first))
        error.stack = `${error.name}: ${error.message}${error.stack.slice(first.length)}`;
    }
    return error;
  }

  #reply({ msg: { batch }, values, thrown, durations }: Progress): void {
    const encoded = encodeValues(values, this.#canSend, this.#clones);
    const msg: DoneMessage = { type: 'done', batch, values: encoded ? encoded.values : values };
    if (thrown) msg.thrown = thrown.length > 1 ? thrown.sort((a, b) => a[0] - b[0]) : thrown;
    if (encoded?.errors) msg.errorValues = encoded.errors;
    if (durations) msg.durations = durations;
    try {
      this.#post(msg, encoded?.transfer);
    } catch (error) {
      const sendable = piecewise(msg, error, this.#canSend);
      try {
        this.#post(sendable);
      } catch (again) {
        // The probe passed what the channel refuses: every item fails, with the channel's reason.
        const reason = again instanceof Error ? again.message : String(again);
        this.#post(piecewise(sendable, again, () => reason));
      }
    }
  }

  /** Hands `tell` values to the instance's `listen`, one at a time and in order, once it is built. */
  #listen(): Promise<void> | undefined {
    if (!this.#listening && this.#worker !== undefined) {
      this.#listening = true;
      this.#hearing = this.#hear(this.#worker.listen);
    }
    return this.#hearing;
  }

  async #hear(listen: BuiltWorker['listen']): Promise<void> {
    while (this.#toldHead < this.#told.length) {
      const value = this.#told[this.#toldHead];
      this.#told[this.#toldHead++] = undefined;
      try {
        await listen?.(value);
      } catch (error) {
        emitWarning(`mtl: the worker's listen() threw: ${(error as Error)?.stack ?? error}`);
      }
    }
    this.#told = [];
    this.#toldHead = 0;
    this.#listening = false;
  }

  async #shutdown(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    // What was told before the stop reaches `listen` before `close()` runs, an async `listen` too.
    await this.#hearing;
    let value: unknown;
    try {
      value = await this.#worker?.dispose?.();
    } catch (error) {
      emitWarning(`mtl: the worker's close() threw: ${(error as Error)?.stack ?? error}`);
    }
    const unsent = value === undefined ? undefined : this.#canSend(value);
    this.#post(unsent === undefined ? { type: 'closed', value } : { type: 'closed', unsent });
    this.#exit();
  }
}
