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

  /** Moves every result ready in order into `out`, from position `to`; returns how many. */
  drainInto(out: unknown[], to: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    let next = this.next;
    for (;;) {
      const at = next & mask;
      const value = slots[at];
      if (value === EMPTY) break;
      out[to++] = value;
      slots[at] = EMPTY;
      next++;
    }
    const taken = next - this.next;
    this.next = next;
    return taken;
  }
}
