import type { ExceptionBehaviour } from '../options/map.js';
import { Deque } from './deque.js';
import { ReorderBuffer } from './reorder-buffer.js';

/**
 * A map's results until its consumer takes them: held by input index when the map is ordered, in
 * arrival order when not, with the exception behaviour applied to failed items.
 */
export class Results {
  /** Items that failed so far. */
  failed = 0;
  #ordered: ReorderBuffer | undefined;
  #unordered: Deque<unknown> | undefined;
  /** `deferred`: the errors, for the AggregateError at the end. */
  #errors: Error[] = [];
  #waiter: (() => void) | undefined;
  /** Something came while the consumer was not waiting. */
  #news = false;

  constructor(
    ordered: boolean,
    readonly mode: ExceptionBehaviour,
  ) {
    if (ordered) this.#ordered = new ReorderBuffer();
    else this.#unordered = new Deque();
  }

  /** Makes room for results up to input index `last` (the window keeps this bounded). */
  reserve(last: number): void {
    this.#ordered?.reserve(last);
  }

  /** A result. */
  set(index: number, value: unknown): void {
    if (this.#ordered) this.#ordered.set(index, value);
    else this.#unordered?.push(value);
  }

  /** Consecutive results from input index `start`, with no error among them: one loop, no call per item. */
  setAll(start: number, values: unknown[]): void {
    const ordered = this.#ordered;
    if (!ordered) {
      for (const value of values) this.#unordered?.push(value);
      return;
    }
    for (let i = 0; i < values.length; i++) ordered.set(start + i, values[i]);
  }

  /** A failed item. Returns false in `immediate` mode, where the error ends the map instead of taking a place. */
  fail(index: number, error: Error): boolean {
    this.failed++;
    if (this.mode === 'immediate') return false;
    if (this.mode === 'deferred') this.#errors.push(error);
    this.set(index, error);
    return true;
  }

  get ready(): boolean {
    return this.#ordered ? this.#ordered.ready : (this.#unordered as Deque<unknown>).size > 0;
  }

  /** The next result. Only call when `ready`. */
  take(): unknown {
    return this.#ordered ? this.#ordered.take() : this.#unordered?.shift();
  }

  /** Moves every result that is ready into `out`, from position `to`; returns how many. */
  drainInto(out: unknown[], to: number): number {
    if (this.#ordered) return this.#ordered.drainInto(out, to);
    const unordered = this.#unordered as Deque<unknown>;
    const n = unordered.size;
    for (let i = 0; i < n; i++) out[to + i] = unordered.shift();
    return n;
  }

  /** `deferred`: the error to throw once every result was handed over, if any item failed. */
  deferredError(handed: number): AggregateError | undefined {
    if (this.#errors.length === 0) return undefined;
    const indexOf = (error: Error) => (error as Error & { index: number }).index;
    const errors = this.#errors.sort((a, b) => indexOf(a) - indexOf(b));
    return new AggregateError(errors, `${errors.length} of ${handed} items failed (exceptionBehaviour: 'deferred')`);
  }

  /** Resolves when there is something new for the consumer (at once, if something came since it last looked). */
  wait(): Promise<void> {
    if (this.#news) {
      this.#news = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** There may be something new for the consumer. Kept when it is not waiting: results can come while it looks. */
  wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) {
      this.#news = true;
      return;
    }
    this.#waiter = undefined;
    waiter();
  }
}
