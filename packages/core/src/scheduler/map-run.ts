import { reviveError, type SerializedError, withIndex } from '../errors.js';
import type { ResolvedMapOptions } from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import { Deque, ReorderBuffer } from './deque.js';
import { InputSource, lengthOf } from './input.js';

/** Batches each worker holds at once: one running, one waiting, so no worker idles between messages. */
export const PREFETCH = 2;
/** The largest batch `batchSize: 'auto'` grows to. */
export const MAX_BATCH = 1024;
/**
 * What an auto-sized batch aims to cost in a worker. Between two batches a worker loses 0.2–0.7 ms
 * when every core is busy (the parent, woken by the reply, takes its turn on a core), so a batch of
 * 50 ms keeps that near 1 %; results still come back faster than a progress bar redraws.
 */
const TARGET_BATCH_MS = 50;
/**
 * What an auto-sized batch may cost the parent to copy into its message. Copying happens on the one
 * thread that feeds every worker, so a large batch of large items stalls them all, and holds that
 * much more memory.
 */
const COPY_BUDGET_MS = 0.5;
/**
 * Items slower than this are queued behind one another on a worker only while plenty of a sized
 * input is left: the message latency they hide is small beside them, and near the end a queued item
 * could not move to a worker that falls idle.
 */
const PREFETCH_BELOW_MS = 1;

/** Items sent to a worker in one message. Items of a batch have consecutive input indices. */
export interface Batch {
  id: number;
  run: MapRun;
  start: number;
  items: unknown[];
  /** Re-run alone after a crash, to find which item brought its worker down. */
  suspect: boolean;
  sentAt: number;
  /** Time the parent spent copying the batch into its message. */
  copyMs: number;
  timer?: NodeJS.Timeout;
}

/** What a map needs from the pool it runs on. */
export interface RunHost {
  readonly nJobs: number;
  attach(run: MapRun): void;
  dispatch(): void;
  /** The map has ended (or was broken off): detach it, and stop the workers if the map owns them. */
  release(run: MapRun, urgent: boolean): Promise<void>;
}

/**
 * One map over one input: lazy pulling within the window, per-map batching, the reorder buffer,
 * the exception behaviour and progress. Workers are the pool's; a pool can serve several maps.
 */
export class MapRun {
  readonly length: number | undefined;
  pulled = 0;
  handed = 0;
  failed = 0;
  /** A terminal error: the consumer gets it next (immediate mode, input error, abort, broken pool). */
  failure: { error: unknown } | undefined;
  started = false;
  finished = false;
  #host: RunHost;
  #source: InputSource;
  #ordered: ReorderBuffer | undefined;
  #unordered: Deque<unknown> | undefined;
  #requeue = new Deque<Batch>();
  #errors: Error[] = [];
  #batch = 1;
  #perItemMs = 0;
  #copyPerItemMs = 0;
  #blocked = false;
  #waiter: (() => void) | undefined;
  #progress: Progress | undefined;
  #ending: Promise<void> | undefined;
  #onAbort = () => this.fail((this.options.signal as AbortSignal).reason, true);
  #urgent = false;

  constructor(
    host: RunHost,
    inputs: unknown,
    readonly options: ResolvedMapOptions,
  ) {
    this.#host = host;
    this.#source = new InputSource(inputs);
    this.length = lengthOf(inputs);
    if (options.ordered) this.#ordered = new ReorderBuffer();
    else this.#unordered = new Deque();
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

  /** Inputs that may be pulled but not yet handed to the consumer. */
  get window(): number {
    const { window, bounded } = this.options;
    if (!bounded) return Number.POSITIVE_INFINITY;
    return window ?? this.#host.nJobs * PREFETCH * 2 * (this.options.batchSize ?? this.#batch);
  }

  #batchTarget(): number {
    const { taskTimeout, batchSize, window } = this.options;
    if (taskTimeout !== undefined) return 1;
    const jobs = this.#host.nJobs;
    let n = batchSize ?? this.#batch;
    if (window !== undefined) n = Math.min(n, Math.max(1, Math.floor(window / (jobs * PREFETCH))));
    // Near the end of a sized input, batches shrink (to one share of what is left per batch a worker
    // may hold), so that the last ones are single items and the workers finish together.
    if (this.length !== undefined) {
      n = Math.min(n, Math.max(1, Math.ceil((this.length - this.pulled) / (jobs * PREFETCH))));
    }
    return n;
  }

