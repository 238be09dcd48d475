import type { Batch } from './batch.js';

/** The batches a worker holds (sent, not answered), oldest first, each with its timer. */
export class Inflight {
  #batches: Batch[] = [];

  get size(): number {
    return this.#batches.length;
  }

  /** Whether it holds a batch of a map that has ended. */
  holdsEnded(): boolean {
    for (const batch of this.#batches) if (batch.run.finished) return true;
    return false;
  }

  has(batch: Batch): boolean {
    return this.#batches.includes(batch);
  }

  find(id: number): Batch | undefined {
    return this.#batches.find((b) => b.id === id);
  }

  /** A batch sent; `timeout` runs after `ms` unless the batch is answered or restarted first. */
  add(batch: Batch, ms?: number, timeout?: () => void): void {
    if (ms !== undefined && timeout) {
      batch.timer = setTimeout(timeout, ms);
      batch.timer.unref();
    }
    this.#batches.push(batch);
  }

  /** The worker started a batch: its timer, if any, starts again as `timeout` after `ms`. */
  started(batch: Batch, ms: number | undefined, timeout: () => void): void {
    clearTimeout(batch.timer);
    batch.startedAt = performance.now();
    batch.timer = ms === undefined ? undefined : setTimeout(timeout, ms);
  }

  /** Takes a batch out (answered, timed out), with its timer stopped; undefined when it is not held. */
  remove(batch: Batch | number): Batch | undefined {
    const at =
      typeof batch === 'number' ? this.#batches.findIndex((b) => b.id === batch) : this.#batches.indexOf(batch);
    if (at < 0) return undefined;
    const [removed] = this.#batches.splice(at, 1);
    clearTimeout(removed.timer);
    return removed;
  }

  /** Takes every batch out, their timers stopped. */
  removeAll(): Batch[] {
    const all = this.#batches.splice(0);
    for (const batch of all) clearTimeout(batch.timer);
    return all;
  }

  stopTimers(): void {
    for (const batch of this.#batches) clearTimeout(batch.timer);
  }
}
