import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, script, sleep } from './backend.js';

/** Waits until the live-worker count is back to its baseline (workers end asynchronously). */
const settles = async (m: BackendUnderTest, baseline: number) => {
  const until = Date.now() + 5000;
  while (m.liveWorkers() > baseline && Date.now() < until) await sleep(50);
  return m.liveWorkers();
};

/** Throws an Error whose name is the item (`toString`, `__proto__`, ...): a name is data. */
const throwNamed = (name: string) => {
  const error = new Error(`named ${name}`);
  Object.defineProperty(error, 'name', { value: name, enumerable: false });
  throw error;
};

/** The axios shape: an error that carries fields a worker cannot send (functions deep inside). */
const throwAxios = (x: number) => {
  const error = Object.assign(new Error(`request ${x} failed`), { code: 'ERR_BAD_RESPONSE', config: { f: [() => 0] } });
  if (x % 2 === 0) throw error;
  return Promise.reject(error);
};

/** Hostile behaviours for the mixed campaign, by name; each is code run in a worker for item `job`. */
const hostile: Record<string, string> = {
  ok: 'return job.i * 2;',
  'weird name': `const e = new Error('w'); Object.defineProperty(e, 'name', { value: ['toString', '__proto__', 'constructor', 'valueOf'][job.i % 4] }); throw e;`,
  axios: `throw Object.assign(new Error('axios ' + job.i), { code: 'E_AX', config: { f: [() => 0] } });`,
  'async axios': `return Promise.reject(Object.assign(new Error('axios ' + job.i), { code: 'E_AX', config: { f: [() => 0] } }));`,
  'error as data': `return Object.assign(new RangeError('data ' + job.i), { code: 'E_DATA' });`,
  unsendable: 'return () => job.i;',
  'non-error': 'throw { weird: job.i };',
  crash: 'process.exit(9);',
  'timer throw': "setTimeout(() => { throw new Error('escaped') }, 0); return new Promise(() => {});",
  hang: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000); return -1;',
};

