import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, naturals, sleep } from './backend.js';

interface Job {
  i: number;
  fault: string | null;
}

/** A seeded generator, so that a failing campaign can be replayed. */
const lcg = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** Builds the worker function that runs a job, crashing or hanging the way the job says. */
const faultyWorker = (crashes: Record<string, string>) =>
  new Function(
    'job',
    `switch (job.fault) {
      ${Object.entries(crashes)
        .map(([name, code]) => `case ${JSON.stringify(name)}: { ${code}; return new Promise(() => {}); }`)
        .join('\n')}
      case 'hang': Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000); return -1;
      default: return job.i * 2;
    }`,
  ) as (job: Job) => number;

/** Waits until the live-worker count is back to its baseline (workers end asynchronously). */
const settles = async (m: BackendUnderTest, baseline: number) => {
  const until = Date.now() + 5000;
  while (m.liveWorkers() > baseline && Date.now() < until) await sleep(50);
  return m.liveWorkers();
};

export function faultsSuite(m: BackendUnderTest) {
  describe(`${m.name}: faults cost the items they touch and nothing else`, () => {
    const items = m.campaignItems ?? 10_000;
    it(`fault campaign: ${items.toLocaleString('en')} items, 1% crash their worker, 1% exceed taskTimeout; nothing else is lost`, async () => {
      await m.pqdm([1, 2], (x: number) => x, 2);
      const baseline = m.liveWorkers();
      const random = lcg(20261123);
      const kinds = Object.keys(m.crashes);
      const jobs: Job[] = Array.from({ length: items }, (_, i) => {
        const r = random();
        return { i, fault: r < 0.01 ? kinds[i % kinds.length] : r < 0.02 ? 'hang' : null };
      });
      const started = Date.now();
      const out = await m.pqdm(jobs, faultyWorker(m.crashes), { nJobs: 2, taskTimeout: 400 });
      const seconds = (Date.now() - started) / 1000;
      let crashed = 0;
      let timedOut = 0;
      jobs.forEach((job, i) => {
        const y = out[i] as unknown;
        if (job.fault === null) expect(y).toBe(job.i * 2);
        else if (job.fault === 'hang') {
          expect(y).toBeInstanceOf(m.TaskTimeoutError);
          expect((y as { index: number }).index).toBe(i);
          timedOut++;
        } else {
          expect(y).toBeInstanceOf(m.WorkerCrashedError);
          expect((y as { index: number }).index).toBe(i);
          crashed++;
        }
      });
      const faults = jobs.filter((j) => j.fault !== null).length;
      expect(crashed + timedOut).toBe(faults);
      expect(crashed).toBeGreaterThan(items / 200);
      expect(timedOut).toBeGreaterThan(items / 200);
      expect(await settles(m, baseline)).toBeLessThanOrEqual(baseline);
      console.log(
        `[${m.name}] fault campaign: ${jobs.length} items, ${crashed} crashes, ${timedOut} time-outs, 0 lost, ${seconds.toFixed(1)} s`,
      );
    }, 120_000);

    it('a crash in a batch fails only the item that caused it; the rest of the batch runs again', async () => {
      const [kind, code] = Object.entries(m.crashes)[0];
      const jobs: Job[] = Array.from({ length: 3000 }, (_, i) => ({ i, fault: i === 700 || i === 2100 ? kind : null }));
      const out = await m.pqdm(jobs, faultyWorker({ [kind]: code }), { nJobs: 2, batchSize: 64 });
      const failed = out.map((y, i) => (m.isException(y) ? i : -1)).filter((i) => i >= 0);
      expect(failed).toEqual([700, 2100]);
      expect(out[700]).toBeInstanceOf(m.WorkerCrashedError);
      expect(out.filter((y) => !m.isException(y))).toEqual(jobs.filter((j) => !j.fault).map((j) => j.i * 2));
    });

    it('immediate mode after a crash throws the crash like any other error', async () => {
      const [kind, code] = Object.entries(m.crashes)[0];
      const jobs: Job[] = Array.from({ length: 50 }, (_, i) => ({ i, fault: i === 10 ? kind : null }));
      await expect(
        m.pqdm(jobs, faultyWorker({ [kind]: code }), { nJobs: 2, exceptionBehaviour: 'immediate' }),
      ).rejects.toBeInstanceOf(m.WorkerCrashedError);
    });

    it('a stateful worker is built again after a crash, from the same spec and args', async () => {
      class Counter {
        calls = 0;
        constructor(readonly id: string) {}
        call(x: number) {
          if (x === 5) process.exit(7);
          this.calls++;
          return `${this.id}:${this.calls}`;
        }
      }
      const W = m.delayedInit(Counter);
      const out: unknown[] = await m.pqdm(
        Array.from({ length: 10 }, (_, i) => i),
        [W('a'), W('b')],
        { batchSize: 1 },
      );
      expect(out[5]).toBeInstanceOf(m.WorkerCrashedError);
      expect((out[5] as InstanceType<typeof m.WorkerCrashedError>).exitCode).toBe(7);
      const rest = out.filter((_, i) => i !== 5) as string[];
      expect(rest.every((y) => /^[ab]:\d+$/.test(y))).toBe(true);
    });

    it('a constructor that fails once is retried; one that always fails ends the map with its error', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-ctor-'));
      class FailsOnce {
        constructor(marker: string) {
          const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
          if (!fs.existsSync(marker)) {
            fs.writeFileSync(marker, '');
            throw new Error('first construction fails');
          }
        }
        call(x: number) {
          return x;
        }
      }
      expect(
        await m.pqdm(
          [1, 2, 3],
          [m.delayedInit(FailsOnce)(join(dir, 'marker')), m.delayedInit(FailsOnce)(join(dir, 'marker'))],
        ),
      ).toEqual([1, 2, 3]);
      class AlwaysFails {
        constructor() {
          throw new RangeError('cannot load the model');
        }
        call(x: number) {
          return x;
        }
      }
      const W = m.delayedInit(AlwaysFails);
      await expect(m.pqdm([1, 2, 3], [W(), W()])).rejects.toThrow('cannot load the model');
    });

    it('maxTasksPerWorker replaces a worker after that many items', async () => {
      class Count {
        calls = 0;
        // A value that only a new worker (a new thread or process) draws again.
        origin: number;
        constructor() {
          const scope = globalThis as { origin?: number };
          scope.origin = scope.origin ?? Math.random();
          this.origin = scope.origin;
        }
        call() {
          this.calls++;
          return [this.calls, this.origin];
        }
      }
      const W = m.delayedInit(Count);
      const out = (await m.pqdm(
        Array.from({ length: 40 }, (_, i) => i),
        [W(), W()],
        { maxTasksPerWorker: 5 },
      )) as [number, number][];
      expect(Math.max(...out.map(([calls]) => calls))).toBeLessThanOrEqual(5);
      expect(new Set(out.map(([, origin]) => origin)).size).toBeGreaterThanOrEqual(8);
    });

    it('an abort in the middle of a long map returns within a second and leaves no worker running', async () => {
      await m.pqdm([1, 2], (x: number) => x, 2);
      const baseline = m.liveWorkers();
      const controller = new AbortController();
      const slow = (x: number) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        return x;
      };
      const seen: number[] = [];
      let abortedAt = 0;
      await expect(
        (async () => {
          for await (const y of m.pqdm(naturals(), slow, { nJobs: 2, signal: controller.signal })) {
            seen.push(y as number);
            // Abort from outside the loop, a moment after the map is in full swing.
            if (seen.length === 5) {
              setTimeout(() => {
                abortedAt = Date.now();
                controller.abort(new Error('user abort'));
              }, 20);
            }
          }
        })(),
      ).rejects.toThrow('user abort');
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      expect(seen.length).toBeGreaterThanOrEqual(5);
      expect(await settles(m, baseline)).toBeLessThanOrEqual(baseline);
    });
  });
}
