import type { ResolvedMapOptions } from '../options/map.js';
import { Batch } from './batch.js';
import { BatchPolicy } from './batch-size.js';
import type { Checkpoint } from './checkpoint.js';
import { Deque } from './deque.js';
import { InputSource, lengthOf } from './input.js';
import { LabelGate } from './labels.js';
import type { MapHost, MapRun } from './map-run.js';
import { Alarm, TokenBucket } from './token-bucket.js';

/** What the intake of a map needs from the map. */
export interface IntakeOwner {
  /** Results the consumer has taken: the window counts from them. */
  readonly handed: number;
  /** Makes room for results up to input index `last`. */
  reserve(last: number): void;
  /** `checkpoint`: an item an earlier run finished, handed over as stored. */
  stored(index: number, value: unknown): void;
  /** The input failed (its iterator threw). */
  fail(error: unknown): void;
  /** There may be something new for the consumer (the input ended, stored results came). */
  wake(): void;
}

/**
 * The input side of a map: pulls items lazily within the window, makes batches of the size the policy
 * says, puts items back to run again, holds back items whose label is at its limit, and skips items a
 * checkpoint has.
 */
export class Intake {
  readonly length: number | undefined;
  pulled = 0;
  /** The window was full when a worker asked for work: dispatch again when the consumer takes a result. */
  blocked = false;
  checkpoint: Checkpoint | undefined;
  readonly source: InputSource;
  readonly policy: BatchPolicy;
  /** Items to run again (alone), before any new input. */
  #again = new Deque<Batch>();
  #gate: LabelGate | undefined;
  /** A map's own `rateLimit`. */
  #bucket: TokenBucket | undefined;
  #alarm: Alarm | undefined;

  constructor(
    readonly run: MapRun & IntakeOwner,
    readonly host: MapHost,
    inputs: unknown,
    readonly options: ResolvedMapOptions,
  ) {
    this.source = new InputSource(inputs);
    this.length = lengthOf(inputs);
    const { taskTimeout, rateLimit, limits } = options;
    this.policy = new BatchPolicy({
      nJobs: host.nJobs,
      perWorker: host.perWorker,
      fixed: options.batchSize,
      window: options.window,
      single: taskTimeout !== undefined || rateLimit !== undefined || limits !== undefined || host.singleItems,
    });
    if (limits) this.#gate = new LabelGate(limits);
    if (rateLimit) {
      this.#bucket = new TokenBucket(rateLimit);
      this.#alarm = new Alarm(() => host.dispatch());
    }
  }

  /** Starts reading: an async input at once, a sync one to its end when the map is unbounded. */
  start(): void {
    if (this.length === 0) this.source.done = true;
    // Some streams (readline) drop what they emit before their iterator exists: start reading an
    // async input now, while workers may still be starting.
    if (this.source.isAsync) this.fill();
    else if (!this.options.bounded) this.source.drain();
  }

  /** Inputs that may be pulled but not yet handed to the consumer. */
  get window(): number {
    return this.options.bounded ? this.policy.window : Number.POSITIVE_INFINITY;
  }

