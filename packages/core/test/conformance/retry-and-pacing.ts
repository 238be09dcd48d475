import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, naturals, sleep } from './backend.js';

interface Job {
  i: number;
  dir: string;
  /** How many attempts fail before one succeeds (Infinity: all). */
  fails: number;
  /** How an attempt fails: a thrown error, or a crash of the worker. */
  how: 'throw' | 'crash';
}

/**
 * Logs when each attempt starts (Date.now(), one line each) in a file per item, as attempts may land
 * on any worker, and fails the first `fails`.
 */
const flaky = (job: Job) => {
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const file = `${job.dir}/attempts-${job.i}`;
  fs.appendFileSync(file, `${Date.now()}\n`);
  const attempt = fs.readFileSync(file, 'utf8').split('\n').length - 1;
  if (attempt <= job.fails) {
    if (job.how === 'crash') process.exit(3);
    throw new Error(`attempt ${attempt} of item ${job.i} failed`);
  }
  return job.i * 10;
};

const startsOf = (dir: string, i: number) =>
  readFileSync(join(dir, `attempts-${i}`), 'utf8')
    .trim()
    .split('\n')
    .map(Number);
const attemptsOf = (dir: string, i: number) => startsOf(dir, i).length;
/** The waits between an item's attempts, as the workers saw them start. */
const gapsOf = (dir: string, i: number) =>
  startsOf(dir, i)
    .map((t, k, all) => t - all[k - 1])
    .slice(1);
/** A task that answers `ms` after `ms` milliseconds (sent as source text: it uses nothing else). */
const wait = async (ms: number) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
};

const newDir = () => mkdtempSync(join(tmpdir(), 'mtl-retry-'));
/** An item that fails its first `fails` attempts by throwing. */
const job = (dir: string, i: number, fails: number): Job => ({ i, dir, fails, how: 'throw' });
/** Settles to the rejection reason, or undefined: to look at an error after the map is over. */
const reason = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => undefined,
    (error: unknown) => error,
  );

