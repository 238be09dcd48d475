import { describeValue } from '../describe.js';

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

const RELEASE_WAIT_MS = 1000;

/** A `next()` result must be an object, as `for...of` demands; anything else would read as endless `undefined`. */
function checkStep<T>(step: IteratorResult<T>, kind: string): IteratorResult<T> {
  if (typeof step !== 'object' || step === null) {
    throw new TypeError(
      `the input's ${kind} returned ${describeValue(step)} from next(), where an iterator result object ({ value, done }) was expected`,
    );
  }
  return step;
}

const iteratorOf = <T>(iterable: unknown, method: symbol, kind: string): T => {
  const iterator = (iterable as Record<symbol, () => unknown>)[method]();
  if (typeof iterator !== 'object' || iterator === null) {
    throw new TypeError(
      `the input's [Symbol.${kind === 'iterator' ? 'iterator' : 'asyncIterator'}]() returned ${describeValue(iterator)}, where an iterator object was expected`,
    );
  }
  return iterator as T;
};

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
    this.#iterator ??= iteratorOf<Iterator<unknown>>(this.#inputs, Symbol.iterator, 'iterator');
    const items: unknown[] = [];
    while (items.length < max) {
      const step = checkStep(this.#iterator.next(), 'iterator');
      if (step.done) {
        this.done = true;
        break;
      }
      items.push(step.value);
    }
    return items;
  }

  /** Puts items taken but not used back in front, to be taken again next (`checkpoint` splits a batch). */
  putBack(items: unknown[]): void {
    if (items.length === 0) return;
    if (this.#array) {
      this.#offset -= items.length;
      this.done = false;
      return;
    }
    this.#staged = [...items, ...this.#staged.slice(this.#stagedHead)];
    this.#stagedHead = 0;
  }

  /** True once every item has been taken (async: none left in the staging queue either). */
  get exhausted(): boolean {
    return this.done && this.staged === 0;
  }

  /** Reads a synchronous input to its end into the staging queue (`bounded: false`). */
  drain(): void {
    if (this.#array || this.isAsync) return;
    this.#iterator ??= iteratorOf<Iterator<unknown>>(this.#inputs, Symbol.iterator, 'iterator');
    const iterator = this.#iterator;
    for (let step = checkStep(iterator.next(), 'iterator'); !step.done; step = checkStep(iterator.next(), 'iterator')) {
      this.#staged.push(step.value);
    }
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
    const loop = async () => {
      try {
        this.#asyncIterator ??= iteratorOf<AsyncIterator<unknown>>(
          this.#inputs,
          Symbol.asyncIterator,
          'async iterator',
        );
        const iterator = this.#asyncIterator;
        while (!this.done && wanted()) {
          const step = checkStep(await iterator.next(), 'async iterator');
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

  /**
   * Tells the input's iterator we are done with it (runs its `finally` blocks). An async `return()`
   * is waited for up to a second: the input's clean-up must not hold the map's end for ever.
   */
  async release(): Promise<void> {
    this.done = true;
    try {
      if (this.#iterator?.return) this.#iterator.return();
      else if (this.#asyncIterator?.return && !this.#pending) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, RELEASE_WAIT_MS);
        });
        await Promise.race([Promise.resolve(this.#asyncIterator.return()).catch(() => {}), late]);
        clearTimeout(timer);
      }
    } catch {}
  }
}
