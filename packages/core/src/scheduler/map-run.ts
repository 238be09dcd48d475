import { putErrorValues, reviveError, withIndex } from '../errors/data.js';
import type { ResolvedMapOptions } from '../options/map.js';
import { createProgress, type Progress } from '../progress.js';
import type { DoneMessage } from '../protocol.js';
import { Batch } from './batch.js';
import { BatchPolicy, PREFETCH } from './batch-size.js';
import { Deque } from './deque.js';
import { InputSource, lengthOf } from './input.js';
import { Results } from './results.js';

/** What a map needs from the pool that runs it. `PoolCore` is the one implementation. */
export interface MapHost {
  readonly nJobs: number;
  /** The map starts: the pool serves it from now on (or fails it at once, when it cannot). */
  attach(run: MapRun): void;
  /**
   * Starts workers, up to `wanted` (the items a map has, when it is sized): a map starts them when it is
   * created, so that slow constructions overlap whatever the caller does before it reads the results.
   */
  warm(wanted: number): void;
  /** There is new input, or room in the window: feed the workers. */
  dispatch(): void;
  /** The map has ended or was broken off (`urgent`: by an error or an abort): stop serving it. */
  detach(run: MapRun, urgent: boolean): Promise<void>;
}

/** How a map ended before its last result: the consumer gets `error` next (or, closed by its consumer, just stops). */
export interface Failure {
  error: unknown;
  /** `close()` was called: a `for await` loop ends, an `await` rejects with `error`. */
  closed: boolean;
}

/**
 * One map over one input: lazy pulling within the window, batching, the reorder buffer, the
 * exception behaviour and progress. Workers are the pool's; a pool can serve several maps.
 */
export class MapRun {
  readonly length: number | undefined;
  pulled = 0;
  handed = 0;
  failure: Failure | undefined;
  started = false;
  finished = false;
  #host: MapHost;
  #source: InputSource;
  #policy: BatchPolicy;
  #results: Results;
  /** Items to run again (alone), before any new input. */
  #again = new Deque<Batch>();
  /** The window was full when a worker asked for work: dispatch again when the consumer takes a result. */
  #blocked = false;
  #waiter: (() => void) | undefined;
  #progress: Progress | undefined;
  #ending: Promise<void> | undefined;
  #urgent = false;
  #onAbort = () => this.fail((this.options.signal as AbortSignal).reason, true);

