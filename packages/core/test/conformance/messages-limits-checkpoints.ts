import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type BackendUnderTest, fixture, script, sleep } from './backend.js';

/** In scope inside a worker for a function sent as source text. */
declare const emit: (value: unknown) => void;

export function messagesLimitsCheckpointsSuite(m: BackendUnderTest) {
  describe(`${m.name}: messages from and to workers, labelled limits, checkpoints`, () => {
    it('a long item emits 10 progress messages, which arrive in order, before its result', async () => {
      const events: string[] = [];
      const long = m.fromModule(fixture('workers.mjs'), 'reportProgress');
      for await (const y of m.pqdm([0, 1, 2], long, {
        nJobs: 2,
        onMessage: (percent, { index, workerIndex }) => {
          expect([0, 1]).toContain(workerIndex);
          events.push(`${index}:${percent}`);
        },
      })) {
        events.push(`${y}:done`);
      }
      for (const index of [0, 1, 2]) {
        const own = events.filter((e) => e.startsWith(`${index}:`));
        expect(own).toEqual([...Array.from({ length: 10 }, (_, i) => `${index}:${i * 10}`), `${index}:done`]);
      }
    });

    it('a function sent as source text calls emit without importing it', async () => {
      const seen: unknown[] = [];
      const out = await m.pqdm(
        [5],
        (x: number) => {
          emit(`hello ${x}`);
          return x;
        },
        { nJobs: 2, onMessage: (value) => seen.push(value) },
      );
      expect(out).toEqual([5]);
      expect(seen).toEqual(['hello 5']);
    });

    it('tell reaches every worker’s listen; close() returns each worker’s close() value', async () => {
      const Listener = m.delayedInit(fixture('workers.mjs'), 'Listener');
      const pool = new m.Pool([Listener('a'), Listener('b'), Listener('c')]);
      await pool.map([1, 2, 3]);
      pool.tell({ threshold: 1 });
      pool.tell({ threshold: 2 });
      const out = (await pool.map(
        Array.from({ length: 30 }, (_, i) => i),
        { batchSize: 1 },
      )) as [string, number][];
      for (const [, threshold] of out.slice(-3)) expect(threshold).toBe(2);
      const values = await pool.close();
      expect(values).toEqual([
        { id: 'a', heard: [1, 2] },
        { id: 'b', heard: [1, 2] },
        { id: 'c', heard: [1, 2] },
      ]);
    });

    it('close() returns every close() value also when the caller is busy while the workers stop', async () => {
      // The caller's event loop blocked while the workers post their value and exit: both events then
      // wait together, and a value read after the exit was lost (threads: 9 times in 20 before the fix).
      const Closing = m.delayedInit(
        class {
          call(x: number) {
            return x;
          }
          close() {
            return 'bye';
          }
        },
      );
      for (let round = 0; round < 8; round++) {
        const pool = new m.Pool([Closing(), Closing()]);
        await pool.map([1, 2, 3, 4]);
        const closing = pool.close();
        const until = Date.now() + 100;
        while (Date.now() < until) {}
        expect(await closing).toEqual(['bye', 'bye']);
      }
    });

    it('tell before a Pool has run anything reaches every worker', async () => {
      const Listener = m.delayedInit(fixture('workers.mjs'), 'Listener');
      const pool = new m.Pool([Listener('a'), Listener('b')]);
      pool.tell({ threshold: 7 });
      expect(await pool.close()).toEqual([
        { id: 'a', heard: [7] },
        { id: 'b', heard: [7] },
      ]);
    });

    it('an error thrown by onMessage ends the map with that error', async () => {
      const thrown = new Error('the progress display broke');
      const run = m.pqdm(
        [1, 2, 3, 4],
        (x: number) => {
          emit(x);
          return x;
        },
        {
          nJobs: 2,
          onMessage: (value) => {
            if (value === 2) throw thrown;
          },
        },
      );
      await expect(run).rejects.toBe(thrown);
    });

    it('a value emit cannot send is dropped with a warning; the item and its other messages go on', async () => {
      const { stdout, stderr } = await script(
        m,
        `const heard = [];
         const out = await m.pqdm([1, 2], (x) => { emit(() => x); emit(x); return x * 10; }, {
           nJobs: 2,
           onMessage: (value) => heard.push(value),
         });
         console.log(JSON.stringify({ out, heard: heard.sort() }));`,
      );
      expect(JSON.parse(stdout)).toEqual({ out: [10, 20], heard: [1, 2] });
      expect(stderr.match(/mtl: a message emitted by a task cannot be sent/g)).toHaveLength(2);
    });

    it('a listen that throws is a warning: the worker goes on working and hearing', async () => {
      const { stdout, stderr } = await script(
        m,
        `class Picky {
           constructor() { this.heard = []; }
           listen(value) {
             if (value === 'bad') throw new Error('cannot use ' + value);
             this.heard.push(value);
           }
           call(x) { return x * 2; }
           close() { return this.heard; }
         }
         const Spec = m.delayedInit(Picky);
         const pool = new m.Pool([Spec(), Spec()]);
         pool.tell('bad');
         pool.tell('good');
         const out = await pool.map([1, 2, 3]);
         console.log(JSON.stringify({ out, closed: await pool.close() }));`,
      );
      expect(JSON.parse(stdout)).toEqual({ out: [2, 4, 6], closed: [['good'], ['good']] });
      expect(stderr.match(/mtl: the worker's listen\(\) threw: Error: cannot use bad/g)).toHaveLength(2);
    });

    it('an async listen hears one value at a time, in order, each awaited, all before close()', async () => {
      const Slow = m.delayedInit(
        class {
          readonly log: string[];
          constructor() {
            this.log = [];
          }
          async listen(ms: number) {
            this.log.push(`start ${ms}`);
            await new Promise((resolve) => setTimeout(resolve, ms));
            this.log.push(`end ${ms}`);
          }
          call(x: number) {
            return x;
          }
          close() {
            return this.log;
          }
        },
      );
      const pool = new m.Pool([Slow(), Slow()]);
      expect(await pool.map([1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
      // Each value takes less time than the one before: heard at once, they would end in reverse order.
      pool.tell(60);
      pool.tell(30);
      pool.tell(1);
      const log = ['start 60', 'end 60', 'start 30', 'end 30', 'start 1', 'end 1'];
      expect(await pool.close()).toEqual([log, log]);
    });

    it('a close() value that cannot be sent back is undefined, with a warning naming the worker', async () => {
      const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      try {
        const Closing = m.delayedInit(
          class {
            constructor(readonly sendable: boolean) {}
            call(x: number) {
              return x;
            }
            close() {
              return this.sendable ? 'sent' : { format: () => 'a function' };
            }
          },
        );
        const pool = new m.Pool([Closing(false), Closing(true)]);
        pool.tell('start both workers');
        expect(await pool.close()).toEqual([undefined, 'sent']);
        expect(warnings).toHaveBeenCalledWith(
          expect.stringMatching(/what close\(\) returned in worker 0 cannot be sent/),
        );
      } finally {
        warnings.mockRestore();
      }
    });

    it('tell on a closing or closed pool throws', async () => {
      const pool = new m.Pool((x: number) => x, { nJobs: 2 });
      expect(await pool.map([1, 2])).toEqual([1, 2]);
      const closing = pool.close();
      expect(() => pool.tell(1)).toThrow('the pool is closed; tell() reaches no worker');
      await closing;
      expect(() => pool.tell(1)).toThrow('the pool is closed; tell() reaches no worker');
    });

    it('limits and checkpoint together: stored items are skipped, the others run under the limit', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'mtl-checkpoint-')), 'both.ckpt');
      const ran = async (n: number) => {
        let count = 0;
        const out = await m.pqdm(
          Array.from({ length: n }, (_, i) => i),
          (x: number) => x * 3,
          {
            nJobs: 2,
            limits: { even: 1 },
            label: (x: number) => (x % 2 === 0 ? 'even' : 'odd'),
            checkpoint: { file },
            onResult: (event) => {
              if (event.attempts > 0) count++;
            },
          },
        );
        return { out, count };
      };
      expect(await ran(6)).toEqual({ out: [0, 3, 6, 9, 12, 15], count: 6 });
      expect(await ran(8)).toEqual({ out: [0, 3, 6, 9, 12, 15, 18, 21], count: 2 });
    });

    it('limits: { a: 1 } — never two items labelled a at once, and the others are not held back', async () => {
      const task = async (job: { i: number; kind: string }) => {
        const started = performance.timeOrigin + performance.now();
        await new Promise((resolve) => setTimeout(resolve, job.kind === 'a' ? 50 : 5));
        return [job.i, job.kind, started, performance.timeOrigin + performance.now()];
      };
      const jobs = Array.from({ length: 40 }, (_, i) => ({ i, kind: i % 2 === 0 ? 'a' : 'b' }));
      const out = (await m.pqdm(jobs, task, {
        nJobs: 2,
        concurrentTasksPerWorker: 4,
        limits: { a: 1 },
        label: (job: { kind: string }) => job.kind,
      })) as [number, string, number, number][];
      expect(out.map(([i]) => i)).toEqual(jobs.map((j) => j.i));
      const a = out.filter(([, kind]) => kind === 'a').sort((x, y) => x[2] - y[2]);
      for (let k = 1; k < a.length; k++) expect(a[k][2]).toBeGreaterThanOrEqual(a[k - 1][3] - 1);
      // b items pass the a items that wait: all of them are done long before the last a starts.
      const lastB = Math.max(...out.filter(([, kind]) => kind === 'b').map(([, , , end]) => end));
      expect(lastB).toBeLessThan(a[a.length - 1][2]);
    });

    it('a map killed after half its items runs only the other half again, with the same output', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-checkpoint-'));
      const file = join(dir, 'squares.ckpt');
      const log = join(dir, 'ran.log');
      const body = `
        import * as m from ${JSON.stringify(m.entryUrl)};
        const square = (x) => {
          const fs = process.getBuiltinModule('node:fs');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 40);
          fs.appendFileSync(${JSON.stringify(log)}, x + '\\n');
          return { x, square: new Map([[x, x * x]]) };
        };
        const out = await m.pqdm(Array.from({ length: 40 }, (_, i) => i), square, { nJobs: 2, batchSize: 1, checkpoint: { file: ${JSON.stringify(file)} } });
        console.log(JSON.stringify(out.map((y) => [y.x, y.square.get(y.x)])));`;
      const first = spawn(process.execPath, ['--input-type=module', '-e', body], { stdio: 'ignore' });
      const ranLines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
      const deadline = Date.now() + 20_000;
      while (ranLines().length < 20 && Date.now() < deadline) await sleep(10);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const ranFirst = new Set(ranLines());
      expect(ranFirst.size).toBeGreaterThanOrEqual(20);
      expect(ranFirst.size).toBeLessThan(40);

      const second = spawn(process.execPath, ['--input-type=module', '-e', body], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      second.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      await new Promise((resolve) => second.once('exit', resolve));
      const all = ranLines();
      const ranSecond = all.slice(ranFirst.size);
      // Only what the first run had not finished ran again (at most the items in flight at the kill).
      expect(ranSecond.length).toBeLessThanOrEqual(40 - ranFirst.size + 2);
      expect(new Set(all).size).toBe(40);
      expect(JSON.parse(stdout)).toEqual(Array.from({ length: 40 }, (_, i) => [i, i * i]));
    });

    it('a checkpoint file that is not one, and bad limits, are clear errors', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-checkpoint-'));
      const notOne = join(dir, 'notes.txt');
      (await import('node:fs')).writeFileSync(notOne, 'my notes\n');
      await expect(m.pqdm([1], (x: number) => x, { nJobs: 2, checkpoint: { file: notOne } })).rejects.toThrow(
        /is not an mtl checkpoint file/,
      );
      expect(() => m.pqdm([1], (x: number) => x, { nJobs: 2, limits: { a: 1 } })).toThrow(
        /`limits` and `label` go together/,
      );
    });

    it(
      m.separateProcesses
        ? 'a SharedArrayBuffer init arg cannot be shared by processes: the map says so'
        : 'a SharedArrayBuffer init arg is shared by the threads (Atomics)',
      async () => {
        const shared = new Int32Array(new SharedArrayBuffer(4));
        const Counter = m.delayedInit(
          class {
            constructor(readonly total: Int32Array) {}
            call(x: number) {
              Atomics.add(this.total, 0, x);
              return x;
            }
          },
        );
        const run = m.pqdm(
          Array.from({ length: 100 }, (_, i) => i + 1),
          [Counter(shared), Counter(shared)],
        );
        if (m.separateProcesses) await expect(run).rejects.toThrow(/cannot be shared with a worker process/);
        else {
          await run;
          expect(Atomics.load(shared, 0)).toBe(5050);
        }
      },
    );
  });
}
