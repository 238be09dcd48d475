/** A growable ring buffer: O(1) push and shift (an `Array#shift` queue is O(n) on the hot path). */
export class Deque<T> {
  #buffer: (T | undefined)[] = new Array(16);
  #mask = 15;
  #head = 0;
  #tail = 0;

  get size(): number {
    return (this.#tail - this.#head) & this.#mask;
  }

  push(value: T): void {
    this.#buffer[this.#tail] = value;
    this.#tail = (this.#tail + 1) & this.#mask;
    if (this.#tail === this.#head) this.#grow();
  }

  shift(): T | undefined {
    if (this.#head === this.#tail) return undefined;
    const value = this.#buffer[this.#head];
    this.#buffer[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    return value;
  }

  peek(): T | undefined {
    return this.#head === this.#tail ? undefined : this.#buffer[this.#head];
  }

  #grow(): void {
    const old = this.#buffer;
    const length = old.length;
    this.#buffer = [...old.slice(this.#head), ...old.slice(0, this.#head), ...new Array(length)];
    this.#head = 0;
    this.#tail = length;
    this.#mask = length * 2 - 1;
  }
}
