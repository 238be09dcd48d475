import type { MapRun } from './scheduler/map-run.js';

/**
 * The result of a map: at once an async iterable that streams results, a promise of the array of
 * all results, a sized object (`length`), and a disposable.
 *
 * @example
 * const out = pqdm(inputs, square, 4);
 * console.log(out.length);                 // the input's length, for a progress total
 * for await (const y of out) console.log(y); // streams, in input order
 * // or: const all = await pqdm(inputs, square, 4);
 */
export class PqdmResult<O> implements AsyncIterable<O>, PromiseLike<O[]>, AsyncDisposable {
  /** The input's length when it has one (array, typed array, Set, Map, `length`/`size`), else `undefined`. */
  readonly length: number | undefined;
  #run: MapRun;
  #use: 'iterate' | 'await' | undefined;
  #all: Promise<O[]> | undefined;

  /** @internal */
  constructor(run: MapRun) {
    this.#run = run;
    this.length = run.length;
  }

  #claim(use: 'iterate' | 'await'): void {
    if (this.#use === use && use === 'await') return;
    if (this.#use !== undefined) {
      throw new TypeError(
        `this map's results were already ${this.#use === 'iterate' ? 'iterated' : 'awaited'}: a map's results can be consumed once, either with \`for await\` or with \`await\``,
      );
    }
    this.#use = use;
  }

  /**
   * Not a synchronous iterable: results come from workers. A `for...of` gets an error that says what to
   * write instead (TypeScript already rejects it).
   */
  [Symbol.iterator](): never {
    throw new TypeError(
      "a map's results arrive asynchronously: iterate them with `for await (const y of result)`, or collect them with `await result`",
    );
  }

  /** Streams results as soon as ordering allows. `break` stops the map and its workers. */
  [Symbol.asyncIterator](): AsyncIterator<O> {
    this.#claim('iterate');
    const run = this.#run;
    const slow = async (): Promise<IteratorResult<O>> => {
      run.start();
      for (;;) {
        if (run.failure) {
          // Thrown at once: stopping the workers goes on in the background.
          const ending = run.end();
          if (!run.failure.closed) throw run.failure.error;
          await ending;
          return { value: undefined, done: true };
        }
        if (run.hasReady) return { value: run.take() as O, done: false };
        if (run.isComplete) {
          await run.end();
          const error = run.deferredError;
          if (error) throw error;
          return { value: undefined, done: true };
        }
        await run.wait();
      }
    };
    return {
      next: () =>
        run.started && run.failure === undefined && run.hasReady
          ? Promise.resolve({ value: run.take() as O, done: false })
          : slow(),
      return: async () => {
        await run.end();
        return { value: undefined, done: true };
      },
    };
  }

  #collect(): Promise<O[]> {
    this.#claim('await');
    this.#all ??= (async () => {
      const run = this.#run;
      // Sized: the array is made at its size once (growing it item by item costs several times more).
      const out: O[] = run.length === undefined ? [] : new Array(run.length);
      let size = 0;
      run.start();
      for (;;) {
        size = run.takeReady(out, size);
        if (run.failure) {
          void run.end();
          throw run.failure.error;
        }
        if (run.isComplete) {
          await run.end();
          const error = run.deferredError;
          if (error) throw error;
          out.length = size; // an input whose `length` said more than it gave
          return out;
        }
        await run.wait();
      }
    })();
    return this.#all;
  }

  // biome-ignore lint/suspicious/noThenProperty: the result is awaitable on purpose, as pqdm returns a list.
  then<A = O[], B = never>(
    onfulfilled?: ((value: O[]) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#collect().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<O[] | B> {
    return this.#collect().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<O[]> {
    return this.#collect().finally(onfinally);
  }

  /**
   * Stops the map: no more input is pulled, its workers stop (when it owns them), the bar shows its
   * last count. A `for await` loop over the result then ends; an `await` of it rejects with an error
   * that says the map was closed. Resolves when the workers have stopped.
   */
  close(): Promise<void> {
    return this.#run.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