  /** The next batch for a worker, or undefined. `idle`: the worker holds nothing now; `limit`: items it may take. */
  takeBatch(idle: boolean, limit: number): Batch | undefined {
    if (this.failure || this.finished) return undefined;
    const retry = this.#requeue.peek();
    if (retry) {
      if (retry.suspect && !idle) return undefined;
      return this.#requeue.shift();
    }
    if (!idle && !this.#prefetch) return undefined;
    const room = this.window - (this.pulled - this.handed);
    if (room <= 0) {
      this.#blocked = true;
      return undefined;
    }
    let items: unknown[];
    try {
      items = this.#source.take(Math.min(room, this.#batchTarget(), limit));
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    if (items.length === 0) {
      if (this.#source.isAsync) this.#fill();
      if (this.#source.exhausted) this.#wake();
      return undefined;
    }
    const batch = this.#batchOf(this.pulled, items, false);
    this.pulled += items.length;
    this.#ordered?.reserve(this.pulled - 1);
    // Refill after counting this batch as pulled, so that the window holds for async inputs too.
    if (this.#source.isAsync) this.#fill();
    return batch;
  }

  /**
   * Whether a worker may hold a second batch: for items known to be quick, or slow items while more
   * than two per worker are left; never with a time-out.
   */
  get #prefetch(): boolean {
    if (this.options.taskTimeout !== undefined || this.#perItemMs === 0) return false;
    if (this.#perItemMs < PREFETCH_BELOW_MS) return true;
    return this.length !== undefined && this.length - this.pulled > 2 * this.#host.nJobs;
  }

  #fill(): void {
    const source = this.#source;
    const wanted = () =>
      !this.failure &&
      !this.finished &&
      (!this.options.bounded ||
        (source.staged < this.#batchTarget() * this.#host.nJobs * PREFETCH &&
          this.pulled + source.staged - this.handed < this.window));
    if (!wanted()) return;
    source.fill(
      wanted,
      () => this.#host.dispatch(),
      (error) => this.fail(error),
    );
  }

  /**
   * Learns the cost of an item from how long a worker spent on a batch and how long the parent took to
   * copy it, and sizes the next batches.
   */
  #observe(items: number, serviceMs: number, copyMs: number): void {
    if (this.options.batchSize !== undefined) return;
    const first = this.#perItemMs === 0;
    this.#perItemMs = first ? serviceMs / items : 0.7 * this.#perItemMs + 0.3 * (serviceMs / items);
    this.#copyPerItemMs = first ? copyMs / items : 0.7 * this.#copyPerItemMs + 0.3 * (copyMs / items);
    const ideal = Math.floor(
      Math.min(TARGET_BATCH_MS / Math.max(this.#perItemMs, 1e-6), COPY_BUDGET_MS / Math.max(this.#copyPerItemMs, 1e-6)),
    );
    this.#batch = Math.max(1, Math.min(ideal, this.#batch * 8, MAX_BATCH));
  }

  /** A worker's reply for a batch: values, and the positions that failed. */
  complete(batch: Batch, results: unknown[], errors: [number, SerializedError][] | undefined, serviceMs: number): void {
    if (this.finished || this.failure) return;
    const { start } = batch;
    const n = results.length;
    this.#observe(n, serviceMs, batch.copyMs);
    if (errors === undefined && this.#ordered) {
      const ordered = this.#ordered;
      for (let i = 0; i < n; i++) ordered.set(start + i, results[i]);
    } else {
      let e = 0;
      for (let i = 0; i < n; i++) {
        if (errors && e < errors.length && errors[e][0] === i) {
          this.#deliverError(reviveError(errors[e++][1], start + i), start + i);
        } else this.#deliver(start + i, results[i]);
      }
    }
    this.#wake();
  }

  #deliver(index: number, value: unknown): void {
    if (this.#ordered) this.#ordered.set(index, value);
    else this.#unordered?.push(value);
  }

  #deliverError(error: Error, index: number): void {
    this.failed++;
    const mode = this.options.exceptionBehaviour;
    if (mode === 'immediate') {
      this.fail(error);
      return;
    }
    if (mode === 'deferred') this.#errors.push(error);
    this.#deliver(index, error);
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
    this.#requeue.push(this.#batchOf(index, [item], suspect));
  }

  #batchOf(start: number, items: unknown[], suspect: boolean): Batch {
    return { id: 0, run: this, start, items, suspect, sentAt: 0, copyMs: 0 };
  }

  /** Ends the map with an error, which the consumer gets next; no more input is pulled. */
  fail(error: unknown, urgent = false): void {
    if (this.failure || this.finished) return;
    this.failure = { error };
    this.#urgent ||= urgent;
    void this.#source.release();
    this.#wake();
  }

  get hasReady(): boolean {
    return this.#ordered ? this.#ordered.ready : (this.#unordered as Deque<unknown>).size > 0;
  }

  /** Hands the next result to the consumer. Only call when `hasReady`. */
  take(): unknown {
    const value = this.#ordered ? this.#ordered.take() : this.#unordered?.shift();
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
   * In order and without `onProgress`, the results move in one loop, with no call per item.
   */
  takeReady(out: unknown[]): void {
    if (this.#ordered === undefined || this.options.onProgress !== undefined) {
      while (this.hasReady && this.failure === undefined) out.push(this.take());
      return;
    }
    if (this.failure !== undefined) return;
    const taken = this.#ordered.drainInto(out);
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
    return this.#source.exhausted && this.#requeue.size === 0 && this.handed === this.pulled;
  }

  /** The error to throw at the end in `deferred` mode, if any item failed. */
  get deferredError(): AggregateError | undefined {
    if (this.#errors.length === 0) return undefined;
    const indexOf = (error: Error) => (error as Error & { index: number }).index;
    const errors = this.#errors.sort((a, b) => indexOf(a) - indexOf(b));
    return new AggregateError(
      errors,
      `${errors.length} of ${this.handed} items failed (exceptionBehaviour: 'deferred')`,
    );
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

  /** Stops the map (end, break, error): releases the input, the bar and the workers. Idempotent. */
  end(): Promise<void> {
    this.#ending ??= (async () => {
      this.finished = true;
      this.options.signal?.removeEventListener('abort', this.#onAbort);
      this.#progress?.stop(this.handed, this.failed);
      await this.#source.release();
      await this.#host.release(this, this.#urgent);
    })();
    return this.#ending;
  }
}