export function retryAndPacingSuite(m: BackendUnderTest) {
  describe(`${m.name}: retries, rate limits, single tasks and concurrent async tasks`, () => {
    it('retry: 2 — an item that fails twice comes back in place, as a plain result; others run meanwhile', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-retry-'));
      const jobs: Job[] = Array.from({ length: 8 }, (_, i) => ({ i, dir, fails: i === 2 ? 2 : 0, how: 'throw' }));
      const out = await m.pqdm(jobs, flaky, { nJobs: 2, retry: { retries: 2, minTimeout: 20 } });
      expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
      expect(attemptsOf(dir, 2)).toBe(3);
      expect(attemptsOf(dir, 5)).toBe(1);
    });

    it('retry: every final error carries attempts; a number is the count of retries', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-retry-'));
      const jobs: Job[] = [{ i: 0, dir, fails: Number.POSITIVE_INFINITY, how: 'throw' }];
      const [error] = await m.pqdm(jobs, flaky, { nJobs: 2, retry: { retries: 1, minTimeout: 10 } });
      expect(m.isException(error)).toBe(true);
      expect(error).toMatchObject({ message: 'attempt 2 of item 0 failed', attempts: 2, index: 0 });
    });

    it('a crash is retried only when shouldRetry says so', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-retry-'));
      const crashOnce = (i: number): Job => ({ i, dir, fails: 1, how: 'crash' });
      const [plain] = await m.pqdm([crashOnce(0)], flaky, { nJobs: 2, retry: { retries: 3, minTimeout: 10 } });
      expect(plain).toBeInstanceOf(m.WorkerCrashedError);
      expect(plain).toMatchObject({ attempts: 1 });
      const seen: string[] = [];
      const [retried] = await m.pqdm([crashOnce(1)], flaky, {
        nJobs: 2,
        retry: {
          retries: 3,
          minTimeout: 10,
          shouldRetry: (error, attempt) => {
            seen.push(`${error.name} ${attempt}`);
            return true;
          },
        },
      });
      expect(retried).toBe(10);
      expect(seen).toEqual(['WorkerCrashedError 1']);
    });

    it("'immediate' fires only after the last attempt", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-retry-'));
      const jobs: Job[] = Array.from({ length: 4 }, (_, i) => ({ i, dir, fails: i === 1 ? 9 : 0, how: 'throw' }));
      const failure = await m
        .pqdm(jobs, flaky, { nJobs: 2, exceptionBehaviour: 'immediate', retry: { retries: 2, minTimeout: 10 } })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toMatchObject({ message: 'attempt 3 of item 1 failed', attempts: 3 });
      expect(attemptsOf(dir, 1)).toBe(3);
    });

    it('onResult sees every item once, with its worker, duration and attempts, retried or failed', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-retry-'));
      const jobs: Job[] = Array.from({ length: 30 }, (_, i) => ({
        i,
        dir,
        fails: i % 10 === 3 ? 1 : i === 29 ? 9 : 0,
        how: 'throw',
      }));
      const events: { index: number; attempts: number; workerIndex: number; durationMs: number; ok: boolean }[] = [];
      const out = await m.pqdm(jobs, flaky, {
        nJobs: 2,
        retry: { retries: 1, minTimeout: 10 },
        onResult: (event) => {
          const { index, attempts, workerIndex, durationMs } = event;
          events.push({ index, attempts, workerIndex, durationMs, ok: event.error === undefined });
        },
      });
      expect(events.map((e) => e.index).sort((a, b) => a - b)).toEqual(jobs.map((j) => j.i));
      for (const e of events) {
        expect(e.attempts).toBe(e.index % 10 === 3 || e.index === 29 ? 2 : 1);
        expect(e.ok).toBe(e.index !== 29);
        expect([0, 1]).toContain(e.workerIndex);
        expect(e.durationMs).toBeGreaterThanOrEqual(0);
      }
      expect(out[29]).toMatchObject({ attempts: 2 });
    });

    it("retry's backoff defaults: 1 s before the first retry, the same for every item; then each wait doubles, uncapped", async () => {
      const dir = newDir();
      // `retry: 1` takes every default. Randomized waits would spread over 1–2 s: 8 items all within
      // 400 ms of each other would happen about once in a hundred runs.
      const once = Array.from({ length: 8 }, (_, i) => job(dir, i, 1));
      expect(await m.pqdm(once, flaky, { nJobs: 2, retry: 1 })).toEqual(once.map((j) => j.i * 10));
      const firstWaits = once.map((j) => gapsOf(dir, j.i)[0]);
      for (const wait of firstWaits) {
        expect(wait).toBeGreaterThanOrEqual(950);
        expect(wait).toBeLessThan(1700);
      }
      expect(Math.max(...firstWaits) - Math.min(...firstWaits)).toBeLessThan(400);
      // factor 2 and no maxTimeout: 100, 200, 400 ms (factor 3 would make the last 900 ms).
      expect(await m.pqdm([job(dir, 8, 3)], flaky, { nJobs: 2, retry: { retries: 3, minTimeout: 100 } })).toEqual([80]);
      const [first, second, third] = gapsOf(dir, 8);
      expect(first).toBeGreaterThanOrEqual(90);
      expect(second).toBeGreaterThanOrEqual(190);
      expect(third).toBeGreaterThanOrEqual(380);
      expect(third).toBeLessThan(800);
    });

    it('a shouldRetry that throws ends the map with its error, and the item is not tried again', async () => {
      const dir = newDir();
      const broken = new Error('shouldRetry broke');
      const jobs = Array.from({ length: 4 }, (_, i) => job(dir, i, i === 1 ? 1 : 0));
      const retry = {
        retries: 2,
        minTimeout: 10,
        shouldRetry: () => {
          throw broken;
        },
      };
      // Under the default 'ignore', a failed item would take its place: only shouldRetry's error ends the map.
      expect(await reason(m.pqdm(jobs, flaky, { nJobs: 2, retry }))).toBe(broken);
      expect(attemptsOf(dir, 1)).toBe(1);
    });

    it("'deferred' with retry: an item that succeeds on a retry is a plain result; only final errors are collected", async () => {
      const dir = newDir();
      const jobs = Array.from({ length: 6 }, (_, i) => job(dir, i, i === 1 ? 1 : i === 4 ? 9 : 0));
      const seen: unknown[] = [];
      const failure = await reason(
        (async () => {
          const out = m.pqdm(jobs, flaky, {
            nJobs: 2,
            exceptionBehaviour: 'deferred',
            retry: { retries: 2, minTimeout: 10 },
          });
          for await (const y of out) seen.push(y);
        })(),
      );
      expect(seen.filter((_, i) => i !== 4)).toEqual([0, 10, 20, 30, 50]);
      expect(seen[4]).toMatchObject({ message: 'attempt 3 of item 4 failed', attempts: 3, index: 4 });
      // The failed attempts before the last (two of item 4, one of item 1) are not among the errors.
      expect(failure).toBeInstanceOf(AggregateError);
      expect((failure as AggregateError).errors).toHaveLength(1);
      expect((failure as AggregateError).errors[0]).toBe(seen[4]);
      expect(attemptsOf(dir, 1)).toBe(2);
    });

    it("rateLimit: a retry takes a token like any other start, on a pqdm (the pool's bucket) and on a map", async () => {
      // 4 items that fail once make 8 starts: at 10 a second they span 700 ms or more; retries that
      // skipped the bucket would start right after their failure, all 8 within about 400 ms. 550 leaves
      // room for a late first message either way.
      const spanOfStarts = (dir: string) => {
        const starts = [0, 1, 2, 3].flatMap((i) => startsOf(dir, i)).sort((a, b) => a - b);
        expect(starts).toHaveLength(8);
        return starts[7] - starts[0];
      };
      const retry = { retries: 1, minTimeout: 0 };
      const onPool = newDir();
      const jobs = (dir: string) => [0, 1, 2, 3].map((i) => job(dir, i, 1));
      expect(await m.pqdm(jobs(onPool), flaky, { nJobs: 2, rateLimit: 10, retry })).toEqual([0, 10, 20, 30]);
      expect(spanOfStarts(onPool)).toBeGreaterThanOrEqual(550);
      const onMap = newDir();
      const pool = new m.Pool(flaky, { nJobs: 2 });
      try {
        expect(await pool.map(jobs(onMap), { rateLimit: 10, retry })).toEqual([0, 10, 20, 30]);
      } finally {
        await pool.close();
      }
      expect(spanOfStarts(onMap)).toBeGreaterThanOrEqual(550);
    });

    it("a Pool's retry applies to its maps and to pool.run; retry: 0 on a map or a run turns it off", async () => {
      const dir = newDir();
      const pool = new m.Pool(flaky, { nJobs: 2, retry: { retries: 1, minTimeout: 10 } });
      try {
        expect(await pool.map([job(dir, 0, 1), job(dir, 1, 0)])).toEqual([0, 10]);
        expect(await pool.run(job(dir, 2, 1))).toBe(20);
        expect(attemptsOf(dir, 0)).toBe(2);
        expect(attemptsOf(dir, 2)).toBe(2);
        const [once] = await pool.map([job(dir, 3, 1)], { retry: 0 });
        expect(once).toMatchObject({ message: 'attempt 1 of item 3 failed' });
        await expect(pool.run(job(dir, 4, 1), { retry: 0 })).rejects.toThrow('attempt 1 of item 4 failed');
      } finally {
        await pool.close();
      }
    });

    it('rateLimit: 10 — at most 31 starts in 3 s, measured in the workers, none bunched', async () => {
      const startedAt = () => performance.timeOrigin + performance.now();
      const starts: number[] = [];
      for await (const t of m.pqdm(naturals(), startedAt, { nJobs: 2, rateLimit: 10 })) {
        starts.push(t as number);
        if ((t as number) - starts[0] > 3200) break;
      }
      const first = starts[0];
      expect(starts.filter((t) => t - first <= 3000).length).toBeLessThanOrEqual(31);
      expect(starts.filter((t) => t - first <= 3000).length).toBeGreaterThanOrEqual(25);
      // No window of one second holds more than 10 (+ the default burst of 1).
      for (const t of starts) expect(starts.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(11);
    });

    it('pool.run starts at once, before it is awaited, and rejects on failure', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-run-'));
      const pool = new m.Pool(flaky, { nJobs: 2 });
      try {
        const pending = pool.run({ i: 7, dir, fails: 0, how: 'throw' });
        const deadline = Date.now() + 10_000;
        let started = false;
        while (!started && Date.now() < deadline) {
          await sleep(20);
          try {
            started = attemptsOf(dir, 7) === 1;
          } catch {}
        }
        expect(started).toBe(true);
        expect(await pending).toBe(70);
        await expect(pool.run({ i: 8, dir, fails: 1, how: 'throw' })).rejects.toThrow('attempt 1 of item 8 failed');
        expect(await pool.run({ i: 9, dir, fails: 1, how: 'throw' }, { retry: { retries: 1, minTimeout: 10 } })).toBe(
          90,
        );
        const many = await Promise.all(
          Array.from({ length: 500 }, (_, i) => pool.run({ i, dir, fails: 0, how: 'throw' })),
        );
        expect(many).toEqual(Array.from({ length: 500 }, (_, i) => i * 10));
      } finally {
        await pool.close();
      }
    });

    it('pool.run with a signal: an abort rejects that run with signal.reason at once; the next runs get a worker', async () => {
      // One real worker: the runs after the aborted one need the worker it held.
      const pool = new m.Pool(wait, { nJobs: 1, inline: false });
      try {
        expect(await pool.run(0)).toBe(0);
        const controller = new AbortController();
        const stuck = reason(pool.run(60_000, { signal: controller.signal }));
        const queued = pool.run(1);
        await sleep(100);
        const abortedAt = Date.now();
        controller.abort();
        expect(await stuck).toBe(controller.signal.reason);
        expect(Date.now() - abortedAt).toBeLessThan(500);
        expect(await queued).toBe(1);
        expect(await pool.run(2)).toBe(2);
        expect(Date.now() - abortedAt).toBeLessThan(3000 + (m.startMs ?? 0));
        const early = AbortSignal.abort();
        expect(await reason(pool.run(3, { signal: early }))).toBe(early.reason);
      } finally {
        await pool.close();
      }
    });

    it("pool.run with taskTimeout (its own, or the Pool's): a slow run fails with TaskTimeoutError; the pool goes on", async () => {
      const pool = new m.Pool(wait, { nJobs: 1, inline: false, taskTimeout: 300 });
      try {
        expect(await pool.run(0)).toBe(0);
        const began = Date.now();
        await expect(pool.run(60_000)).rejects.toBeInstanceOf(m.TaskTimeoutError);
        await expect(pool.run(60_000, { taskTimeout: 200 })).rejects.toBeInstanceOf(m.TaskTimeoutError);
        // Past 300 ms: the run's own taskTimeout overrides the Pool's.
        expect(await pool.run(400, { taskTimeout: 5000 })).toBe(400);
        expect(Date.now() - began).toBeLessThan(3000 + 2 * (m.startMs ?? 0));
      } finally {
        await pool.close();
      }
    });

    it('concurrentTasksPerWorker: 20 — 40 async waits of 100 ms on 2 workers overlap (about 100–300 ms, not 2 s)', async () => {
      const wait = async (x: number) => {
        const started = performance.timeOrigin + performance.now();
        await new Promise((resolve) => setTimeout(resolve, 100));
        return [started, performance.timeOrigin + performance.now(), x];
      };
      const pool = new m.Pool(wait, { nJobs: 2, concurrentTasksPerWorker: 20 });
      try {
        await pool.map([0, 1]); // the workers are up
        const began = Date.now();
        const out = (await pool.map(Array.from({ length: 40 }, (_, i) => i))) as [number, number, number][];
        const ms = Date.now() - began;
        expect(out.map(([, , x]) => x)).toEqual(Array.from({ length: 40 }, (_, i) => i));
        // How many ran at once at the busiest moment, measured from inside the workers.
        const busiest = Math.max(...out.map(([s]) => out.filter(([a, b]) => a <= s && s < b).length));
        expect(busiest).toBeGreaterThanOrEqual(20);
        expect(ms).toBeLessThan(1500);
      } finally {
        await pool.close();
      }
    });

    it('a time-out in a worker that runs several items fails that item alone; the others run again', async () => {
      const task = async (x: number) => {
        if (x === 3) await new Promise(() => {});
        await new Promise((resolve) => setTimeout(resolve, 50));
        return x;
      };
      const out = await m.pqdm(
        Array.from({ length: 12 }, (_, i) => i),
        task,
        {
          nJobs: 2,
          concurrentTasksPerWorker: 4,
          taskTimeout: 400,
        },
      );
      expect(out[3]).toBeInstanceOf(m.TaskTimeoutError);
      expect(out.filter((_, i) => i !== 3)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
    });

    it('bad retry and rate limit options are named', () => {
      const f = (x: number) => x;
      expect(() => m.pqdm([1], f, { nJobs: 2, retry: -1 })).toThrow(/`retry.retries` to be a whole number/);
      expect(() => m.pqdm([1], f, { nJobs: 2, rateLimit: 0 })).toThrow(RangeError);
      expect(() => m.pqdm([1], f, { nJobs: 2, retry: { retries: 1, backoff: 2 } as never })).toThrow(
        /retry: unknown option `backoff`/,
      );
      // Node fires a timer longer than 2^31 - 1 ms (or Infinity) after 1 ms: refused, not a time-out at once.
      expect(() => m.pqdm([1], f, { nJobs: 2, taskTimeout: Number.POSITIVE_INFINITY })).toThrow(
        /`taskTimeout` to be at most 2147483647 ms/,
      );
      expect(() => new m.Pool(f, { nJobs: 2, initTimeout: 2 ** 31 })).toThrow(/`initTimeout` to be at most/);
      expect(() =>
        m.pqdm([1], f, { nJobs: 2, retry: { retries: 1, maxTimeout: Number.POSITIVE_INFINITY } }),
      ).not.toThrow();
    });

    it('a Pool refuses checkpoint (a map option: maps would share its keys), and pool.run ignores a default onResult', async () => {
      const f = (x: number) => x * 2;
      expect(() => new m.Pool(f, { nJobs: 2, checkpoint: { file: join(tmpdir(), 'never.jsonl') } })).toThrow(
        /`checkpoint` is an option of each map, not of a Pool/,
      );
      const seen: number[] = [];
      const pool = new m.Pool(f, { nJobs: 2, onResult: (event) => seen.push(event.index) });
      try {
        expect(await pool.run(5)).toBe(10);
        expect(seen).toEqual([]);
        await pool.map([1, 2]);
        expect(seen.sort()).toEqual([0, 1]);
      } finally {
        await pool.close();
      }
    });
  });
}
