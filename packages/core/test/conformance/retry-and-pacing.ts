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

/** Counts its attempts in a file per item (attempts may land on any worker), failing the first `fails`. */
const flaky = (job: Job) => {
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const file = `${job.dir}/attempts-${job.i}`;
  const attempt = (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0) + 1;
  fs.writeFileSync(file, String(attempt));
  if (attempt <= job.fails) {
    if (job.how === 'crash') process.exit(3);
    throw new Error(`attempt ${attempt} of item ${job.i} failed`);
  }
  return job.i * 10;
};

const attemptsOf = (dir: string, i: number) => Number(readFileSync(join(dir, `attempts-${i}`), 'utf8'));

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