export function chaosSuite(m: BackendUnderTest) {
  describe(`${m.name}: hostile input, misbehaving workers and misuse`, () => {
    it('1. an error named toString, __proto__, constructor or valueOf arrives as an Error with that name', async () => {
      const names = ['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty'];
      const out = await m.pqdm(names, throwNamed, { nJobs: 2, batchSize: 1 });
      out.forEach((y, i) => {
        expect(m.isException(y)).toBe(true);
        expect((y as Error).name).toBe(names[i]);
        expect((y as Error).message).toBe(`named ${names[i]}`);
        expect(Object.getPrototypeOf(y)).toBe(Error.prototype);
      });
      await expect(m.pqdm(['__proto__'], throwNamed, { nJobs: 2, exceptionBehaviour: 'immediate' })).rejects.toThrow(
        'named __proto__',
      );
    });

    it('2. an error with fields that cannot be sent arrives with its message and code, thrown or rejected', async () => {
      const out = await m.pqdm([0, 1, 2, 3], throwAxios, { nJobs: 2 });
      out.forEach((y, i) => {
        expect(m.isException(y)).toBe(true);
        expect((y as Error).message).toBe(`request ${i} failed`);
        expect((y as Error & { code: string }).code).toBe('ERR_BAD_RESPONSE');
        expect((y as Error & { index: number }).index).toBe(i);
      });
    });

    it('3. maxTasksPerWorker: 1 and an item that exits its worker: only that item fails', async () => {
      const exitOn3 = (x: number) => (x === 3 ? process.exit(4) : x);
      const out = await m.pqdm([0, 1, 2, 3, 4, 5, 6, 7], exitOn3, { nJobs: 2, maxTasksPerWorker: 1 });
      expect(out[3]).toBeInstanceOf(m.WorkerCrashedError);
      expect(out.filter((_, i) => i !== 3)).toEqual([0, 1, 2, 4, 5, 6, 7]);
    });

    it('3b. an error thrown outside any task is the crash cause, with its message, though a field of it cannot be sent', async () => {
      const escapeLater = () => {
        setTimeout(() => {
          throw Object.assign(new Error('escaped with a function'), { retry: () => 1 });
        }, 0);
        return new Promise(() => {});
      };
      const [crash] = await m.pqdm([1], escapeLater, { nJobs: 2 });
      expect(crash).toBeInstanceOf(m.WorkerCrashedError);
      expect(((crash as Error).cause as Error | undefined)?.message).toBe('escaped with a function');
    });

    it('4. close() while a map is awaited rejects the await; while iterated, ends the loop; no worker stays', async () => {
      await m.pqdm([1, 2], (x: number) => x, 2);
      const baseline = m.liveWorkers();
      const slow = async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return x;
      };
      const awaited = m.pqdm(
        Array.from({ length: 200 }, (_, i) => i),
        slow,
        2,
      );
      const settled = awaited.then(
        () => 'resolved',
        (error: unknown) => (error as Error).message,
      );
      await sleep(150);
      await awaited.close();
      expect(await settled).toMatch(/closed/);

      const iterated = m.pqdm(
        Array.from({ length: 200 }, (_, i) => i),
        slow,
        2,
      );
      const seen: unknown[] = [];
      const loop = (async () => {
        for await (const y of iterated) {
          seen.push(y);
          if (seen.length === 3) void iterated.close();
        }
        return 'ended';
      })();
      expect(await loop).toBe('ended');
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.length).toBeLessThan(200);
      expect(await settles(m, baseline)).toBeLessThanOrEqual(baseline);
    });

    it('5. only an explicit request runs in the caller: default nJobs on a 1-CPU machine uses a real worker', async () => {
      const { stdout } = await script(
        m,
        `import os from 'node:os';
         import { syncBuiltinESMExports } from 'node:module';
         os.availableParallelism = () => 1;
         syncBuiltinESMExports();
         const out = await m.pqdm([1, 2, 3], (x) => (x === 2 ? process.exit(5) : x));
         const isolated = await m.pqdm([1], () => process.exit(6), { nJobs: 1, inline: false });
         console.log(out[0], out[1] instanceof m.WorkerCrashedError, out[2], isolated[0] instanceof m.WorkerCrashedError);`,
      );
      expect(stdout).toBe('1 true 3 true');
      // nJobs: 1, given, is the debugging mode: the function runs here, closures and all.
      const here = { threadId: (await import('node:worker_threads')).threadId, pid: process.pid };
      const factor = 3;
      const [where] = await m.pqdm(
        [1],
        async () => {
          const { threadId } = await import('node:worker_threads');
          return { threadId, pid: process.pid, factor };
        },
        1,
      );
      expect(where).toEqual({ ...here, factor: 3 });
    });

    // The ceiling on nJobs (a RangeError that says how to go past it) is unit-tested (options.test.ts).
    it('6. workers start only as needed: nJobs 40 for 3 items starts at most 3', async () => {
      await m.pqdm([1, 2], (x: number) => x, 2);
      const baseline = m.liveWorkers();
      const out = m.pqdm([1, 2, 3], (x: number) => x, 40);
      await sleep(300);
      expect(m.liveWorkers() - baseline).toBeLessThanOrEqual(3 * (m.separateProcesses ? 1 : 4));
      expect(await out).toEqual([1, 2, 3]);
    });

    it('8. every byte a worker writes to stdout arrives, also when the parent stdout is a pipe', async () => {
      const { stdout } = await script(
        m,
        `await m.pqdm([1, 2], (x) => { process.stdout.write(String(x).repeat(25 * 1024 * 1024)); return x; }, { nJobs: 2 });
         process.stdout.write('\\nend');`,
        60_000,
      );
      expect(stdout.length).toBe(50 * 1024 * 1024 + 4);
      expect(stdout.endsWith('\nend')).toBe(true);
    }, 90_000);

    it('8b. every byte a worker writes to stderr arrives too, also when the parent stderr is a pipe', async () => {
      // Far more than a pipe holds: a worker that exits without waiting for stderr to drain loses the tail.
      const { stderr } = await script(
        m,
        `await m.pqdm([1, 2], (x) => { process.stderr.write(String(x).repeat(4 * 1024 * 1024)); return x; }, { nJobs: 2 });
         process.stderr.write('\\nend');`,
      );
      expect(stderr.length).toBe(8 * 1024 * 1024 + 4);
      expect(stderr.endsWith('\nend')).toBe(true);
    });

    it('9. a Pool stays usable after an aborted map whose workers were stuck', async () => {
      const pool = new m.Pool(
        (x: { stuck: boolean; v: number }) => {
          if (x.stuck) for (;;) {}
          return x.v;
        },
        { nJobs: 2 },
      );
      try {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new Error('enough')), 200);
        const stuck = Array.from({ length: 4 }, (_, v) => ({ stuck: true, v }));
        await expect(pool.map(stuck, { signal: controller.signal })).rejects.toThrow('enough');
        const started = Date.now();
        const out = await pool.map(Array.from({ length: 6 }, (_, v) => ({ stuck: false, v })));
        expect(out).toEqual([0, 1, 2, 3, 4, 5]);
        expect(Date.now() - started).toBeLessThan(5000);
      } finally {
        await pool.close();
      }
    });

    it("10. 'immediate' throws at once, without waiting for busy siblings", async () => {
      const work = (x: number) => {
        if (x === 0) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
          throw new Error('early failure');
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);
        return x;
      };
      const started = Date.now();
      await expect(m.pqdm([0, 1], work, { nJobs: 2, batchSize: 1, exceptionBehaviour: 'immediate' })).rejects.toThrow(
        'early failure',
      );
      expect(Date.now() - started).toBeLessThan(2000 + (m.startMs ?? 0));
    });

    it('11. an iterator whose next() returns a non-object is a TypeError, sync or async', async () => {
      const sync = { [Symbol.iterator]: () => ({ next: () => 5 }) } as unknown as Iterable<number>;
      await expect(m.pqdm(sync, (x: number) => x, 2)).rejects.toThrow(TypeError);
      const asyncInput = {
        [Symbol.asyncIterator]: () => ({ next: async () => 5 }),
      } as unknown as AsyncIterable<number>;
      await expect(m.pqdm(asyncInput, (x: number) => x, 2)).rejects.toThrow(/next\(\)/);
    });

    it('12. a result the channel refuses (a SharedArrayBuffer on processes) fails its own item, clearly', async () => {
      const out: unknown[] = await m.pqdm([1, 2, 3], (x: number) => (x === 2 ? new SharedArrayBuffer(8) : x), {
        nJobs: 2,
      });
      expect(out[0]).toBe(1);
      expect(out[2]).toBe(3);
      if (m.separateProcesses) {
        expect(m.isException(out[1])).toBe(true);
        expect((out[1] as Error).message).toMatch(/cannot be sent back/);
        expect((out[1] as Error & { index: number }).index).toBe(1);
      } else expect(out[1]).toBeInstanceOf(SharedArrayBuffer);
    });

    it('13. errors passed as data keep their name, code and fields, both ways', async () => {
      class HttpError extends Error {
        override name = 'HttpError';
        status = 404;
      }
      const input = Object.assign(new HttpError('not found'), { code: 'E_404' });
      const [seen] = await m.pqdm([input], (e: Error & { code: string; status: number }) => [
        e instanceof Error,
        e.name,
        e.message,
        e.code,
        e.status,
      ]);
      expect(seen).toEqual([true, 'HttpError', 'not found', 'E_404', 404]);
      const [returned] = await m.pqdm(
        [1],
        (x: number) =>
          Object.assign(new RangeError(`value ${x}`), { name: 'ValueError', code: 'E_VAL', details: { x } }),
        { nJobs: 2 },
      );
      expect(m.isException(returned)).toBe(true);
      expect(returned).toMatchObject({ name: 'ValueError', message: 'value 1', code: 'E_VAL', details: { x: 1 } });
    });

    it('14. a task that breaks globals or silences the channel does not stall its worker', async () => {
      const breaker = (x: number) => {
        if (x === 0) {
          Array.prototype.push = () => {
            throw new Error('push is broken');
          };
          (globalThis as { setImmediate: unknown }).setImmediate = () => {
            throw new Error('setImmediate is broken');
          };
        }
        if (x === 1) {
          process.removeAllListeners('message');
          process.removeAllListeners();
        }
        if (x === 2) {
          const { parentPort } = process.getBuiltinModule(
            'node:worker_threads',
          ) as typeof import('node:worker_threads');
          parentPort?.removeAllListeners();
          parentPort?.close();
        }
        return x * 10;
      };
      const out = await m.pqdm(
        Array.from({ length: 12 }, (_, i) => i % 4),
        breaker,
        {
          nJobs: 1,
          inline: false,
          batchSize: 1,
        },
      );
      expect(out).toEqual(Array.from({ length: 12 }, (_, i) => (i % 4) * 10));
    });

    it('15. a constructor that never resolves fails the map after initTimeout, three times over', async () => {
      const Never = m.delayedInit(() => new Promise<(x: number) => number>(() => {}));
      const started = Date.now();
      await expect(m.pqdm([1, 2], [Never(), Never()], { initTimeout: 300, taskTimeout: 100 })).rejects.toThrow(
        /initTimeout \(300 ms\)/,
      );
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('16. init args that cannot be sent reject the map, and the program then exits', async () => {
      const unsendable = m.separateProcesses ? 'new SharedArrayBuffer(4)' : '() => 1';
      const { stdout, ms } = await script(
        m,
        `const W = m.delayedInit(class { constructor(a) { this.a = a; } call(x) { return x; } });
         const error = await m.pqdm([1, 2], [W(${unsendable}), W(${unsendable})]).then(() => 'resolved', (e) => e.message);
         console.log(error);`,
      );
      expect(stdout).toMatch(/arguments of worker \d cannot be sent/);
      expect(ms).toBeLessThan(10_000);
    });

    it('mixed campaign: 600 items, one in 7 hostile in one of 9 ways; each gets its own result, nothing hangs or stays', async () => {
      await m.pqdm([1, 2], (x: number) => x, 2);
      const baseline = m.liveWorkers();
      const kinds = Object.keys(hostile);
      const jobs = Array.from({ length: 600 }, (_, i) => ({
        i,
        kind: i % 7 === 0 ? kinds[(i / 7) % kinds.length] : 'ok',
      }));
      const worker = new Function(
        'job',
        `switch (job.kind) { ${kinds.map((k) => `case ${JSON.stringify(k)}: { ${hostile[k]} }`).join('\n')} }`,
      ) as (job: { i: number; kind: string }) => unknown;
      const out = await m.pqdm(jobs, worker, { nJobs: 2, taskTimeout: 1000 });
      expect(out.length).toBe(jobs.length);
      for (const { i, kind } of jobs) {
        const y = out[i];
        if (kind === 'ok') expect(y).toBe(i * 2);
        else {
          expect(m.isException(y)).toBe(true);
          expect((y as Error).message.length).toBeGreaterThan(0);
        }
        if (kind === 'crash' || kind === 'timer throw') expect(y).toBeInstanceOf(m.WorkerCrashedError);
        if (kind === 'hang') expect(y).toBeInstanceOf(m.TaskTimeoutError);
        if (kind === 'error as data') expect(y).toMatchObject({ name: 'RangeError', code: 'E_DATA' });
        if (kind.includes('axios')) expect(y).toMatchObject({ message: `axios ${i}`, code: 'E_AX', index: i });
      }
      expect(await settles(m, baseline)).toBeLessThanOrEqual(baseline);
    }, 120_000);
  });
}
