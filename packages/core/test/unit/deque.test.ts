import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/scheduler/deque.js';
import { seeded } from './random.js';

const drain = <T>(deque: Deque<T>): T[] => {
  const out: T[] = [];
  while (deque.size > 0) out.push(deque.shift() as T);
  return out;
};

describe('Deque', () => {
  it('is empty when new: size 0, shift and peek give undefined', () => {
    const deque = new Deque<number>();
    expect(deque.size).toBe(0);
    expect(deque.shift()).toBeUndefined();
    expect(deque.peek()).toBeUndefined();
  });

  it('gives values back first in, first out, across several growths (16 → 32 → … → 1024)', () => {
    const deque = new Deque<number>();
    const values = Array.from({ length: 1000 }, (_, i) => i);
    for (const value of values) deque.push(value);
    expect(deque.size).toBe(1000);
    expect(drain(deque)).toEqual(values);
    expect(deque.size).toBe(0);
  });

  it('keeps FIFO order when it grows while its contents wrap around the end of the ring', () => {
    const deque = new Deque<string>();
    // Move the head to the middle of the 16-slot ring, so that later pushes wrap to its start.
    for (let i = 0; i < 10; i++) deque.push(`old ${i}`);
    for (let i = 0; i < 10; i++) expect(deque.shift()).toBe(`old ${i}`);
    const values = Array.from({ length: 40 }, (_, i) => `new ${i}`);
    for (const value of values) deque.push(value);
    expect(deque.size).toBe(40);
    expect(drain(deque)).toEqual(values);
  });

  it('counts its size correctly when exactly full before growing, and when the tail has wrapped', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 15; i++) deque.push(i);
    expect(deque.size).toBe(15);
    deque.push(15); // the ring is full: it grows
    expect(deque.size).toBe(16);
    deque.shift();
    deque.shift();
    deque.push(16);
    deque.push(17);
    expect(deque.size).toBe(16);
    expect(drain(deque)).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
  });

  it('peek shows the oldest value without removing it', () => {
    const deque = new Deque<string>();
    deque.push('a');
    deque.push('b');
    expect(deque.peek()).toBe('a');
    expect(deque.peek()).toBe('a');
    expect(deque.size).toBe(2);
    expect(deque.shift()).toBe('a');
    expect(deque.peek()).toBe('b');
    deque.shift();
    expect(deque.peek()).toBeUndefined();
  });

  it('behaves as an array queue under a seeded random sequence of push, shift and peek', () => {
    for (const seed of [1, 2, 3, 42, 2024]) {
      const random = seeded(seed);
      const deque = new Deque<number>();
      const model: number[] = [];
      let next = 0;
      for (let step = 0; step < 20_000; step++) {
        const r = random();
        let got: number | undefined;
        let wanted: number | undefined;
        // Pushes slightly outnumber shifts, so the queue grows through several sizes and empties at times.
        if (r < 0.52) {
          deque.push(next);
          model.push(next++);
        } else if (r < 0.97) {
          [got, wanted] = [deque.shift(), model.shift()];
        } else {
          [got, wanted] = [deque.peek(), model[0]];
        }
        // One expect on a mismatch only: 100,000 steps stay fast.
        if (got !== wanted || deque.size !== model.length) {
          expect({ got, size: deque.size }, `seed ${seed}, step ${step}`).toEqual({ got: wanted, size: model.length });
        }
      }
      expect(drain(deque)).toEqual(model);
    }
  });
});
