import { putErrorValues, reviveError, withIndex } from '../errors/data.js';
import type { ResolvedMapOptions } from '../options/map.js';
import { createProgress, type Progress } from '../progress.js';
import type { DoneMessage } from '../protocol.js';
import type { Batch } from './batch.js';
import { Checkpoint } from './checkpoint.js';
import { Intake, type IntakeOwner } from './intake.js';
import type { Failure, MapHost } from './map-host.js';
import { Results } from './results.js';
import { Retries } from './retries.js';

export type { Failure, MapHost } from './map-host.js';

/**
 * One map over one input: lazy pulling within the window, batching, retries, the results (ordered
 * or not, with the exception behaviour) and progress. Workers are the pool's; a pool can serve several maps.
 */
export class MapRun implements IntakeOwner {
  readonly length: number | undefined;
  handed = 0;
  failure: Failure | undefined;
  started = false;
  finished = false;
  #host: MapHost;
  #intake: Intake;
  #results: Results;
  #progress: Progress | undefined;
  #ending: Promise<void> | undefined;
  #urgent = false;
  #onAbort = () => this.fail((this.options.signal as AbortSignal).reason, true);
  /** `onResult`, `checkpoint` or `retry`: every finished item is looked at, not only failed ones. */
  #eachItem: boolean;
  #retries: Retries;

  constructor(
    host: MapHost,
    inputs: unknown,
    readonly options: ResolvedMapOptions,
  ) {
    this.#host = host;
    this.#intake = new Intake(this, host, inputs, options);
    this.length = this.#intake.length;
    this.#results = new Results(options.ordered, options.exceptionBehaviour);
    this.#eachItem = options.onResult !== undefined || options.checkpoint !== undefined || options.retry !== undefined;
    this.#retries = new Retries(options.retry);
    host.warm(this.demand);
  }

  /** Called on the consumer's first `next()` (or `await`): nothing is read from the input before. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { signal, progress, desc, total, checkpoint } = this.options;
    if (signal?.aborted) {
      this.fail(signal.reason, true);
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    try {
      if (checkpoint) this.#intake.checkpoint = new Checkpoint(checkpoint);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.#progress = createProgress(progress, desc, total ?? this.length);
    this.#host.attach(this);
    try {
      this.#intake.start();
    } catch (error) {
      this.fail(error);
    }
  }

  /** How many workers this map can keep busy: what is left of a sized input, else as many as there are. */
  get demand(): number {
    return this.length === undefined ? Number.POSITIVE_INFINITY : this.length - this.handed;
  }

  /** Inputs pulled so far. */
  get pulled(): number {
    return this.#intake.pulled;
  }

  /** Nothing to hand out until an item is requeued: the pool need not ask. */
  get drained(): boolean {
    return this.failure !== undefined || this.finished || this.#intake.drained;
  }

  /**
   * The next batch for a worker, or undefined. `idle`: the worker holds nothing; `startsNow`: it would
   * start the batch at once (idle, or running fewer items than it may); `limit`: items it may take.
   */
  takeBatch(idle: boolean, startsNow: boolean, limit: number): Batch | undefined {
    if (this.failure || this.finished) return undefined;
    try {
      return this.#intake.take(idle, startsNow, limit);
    } catch (error) {
      this.fail(error); // the input's iterator, `label` or `checkpoint.key` threw
      return undefined;
    }
  }

  reserve(last: number): void {
    this.#results.reserve(last);
  }

  stored(index: number, value: unknown): void {
    this.#succeeded(index, value, -1, 0, 0);
  }

  /** A worker's reply for a batch: values, the positions that threw, the results that are errors. */
  complete(batch: Batch, reply: DoneMessage, serviceMs: number): void {
    this.#intake.release(batch);
    if (this.finished || this.failure) return;
    const { start } = batch;
    const { values, thrown, errorValues, durations } = reply;
    this.#intake.policy.observe(values.length, serviceMs, batch.copyMs);
    if (errorValues) putErrorValues(values, errorValues);
    if (thrown === undefined && !this.#eachItem) this.#results.setAll(start, values);
    else {
      let e = 0;
      for (let i = 0; i < values.length; i++) {
        const ms = durations?.[i] ?? 0;
        if (thrown && e < thrown.length && thrown[e][0] === i) {
          this.#failed(batch, i, reviveError(thrown[e++][1], start + i), ms);
        } else this.#succeeded(start + i, values[i], batch.workerIndex, ms, 1);
      }
      if (batch.keys) this.#intake.checkpoint?.recordBatch(batch.keys, values, thrown);
    }
    this.wake();
  }

  #succeeded(index: number, value: unknown, workerIndex: number, durationMs: number, ran: number): void {
    this.#results.set(index, value);
    const attempts = ran === 0 ? 0 : this.#retries.settle(index);
    if (this.options.onResult) {
      this.#report({ index, value, workerIndex, durationMs, attempts });
    }
  }

