import { describe, expect, it } from 'vitest';
import { BatchPolicy, type BatchPolicyInput, MAX_BATCH, PREFETCH } from '../../src/scheduler/batch-size.js';

const policy = (input: Partial<BatchPolicyInput> = {}) =>
  new BatchPolicy({ nJobs: 2, perWorker: PREFETCH, fixed: undefined, window: undefined, single: false, ...input });

/** Reports `times` batches of `items` items that took `serviceMs` in the worker and `copyMs` to copy. */
const observe = (p: BatchPolicy, times: number, items: number, serviceMs: number, copyMs = 0) => {
  for (let i = 0; i < times; i++) p.observe(items, serviceMs, copyMs);
};

/** The batch sizes an auto policy reaches as it sends batches of cheap items (1 µs each), one after another. */
const growth = (p: BatchPolicy, steps: number): number[] => {
  const sizes: number[] = [];
  for (let i = 0; i < steps; i++) {
    const n = p.next(undefined);
    sizes.push(n);
    p.observe(n, n * 0.001, n * 0.0001);
  }
  return sizes;
};

describe('BatchPolicy.next: items per batch', () => {
  it('starts with one item per batch, before anything is known about the items', () => {
    expect(policy().next(undefined)).toBe(1);
    expect(policy().next(1_000_000)).toBe(1);
  });

  it('grows batches of cheap items eightfold per batch, up to MAX_BATCH and no further', () => {
    expect(MAX_BATCH).toBe(4096);
    expect(growth(policy(), 7)).toEqual([1, 8, 64, 512, 4096, 4096, 4096]);
  });

  it('keeps slow items (above the ~50 ms a batch aims at) one per batch', () => {
    const p = policy();
    observe(p, 10, 1, 200);
    expect(p.next(undefined)).toBe(1);
  });

  it('sizes a batch to about 50 ms of work: 10 ms items go five to a batch', () => {
    const p = policy();
    observe(p, 1, 1, 10);
    expect(p.next(undefined)).toBe(5);
  });

  it('keeps items that are costly to copy few per batch, however quick they are to run', () => {
    const p = policy();
    // 1 µs of work but 0.25 ms of copying per item: the 0.5 ms copy budget allows two.
    observe(p, 10, 4, 0.004, 1);
    expect(p.next(undefined)).toBe(2);
  });

  it('shrinks batches again when the items turn slow', () => {
    const p = policy();
    growth(p, 5);
    expect(p.next(undefined)).toBe(MAX_BATCH);
    observe(p, 20, 1, 500);
    expect(p.next(undefined)).toBe(1);
  });

  it('shrinks batches near the end of a sized input, to one share of what is left per batch a worker may hold', () => {
    const p = policy({ nJobs: 2 });
    growth(p, 5);
    const shares = 2 * PREFETCH;
    expect(p.next(100_000)).toBe(MAX_BATCH);
    expect(p.next(1000)).toBe(Math.ceil(1000 / shares));
    expect(p.next(10)).toBe(Math.ceil(10 / shares));
    expect(p.next(3)).toBe(1);
    expect(p.next(1)).toBe(1);
    // An unsized input never shrinks.
    expect(p.next(undefined)).toBe(MAX_BATCH);
  });

  it('never sends more than one item per batch when `single` (a task time-out), whatever it learnt', () => {
    const p = policy({ single: true });
    growth(p, 5);
    expect(p.next(undefined)).toBe(1);
    expect(policy({ single: true, fixed: 64 }).next(undefined)).toBe(1);
  });

  it('respects a fixed batchSize: it neither grows nor learns, but still shrinks near the end', () => {
    const p = policy({ fixed: 10 });
    expect(p.next(undefined)).toBe(10);
    growth(p, 5);
    expect(p.next(undefined)).toBe(10);
    observe(p, 10, 1, 500);
    expect(p.next(undefined)).toBe(10);
    expect(p.next(8)).toBe(2);
  });

  it('keeps a batch within a fixed window: one share of it per batch a worker may hold', () => {
    const p = policy({ nJobs: 2, window: 8 });
    growth(p, 5);
    expect(p.next(undefined)).toBe(8 / (2 * PREFETCH));
    expect(policy({ nJobs: 4, window: 8 }).next(undefined)).toBe(1);
    expect(policy({ nJobs: 2, window: 100, fixed: 50 }).next(undefined)).toBe(Math.floor(100 / (2 * PREFETCH)));
  });
});

describe('BatchPolicy.window: how far ahead of the consumer a bounded map reads', () => {
  it('defaults to nJobs × PREFETCH × 2 batches of the current size, and follows the size as it grows', () => {
    const p = policy({ nJobs: 3 });
    expect(p.window).toBe(3 * PREFETCH * 2);
    growth(p, 1);
    expect(p.window).toBe(3 * PREFETCH * 2 * 8);
    growth(p, 5);
    expect(p.window).toBe(3 * PREFETCH * 2 * MAX_BATCH);
  });

  it('counts the batches each worker holds: concurrentTasksPerWorker widens it, and the shares near the end', () => {
    const p = policy({ nJobs: 2, perWorker: 8 });
    expect(p.window).toBe(2 * 8 * 2);
    growth(p, 5);
    expect(p.window).toBe(2 * 8 * 2 * MAX_BATCH);
    expect(p.next(1000)).toBe(Math.ceil(1000 / (2 * 8)));
    expect(policy({ nJobs: 2, perWorker: 8, window: 64, fixed: 10 }).next(undefined)).toBe(64 / (2 * 8));
  });

  it('is the fixed window when there is one, and counts in fixed batches when batchSize is fixed', () => {
    expect(policy({ window: 8 }).window).toBe(8);
    expect(policy({ nJobs: 2, fixed: 10 }).window).toBe(2 * PREFETCH * 2 * 10);
    expect(policy({ nJobs: 2, fixed: 10, window: 7 }).window).toBe(7);
  });
});

describe('BatchPolicy.prefetch: whether a busy worker gets a second batch', () => {
  it('is no until a batch has been measured', () => {
    expect(policy().prefetch(undefined)).toBe(false);
    expect(policy().prefetch(1_000_000)).toBe(false);
  });

  it('is yes for items measured quick (under 1 ms), sized input or not', () => {
    const p = policy();
    observe(p, 1, 100, 5);
    expect(p.prefetch(undefined)).toBe(true);
    expect(p.prefetch(1)).toBe(true);
  });

  it('is yes for slow items only while more than two items per worker are left of a sized input', () => {
    const p = policy({ nJobs: 3 });
    observe(p, 1, 1, 20);
    expect(p.prefetch(100)).toBe(true);
    expect(p.prefetch(7)).toBe(true);
    expect(p.prefetch(6)).toBe(false);
    expect(p.prefetch(0)).toBe(false);
    // An unsized input: nobody knows how much is left, so a slow item is never queued behind another.
    expect(p.prefetch(undefined)).toBe(false);
  });

  it('is never for single items, nor with a fixed batchSize', () => {
    const single = policy({ single: true });
    observe(single, 1, 1, 0.01);
    expect(single.prefetch(100)).toBe(false);
    const fixed = policy({ fixed: 16 });
    observe(fixed, 1, 16, 0.01);
    expect(fixed.prefetch(100)).toBe(false);
  });
});