  constructor(
    host: MapHost,
    inputs: unknown,
    readonly options: ResolvedMapOptions,
  ) {
    this.#host = host;
    this.#source = new InputSource(inputs);
    this.length = lengthOf(inputs);
    this.#policy = new BatchPolicy({
      nJobs: host.nJobs,
      fixed: options.batchSize,
      window: options.window,
      single: options.taskTimeout !== undefined,
    });
    this.#results = new Results(options.ordered, options.exceptionBehaviour);
    host.warm(this.demand);
  }

  /** Called on the consumer's first `next()` (or `await`): nothing is read from the input before. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { signal, progress, desc, total } = this.options;
    if (signal?.aborted) {
      this.fail(signal.reason, true);
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#progress = createProgress(progress, desc, total ?? this.length);
    if (this.length === 0) this.#source.done = true;
    this.#host.attach(this);
    // Start reading an async input now, while workers may still be starting: some streams
    // (readline) drop what they emit before their iterator exists.
    if (this.#source.isAsync) this.#fill();
    else if (!this.options.bounded) {
      try {
        this.#source.drain();
      } catch (error) {
        this.fail(error);
      }
    }
  }

  /** How many workers this map can keep busy: what is left of a sized input, else as many as there are. */
  get demand(): number {
    return this.length === undefined ? Number.POSITIVE_INFINITY : this.length - this.handed;
  }

  /** Inputs that may be pulled but not yet handed to the consumer. */
  get window(): number {
    return this.options.bounded ? this.#policy.window : Number.POSITIVE_INFINITY;
  }

  get #unpulled(): number | undefined {
    return this.length === undefined ? undefined : this.length - this.pulled;
  }

  /** The next batch for a worker, or undefined. `idle`: the worker holds nothing now; `limit`: items it may take. */
  takeBatch(idle: boolean, limit: number): Batch | undefined {
    if (this.failure || this.finished) return undefined;
    const again = this.#again.peek();
    if (again) {
      if (again.suspect && !idle) return undefined;
      return this.#again.shift();
    }
    if (!idle && !this.#policy.prefetch(this.#unpulled)) return undefined;
    const room = this.window - (this.pulled - this.handed);
    if (room <= 0) {
      this.#blocked = true;
      return undefined;
    }
    let items: unknown[];
    try {
      items = this.#source.take(Math.min(room, this.#policy.next(this.#unpulled), limit));
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    if (items.length === 0) {
      if (this.#source.isAsync) this.#fill();
      if (this.#source.exhausted) this.#wake();
      return undefined;
    }
    const batch = new Batch(this, this.pulled, items, false);
    this.pulled += items.length;
    this.#results.reserve(this.pulled - 1);
    // Refill after counting this batch as pulled, so that the window holds for async inputs too.
    if (this.#source.isAsync) this.#fill();
    return batch;
  }

  #fill(): void {
    const source = this.#source;
    const wanted = () =>
      !this.failure &&
      !this.finished &&
      (!this.options.bounded ||
        (source.staged < this.#policy.next(this.#unpulled) * this.#host.nJobs * PREFETCH &&
          this.pulled + source.staged - this.handed < this.window));
    if (!wanted()) return;
    source.fill(
      wanted,
      () => this.#host.dispatch(),
      (error) => this.fail(error),
    );
  }

  /** A worker's reply for a batch: values, the positions that threw, the results that are errors. */
  complete(batch: Batch, reply: DoneMessage, serviceMs: number): void {
    if (this.finished || this.failure) return;
    const { start } = batch;
    const { values, thrown, errorValues } = reply;
    const n = values.length;
    this.#policy.observe(n, serviceMs, batch.copyMs);
    if (errorValues) putErrorValues(values, errorValues);
    if (thrown === undefined) this.#results.setAll(start, values);
    else {
      let e = 0;
      for (let i = 0; i < n; i++) {
        if (e < thrown.length && thrown[e][0] === i) {
          this.#deliverError(reviveError(thrown[e++][1], start + i), start + i);
        } else this.#results.set(start + i, values[i]);
      }
    }
    this.#wake();
  }

  #deliverError(error: Error, index: number): void {
    if (!this.#results.fail(index, error)) this.fail(error);
  }

  /** Items that failed so far. */
  get failed(): number {
    return this.#results.failed;
  }

  /** Fails one item from this thread (crash, time-out, a value that cannot be sent). */
  failItem(index: number, error: Error): void {
    if (this.finished || this.failure) return;
    this.#deliverError(withIndex(error, index), index);
    this.#wake();
  }

  /** Puts an item back to run again, alone when `suspect` (it was in a batch whose worker died). */
  requeue(index: number, item: unknown, suspect: boolean): void {
    if (this.finished || this.failure) return;
    this.#again.push(new Batch(this, index, [item], suspect));
  }

  /** Puts every item of a batch back: it never ran, or ran on a worker that was replaced through no fault of its own. */
  requeueAll(batch: Batch, suspect: boolean): void {
    for (let i = 0; i < batch.items.length; i++) this.requeue(batch.start + i, batch.items[i], suspect);
  }

  /** Ends the map with an error, which the consumer gets next; no more input is pulled. */
  fail(error: unknown, urgent = false): void {
    if (this.failure || this.finished) return;
    this.failure = { error, closed: false };
    this.#urgent ||= urgent;
    void this.#source.release();
    this.#wake();
  }

  /** The consumer closed the map: whoever waits on it stops waiting, and the map ends. */
  close(): Promise<void> {
    if (!this.failure && !this.finished && !this.isComplete) {
      const error = Object.assign(new Error('the map was closed (close() was called) before every result was taken'), {
        code: 'ERR_MTL_CLOSED',
      });
      this.failure = { error, closed: true };
      this.#wake();
    }
    return this.end();
  }

  get hasReady(): boolean {
    return this.#results.ready;
  }

  /** Hands the next result to the consumer. Only call when `hasReady`. */
  take(): unknown {
    const value = this.#results.take();
    const done = ++this.handed;
    this.#progress?.tick(done, this.failed);
    try {
      this.options.onProgress?.(done, this.options.total ?? this.length);
    } catch (error) {
      this.fail(error); // the consumer gets it next, and the map stops as after any other failure
    }
    this.#unblock();
    return value;
  }

  /**
   * Hands every result that is ready to `out`, for a consumer that collects them all (`await`).
   * Without `onProgress`, the results move in one loop, with no call per item.
   */
  takeReady(out: unknown[]): void {
    if (this.options.onProgress !== undefined) {
      while (this.hasReady && this.failure === undefined) out.push(this.take());
      return;
    }
    if (this.failure !== undefined) return;
    const taken = this.#results.drainInto(out);
    if (taken === 0) return;
    this.handed += taken;
    this.#progress?.tick(this.handed, this.failed);
    this.#unblock();
  }

  #unblock(): void {
    if (this.#blocked) {
      this.#blocked = false;
      this.#host.dispatch();
    }
  }

  /** Every item has been handed over. */
  get isComplete(): boolean {
    return this.#source.exhausted && this.#again.size === 0 && this.handed === this.pulled;
  }

  /** The error to throw at the end in `deferred` mode, if any item failed. */
  get deferredError(): AggregateError | undefined {
    return this.#results.deferredError(this.handed);
  }

  /** Resolves when there is something new for the consumer. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter();
    }
  }

  /**
   * Stops the map (end, break, error, close): at once no more input is read and the bar shows its last
   * count; then the input is released and the pool lets go of the map. Idempotent.
   */
  end(): Promise<void> {
    if (this.#ending) return this.#ending;
    this.finished = true;
    this.options.signal?.removeEventListener('abort', this.#onAbort);
    this.#progress?.stop(this.handed, this.failed);
    const urgent = this.#urgent || (this.failure !== undefined && !this.failure.closed);
    this.#ending = (async () => {
      await this.#source.release();
      await this.#host.detach(this, urgent);
    })();
    return this.#ending;
  }
}