  /** An item failed: tried again when `retry` says so, else it takes its place as an error (or ends the map). */
  #failed(batch: Batch, position: number, error: Error, durationMs: number): void {
    const index = batch.start + position;
    try {
      if (this.#retries.retry(index, error, () => this.#requeue(batch, position, false, true))) return;
    } catch (thrown) {
      this.fail(thrown); // shouldRetry threw
      return;
    }
    const attempts = this.#retries.settle(index);
    if (this.options.retry) {
      Object.defineProperty(error, 'attempts', {
        value: attempts,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    if (this.options.onResult) {
      this.#report({ index, error, workerIndex: batch.workerIndex, durationMs, attempts });
    }
    if (!this.#results.fail(index, error)) this.fail(error);
  }

  #report(event: Parameters<NonNullable<ResolvedMapOptions['onResult']>>[0]): void {
    try {
      this.options.onResult?.(event);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Fails one item of a batch from this thread (crash, time-out, a value that cannot be sent). */
  failItem(batch: Batch, position: number, error: Error): void {
    this.#intake.release(batch);
    if (this.finished || this.failure) return;
    const ms = batch.startedAt > 0 ? performance.now() - batch.startedAt : 0;
    this.#failed(batch, position, withIndex(error, batch.start + position), ms);
    this.wake();
  }

  /** Puts every item of a batch back to run again: alone, when `suspect` (its worker died holding it). */
  requeueAll(batch: Batch, suspect: boolean): void {
    this.#intake.release(batch);
    for (let i = 0; i < batch.items.length; i++) this.#requeue(batch, i, suspect);
  }

  /** Puts one item of a batch back (its batch could not be sent, or it is retried). */
  requeueOne(batch: Batch, position: number): void {
    if (batch.items.length === 1) this.#intake.release(batch);
    this.#requeue(batch, position, false);
  }

  #requeue(batch: Batch, position: number, suspect: boolean, dispatch = false): void {
    if (this.finished || this.failure) return;
    this.#intake.requeue(batch, position, suspect);
    this.#host.rejoin(this);
    if (dispatch) this.#host.dispatch();
  }

  /** What a running task sent with `emit(value)`. */
  message(batch: Batch, position: number, value: unknown): void {
    if (this.finished || this.failure) return;
    try {
      this.options.onMessage?.(value, { index: batch.start + position, workerIndex: batch.workerIndex });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Ends the map with an error, which the consumer gets next; no more input is pulled. */
  fail(error: unknown, urgent = false): void {
    if (this.failure || this.finished) return;
    this.failure = { error, closed: false };
    this.#urgent ||= urgent;
    void this.#intake.source.release();
    this.wake();
  }

  /** The consumer closed the map: whoever waits on it stops waiting, and the map ends. */
  close(): Promise<void> {
    if (!this.failure && !this.finished && !this.isComplete) {
      const error = Object.assign(new Error('the map was closed (close() was called) before every result was taken'), {
        code: 'ERR_MTL_CLOSED',
      });
      this.failure = { error, closed: true };
      this.wake();
    }
    return this.end();
  }

  /** Items that failed so far. */
  get failed(): number {
    return this.#results.failed;
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
   * Hands every result that is ready to `out`, from position `to`, for a consumer that collects them
   * all (`await`); returns the position after the last. The results move in one loop; `onProgress`,
   * when given, is then called for each of them in order (the consumer sees none of them before the
   * map ends, so "just before it gets each one" holds).
   */
  takeReady(out: unknown[], to: number): number {
    if (this.failure !== undefined) return to;
    const taken = this.#results.drainInto(out, to);
    if (taken === 0) return to;
    const { onProgress } = this.options;
    if (onProgress === undefined) this.handed += taken;
    else this.#reportEach(onProgress, taken);
    this.#progress?.tick(this.handed, this.failed);
    this.#unblock();
    return to + taken;
  }

  /** `onProgress` for `taken` results handed at once; one that throws ends the map with its error. */
  #reportEach(onProgress: (done: number, total: number | undefined) => void, taken: number): void {
    const total = this.options.total ?? this.length;
    const end = this.handed + taken;
    try {
      while (this.handed < end) onProgress(++this.handed, total);
    } catch (error) {
      this.fail(error);
    }
  }

  #unblock(): void {
    if (this.#intake.blocked) {
      this.#intake.blocked = false;
      this.#host.dispatch();
    }
  }

  /** Every item has been handed over. */
  get isComplete(): boolean {
    return this.#intake.exhausted && this.handed === this.#intake.pulled;
  }

  /** The error to throw at the end in `deferred` mode, if any item failed. */
  get deferredError(): AggregateError | undefined {
    return this.#results.deferredError(this.handed);
  }

  /** Resolves when there is something new for the consumer. */
  wait(): Promise<void> {
    return this.#results.wait();
  }

  wake(): void {
    this.#results.wake();
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
    this.#retries.cancel();
    this.#intake.close();
    const urgent = this.#urgent || (this.failure !== undefined && !this.failure.closed);
    this.#ending = (async () => {
      await this.#intake.source.release();
      await this.#host.detach(this, urgent);
    })();
    return this.#ending;
  }
}
