import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from '../../src/scheduler/reorder-buffer.js';
import { seeded, shuffled } from './random.js';

/** Takes results while the next one in order is there. */
const takeReady = (buffer: ReorderBuffer): unknown[] => {
  const out: unknown[] = [];
  while (buffer.ready) out.push(buffer.take());
  return out;
};

describe('ReorderBuffer', () => {
  it('holds results set out of order until the next one in order arrives, then gives them in order', () => {
    const buffer = new ReorderBuffer();
    buffer.set(2, 'c');
    buffer.set(1, 'b');
    expect(buffer.ready).toBe(false);
    expect(takeReady(buffer)).toEqual([]);
    buffer.set(0, 'a');
    expect(buffer.ready).toBe(true);
    expect(takeReady(buffer)).toEqual(['a', 'b', 'c']);
    expect(buffer.next).toBe(3);
    expect(buffer.ready).toBe(false);
  });

  it('counts undefined, null and false as results (only an unset place is empty)', () => {
    const buffer = new ReorderBuffer();
    buffer.set(0, undefined);
    buffer.set(1, null);
    buffer.set(2, false);
    expect(takeReady(buffer)).toEqual([undefined, null, false]);
  });

  it('reuses its places as the consumer moves on, well past its initial 16', () => {
    const buffer = new ReorderBuffer();
    const random = seeded(7);
    const out: unknown[] = [];
    // Windows of 10 results, each set in a random order: the ring never needs more than 16 places.
    for (let start = 0; start < 200; start += 10) {
      for (const i of shuffled(
        Array.from({ length: 10 }, (_, k) => start + k),
        random,
      ))
        buffer.set(i, i * 2);
      out.push(...takeReady(buffer));
    }
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
  });

  it('reserve grows the ring for a wider window and keeps the results already set, also when they wrapped', () => {
    const buffer = new ReorderBuffer();
    // Move `next` to 10, so that the results below sit across the end of the 16-place ring.
    for (let i = 0; i < 10; i++) buffer.set(i, i);
    expect(takeReady(buffer)).toHaveLength(10);
    for (const i of [11, 14, 17, 20, 25]) buffer.set(i, `early ${i}`);
    buffer.reserve(10 + 100);
    for (let i = 10; i <= 110; i++) if (![11, 14, 17, 20, 25].includes(i)) buffer.set(i, `late ${i}`);
    const out = takeReady(buffer);
    expect(out).toHaveLength(101);
    out.forEach((value, k) => {
      const i = 10 + k;
      expect(value).toBe([11, 14, 17, 20, 25].includes(i) ? `early ${i}` : `late ${i}`);
    });
  });

  it('reserve is what makes room: a window of 100 results set in reverse order comes out whole', () => {
    const buffer = new ReorderBuffer();
    buffer.reserve(99);
    for (let i = 99; i >= 0; i--) buffer.set(i, i);
    expect(takeReady(buffer)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('drainInto moves exactly the ready prefix, returns its length, and leaves the rest for later', () => {
    const buffer = new ReorderBuffer();
    for (const i of [0, 1, 2, 4, 5]) buffer.set(i, `r${i}`);
    const out: unknown[] = ['before'];
    expect(buffer.drainInto(out, out.length)).toBe(3);
    expect(out).toEqual(['before', 'r0', 'r1', 'r2']);
    expect(buffer.next).toBe(3);
    expect(buffer.ready).toBe(false);
    expect(buffer.drainInto(out, out.length)).toBe(0);
    buffer.set(3, 'r3');
    expect(buffer.drainInto(out, out.length)).toBe(3);
    expect(out.slice(4)).toEqual(['r3', 'r4', 'r5']);
    // The places it drained are emptied: on the ring's next lap (16 places) no old result shows up.
    for (let i = 6; i < 16; i++) buffer.set(i, `r${i}`);
    const lap: unknown[] = [];
    expect(buffer.drainInto(lap, lap.length)).toBe(10);
    expect(lap.at(-1)).toBe('r15');
    expect(buffer.ready).toBe(false);
  });
});
