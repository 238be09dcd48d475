import { describeValue } from '../errors.js';

/** The length of a sized input (array, typed array, Set, Map, or anything with a numeric `length` or `size`). */
export function lengthOf(inputs: unknown): number | undefined {
  if (Array.isArray(inputs) || ArrayBuffer.isView(inputs)) return (inputs as ArrayLike<unknown>).length;
  if (typeof inputs === 'string') return undefined;
  const sized = inputs as { length?: unknown; size?: unknown };
  if (typeof sized.length === 'number' && Number.isInteger(sized.length) && sized.length >= 0) return sized.length;
  if (typeof sized.size === 'number' && Number.isInteger(sized.size) && sized.size >= 0) return sized.size;
  return undefined;
}

/** Checks that the inputs can be iterated, without touching them (the map is lazy). */
export function checkIterable(inputs: unknown): void {
  const candidate = inputs as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (
    candidate == null ||
    (typeof candidate[Symbol.iterator] !== 'function' && typeof candidate[Symbol.asyncIterator] !== 'function')
  ) {
    throw new TypeError(`Expected \`inputs\` to be an Iterable or an AsyncIterable, got ${describeValue(inputs)}`);
  }
}

/**
 * Pulls items from the user's input on demand: synchronously from an iterable (arrays are sliced),
 * and one `next()` at a time from an async iterable, into a staging queue.
 */
export class InputSource {
  done = false;
  #inputs: unknown;
  #array: readonly unknown[] | undefined;
  #offset = 0;
  #iterator: Iterator<unknown> | undefined;
  #asyncIterator: AsyncIterator<unknown> | undefined;
  #staged: unknown[] = [];
  #stagedHead = 0;
  #pending = false;

  constructor(inputs: unknown) {
    this.#inputs = inputs;
    if (Array.isArray(inputs)) this.#array = inputs;
  }

  get isAsync(): boolean {
    const inputs = this.#inputs as object;
    return !this.#array && typeof (inputs as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function';
  }

  /** Items ready now (async: already staged), at most `max`. Throws what the input's iterator throws. */
  take(max: number): unknown[] {
    if (this.#array) {
      const items = this.#array.slice(this.#offset, this.#offset + max);
      this.#offset += items.length;
      if (this.#offset >= this.#array.length) this.done = true;
      return items;
    }
    if (this.isAsync || this.staged > 0) {
      const end = Math.min(this.#staged.length, this.#stagedHead + max);
      const items = this.#staged.slice(this.#stagedHead, end);
      this.#stagedHead = end;
      if (this.#stagedHead === this.#staged.length) {
        this.#staged = [];
        this.#stagedHead = 0;
      }
      return items;
    }
    if (this.done) return [];
    this.#iterator ??= (this.#inputs as Iterable<unknown>)[Symbol.iterator]();
    const items: unknown[] = [];
    while (items.length < max) {
      const step = this.#iterator.next();
      if (step.done) {
        this.done = true;
        break;
      }
      items.push(step.value);
    }
    return items;
  }

  /** True once every item has been taken (async: none left in the staging queue either). */
  get exhausted(): boolean {
    return this.done && this.staged === 0;
  }

  /** Reads a synchronous input to its end into the staging queue (`bounded: false`). */
  drain(): void {
    if (this.#array || this.isAsync) return;
    this.#iterator ??= (this.#inputs as Iterable<unknown>)[Symbol.iterator]();
    for (let step = this.#iterator.next(); !step.done; step = this.#iterator.next()) this.#staged.push(step.value);
    this.done = true;
  }

  /** How many items wait in the staging queue. */
  get staged(): number {
    return this.#staged.length - this.#stagedHead;
  }

  /**
   * Async inputs: pulls one item at a time while `wanted()` says so; calls `arrived` after each,
   * and `failed` if the iterator throws. At most one pull is under way.
   */
  fill(wanted: () => boolean, arrived: () => void, failed: (error: unknown) => void): void {
    if (this.#pending || this.done) return;
    this.#pending = true;
    this.#asyncIterator ??= (this.#inputs as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const iterator = this.#asyncIterator;
    const loop = async () => {
      try {
        while (!this.done && wanted()) {
          const step = await iterator.next();
          if (step.done) this.done = true;
          else this.#staged.push(step.value);
          arrived();
        }
      } catch (error) {
        this.done = true;
        failed(error);
      } finally {
        this.#pending = false;
      }
    };
    void loop();
  }

  /** Tells the input's iterator we are done with it (runs its `finally` blocks). */
  async release(): Promise<void> {
    this.done = true;
    try {
      if (this.#iterator?.return) this.#iterator.return();
      else if (this.#asyncIterator?.return && !this.#pending) await this.#asyncIterator.return();
    } catch {}
  }
}
