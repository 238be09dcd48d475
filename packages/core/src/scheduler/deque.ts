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

const EMPTY = Symbol('empty');

/** Results kept by input index until the consumer reaches them: a ring over the window. */
export class ReorderBuffer {
  #slots: unknown[] = new Array(16).fill(EMPTY);
  #mask = 15;
  /** The index of the next result the consumer gets. */
  next = 0;

  /** Makes room for indices up to `last`; the window keeps this bounded. */
  reserve(last: number): void {
    while (last - this.next > this.#mask) {
      const old = this.#slots;
      const size = old.length * 2;
      const slots = new Array(size).fill(EMPTY);
      for (let i = this.next; i < this.next + old.length; i++) slots[i & (size - 1)] = old[i & (old.length - 1)];
      this.#slots = slots;
      this.#mask = size - 1;
    }
  }

  set(index: number, value: unknown): void {
    this.#slots[index & this.#mask] = value;
  }

  get ready(): boolean {
    return this.#slots[this.next & this.#mask] !== EMPTY;
  }

  take(): unknown {
    const at = this.next++ & this.#mask;
    const value = this.#slots[at];
    this.#slots[at] = EMPTY;
    return value;
  }

  /** Moves every result ready in order onto `out`; returns how many. */
  drainInto(out: unknown[]): number {
    const slots = this.#slots;
    const mask = this.#mask;
    const first = this.next;
    let at = first & mask;
    while (slots[at] !== EMPTY) {
      out.push(slots[at]);
      slots[at] = EMPTY;
      at = ++this.next & mask;
    }
    return this.next - first;
  }
}