  get #room(): number {
    return this.window - (this.pulled - this.run.handed);
  }

  get #unpulled(): number | undefined {
    return this.length === undefined ? undefined : this.length - this.pulled;
  }

  /** Nothing to hand out until an item is put back. */
  get drained(): boolean {
    return this.source.exhausted && this.#again.size === 0 && (this.#gate?.held.length ?? 0) === 0;
  }

  /** Every item pulled, none left to run again. */
  get exhausted(): boolean {
    return this.source.exhausted && this.#again.size === 0;
  }

  /** The next batch (see `MapRun.takeBatch`). Throws what the input's iterator, `label` or `checkpoint.key` throws. */
  take(idle: boolean, startsNow: boolean, limit: number): Batch | undefined {
    if (this.#bucket) {
      const wait = this.#bucket.wait();
      if (wait > 0) {
        this.#alarm?.in(wait);
        return undefined;
      }
    }
    const batch = this.#gate ? this.#takeLabelled(this.#gate, idle, startsNow) : this.#take(idle, startsNow, limit);
    if (batch) this.#bucket?.take();
    return batch;
  }

  #take(idle: boolean, startsNow: boolean, limit: number): Batch | undefined {
    const again = this.#again.peek();
    if (again) return again.suspect && !idle ? undefined : this.#again.shift();
    if (!startsNow && !this.policy.prefetch(this.#unpulled)) return undefined;
    for (;;) {
      const room = this.#room;
      if (room <= 0) {
        this.blocked = true;
        return undefined;
      }
      const items = this.source.take(Math.min(room, this.policy.next(this.#unpulled), limit));
      if (items.length === 0) {
        if (this.source.isAsync) this.fill();
        if (this.source.exhausted) this.run.wake();
        return undefined;
      }
      const batch = this.checkpoint ? this.#skipStored(this.checkpoint, items) : this.#batchOf(items);
      // Refill after counting this batch as pulled, so that the window holds for async inputs too.
      if (this.source.isAsync) this.fill();
      if (batch) return batch;
    }
  }

  #batchOf(items: unknown[], keys?: string[]): Batch {
    const batch = new Batch(this.run, this.pulled, items, false, undefined, keys);
    this.pulled += items.length;
    this.run.reserve(this.pulled - 1);
    return batch;
  }

  /** `checkpoint`: items finished by an earlier run are handed over as stored; a batch is the next run of the others. */
  #skipStored(checkpoint: Checkpoint, items: unknown[]): Batch | undefined {
    const keys = items.map((item, i) => checkpoint.keyOf(item, this.pulled + i));
    let i = 0;
    for (; i < items.length && checkpoint.has(keys[i]); i++) {
      const index = this.pulled++;
      this.run.reserve(index);
      this.run.stored(index, checkpoint.lookup(keys[i])?.value);
    }
    let end = i;
    while (end < items.length && !checkpoint.has(keys[end])) end++;
    this.source.putBack(items.slice(end));
    this.run.wake();
    return end > i ? this.#batchOf(items.slice(i, end), keys.slice(i, end)) : undefined;
  }

  /** `limits`: the first item whose labels have room, passing the ones held back (within the window). */
  #takeLabelled(gate: LabelGate, idle: boolean, startsNow: boolean): Batch | undefined {
    const again = this.#again.peek();
    if (again && (!again.suspect || idle) && gate.free(again.labels ?? [])) {
      gate.claim(again.labels ?? []);
      return this.#again.shift();
    }
    if (!startsNow) return undefined;
    const held = gate.takeHeld();
    if (held) {
      gate.claim(held.labels);
      return new Batch(
        this.run,
        held.index,
        [held.item],
        false,
        held.labels,
        held.key === undefined ? undefined : [held.key],
      );
    }
    while (this.#room > 0) {
      const taken = this.source.take(1);
      if (taken.length === 0) {
        if (this.source.isAsync) this.fill();
        if (this.source.exhausted) this.run.wake();
        return undefined;
      }
      const index = this.pulled++;
      this.run.reserve(index);
      if (this.source.isAsync) this.fill();
      const key = this.checkpoint?.keyOf(taken[0], index);
      if (key !== undefined && this.checkpoint?.has(key)) {
        this.run.stored(index, this.checkpoint.lookup(key)?.value);
        this.run.wake();
        continue;
      }
      const labels = gate.labelsOf(taken[0]);
      const keys = key === undefined ? undefined : [key];
      if (gate.free(labels)) {
        gate.claim(labels);
        return new Batch(this.run, index, taken, false, labels, keys);
      }
      gate.held.push({ index, item: taken[0], labels, key });
    }
    this.blocked = true;
    return undefined;
  }

  /** Async inputs: reads ahead while the window and the staging room allow. */
  fill(): void {
    const { source, run } = this;
    const wanted = () =>
      !run.failure &&
      !run.finished &&
      (!this.options.bounded ||
        (source.staged < this.policy.next(this.#unpulled) * this.host.nJobs * this.host.perWorker &&
          this.pulled + source.staged - run.handed < this.window));
    if (!wanted()) return;
    source.fill(
      wanted,
      () => this.host.dispatch(),
      (error) => run.fail(error),
    );
  }

  /** The map has ended: no more timers, and the checkpoint file is closed. */
  close(): void {
    this.#alarm?.cancel();
    this.checkpoint?.close();
  }

  /** A batch's items are out of the workers' hands: its labels have room again. */
  release(batch: Batch): void {
    if (batch.labels) this.#gate?.release(batch.labels);
  }

  /** Puts an item of a batch back to run again, alone when `suspect` (its worker died holding it). */
  requeue(batch: Batch, position: number, suspect: boolean): void {
    const key = batch.keys?.[position];
    const items = [batch.items[position]];
    this.#again.push(
      new Batch(this.run, batch.start + position, items, suspect, batch.labels, key ? [key] : undefined),
    );
  }
}
