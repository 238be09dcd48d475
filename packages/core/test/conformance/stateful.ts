import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, fixture } from './backend.js';

interface Record {
  id: number;
  x: number;
  calls: number;
  constructions: number;
  pid: number;
  threadId: number;
}

/** The type of the fixture's Recorder class, which the tests name by its export name. */
type RecorderClass = new (dir: string, id: number) => { call(x: number): Record };

export function statefulSuite(m: BackendUnderTest) {
  describe(`${m.name}: stateful workers (delayedInit), specs and pools`, () => {
    it('each worker builds its own instance once, with its own args, and closes it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-'));
      const Recorder = m.delayedInit<RecorderClass>(fixture('workers.mjs'), 'Recorder');
      const slowly = Array.from({ length: 40 }, (_, x) => x);
      const out = (await m.pqdm(
        slowly,
        [0, 1, 2, 3].map((id) => Recorder(dir, id)),
      )) as Record[];
      expect(out.map((r) => r.x)).toEqual(slowly);
      const byId = new Map<number, Record[]>();
      for (const r of out) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
      for (const records of byId.values()) {
        // one instance per worker: one construction, one place, and a call count that only grows
        expect(new Set(records.map((r) => `${r.pid}/${r.threadId}`)).size).toBe(1);
        expect(records.every((r) => r.constructions === 1)).toBe(true);
        expect(records.map((r) => r.calls)).toEqual(records.map((_, i) => i + 1));
      }
      expect([...byId.keys()].every((id) => id >= 0 && id < 4)).toBe(true);
      // close() ran in every worker before the map settled
      const closed = readdirSync(dir);
      expect(closed.length).toBe(4);
      expect(closed.map((f) => Number(f.split('-')[1])).sort()).toEqual([0, 1, 2, 3]);
    });

    it('four workers with ids 0..3 all take part, each reporting its id', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-ids-'));
      // Each worker's first item waits until all four have one, so that all four take part
      // however unevenly they start.
      class Gathering {
        constructor(
          readonly id: number,
          readonly dir: string,
        ) {}
        call(x: number) {
          const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
          fs.writeFileSync(`${this.dir}/${this.id}`, '');
          const until = Date.now() + 10_000;
          while (fs.readdirSync(this.dir).length < 4 && Date.now() < until) {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          }
          return [this.id, x];
        }
      }
      const Worker = m.delayedInit(Gathering);
      const out = (await m.pqdm(
        Array.from({ length: 40 }, (_, i) => i),
        [0, 1, 2, 3].map((id) => Worker(id, dir)),
      )) as number[][];
      expect(new Set(out.map(([id]) => id))).toEqual(new Set([0, 1, 2, 3]));
      expect(out.map(([, x]) => x)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    });

    it('construction may be async (a factory returning a promise)', async () => {
      const make = m.delayedInit(fixture('workers.mjs'), 'makeAsyncWorker');
      expect(await m.pqdm([1, 2, 3], [make(7, 50), make(8, 50)])).toEqual(
        expect.arrayContaining([expect.arrayContaining([1]), expect.arrayContaining([2]), expect.arrayContaining([3])]),
      );
    });

    it('a Pool keeps its workers and their state across maps, and runs two maps at once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-'));
      const Recorder = m.delayedInit<RecorderClass>(fixture('workers.mjs'), 'Recorder');
      const pool = new m.Pool([Recorder(dir, 0), Recorder(dir, 1)]);
      const sure = { exceptionBehaviour: 'immediate' } as const;
      const first = await pool.map(
        Array.from({ length: 20 }, (_, i) => i),
        sure,
      );
      const [second, third] = await Promise.all([pool.map([100, 101, 102], sure), pool.map([200, 201], sure)]);
      expect(second.map((r) => r.x)).toEqual([100, 101, 102]);
      expect(third.map((r) => r.x)).toEqual([200, 201]);
      const maxCalls = Math.max(...[...first, ...second, ...third].map((r) => r.calls));
      expect(maxCalls).toBeGreaterThan(10); // counted on from the first map
      expect([...first, ...second, ...third].every((r) => r.constructions === 1)).toBe(true);
      await pool.close();
      expect(readdirSync(dir).length).toBe(2);
    });

    it('fromModule loads .mjs, .cjs and .ts modules inside the workers', async () => {
      expect(await m.pqdm([1, 2], m.fromModule(fixture('workers.mjs'), 'addOffset'), 2)).toEqual([1001, 1002]);
      expect(await m.pqdm([1, 2], m.fromModule(fixture('workers.cjs'), 'triple'), 2)).toEqual([3, 6]);
      expect(await m.pqdm([3, 4], m.fromModule(fixture('workers.ts'), 'tsSquare'), 2)).toEqual([9, 16]);
    });

    it('a missing module or export rejects the map before any item runs, naming it', async () => {
      await expect(m.pqdm([1], m.fromModule(fixture('missing-export.mjs'), 'nope'), 2)).rejects.toThrow(
        /missing-export\.mjs has no export named `nope`.*somethingElse/,
      );
      await expect(m.pqdm([1], m.fromModule(fixture('no-such-file.mjs'), 'f'), 2)).rejects.toThrow(
        /no-such-file\.mjs does not exist/,
      );
    });

    it('a worker module that starts a map when imported is refused, not left to multiply workers', async () => {
      await expect(m.pqdm([1], m.fromModule(fixture('self-starting.mjs'), 'double'), 2)).rejects.toThrow(
        /a map was started while a worker was importing its worker module/,
      );
    });

    it('an inline function that uses something absent in the worker says so and points to fromModule', async () => {
      const outside = 10;
      const [error]: unknown[] = await m.pqdm([1], (x: number) => x + outside, 2);
      expect(m.isException(error)).toBe(true);
      expect((error as Error).name).toBe('ReferenceError');
      expect((error as Error).message).toMatch(
        /outside is not defined.*fromModule\(new URL\('\.\/work\.js', import\.meta\.url\), fn\)/s,
      );
    });

    it('nJobs: 1 runs in the calling thread: closures work and values are not cloned', async () => {
      const seen: object[] = [];
      const item = { big: true };
      const out = await m.pqdm(
        [item, item],
        (x: object) => {
          seen.push(x);
          return threadId;
        },
        1,
      );
      expect(out).toEqual([threadId, threadId]);
      expect(seen[0]).toBe(item);
      const [failed] = await m.pqdm(
        [1],
        () => {
          throw new Error('boom');
        },
        1,
      );
      expect(m.isException(failed) && (failed as Error & { index: number }).index).toBe(0);
    });

    it('an array of specs sets nJobs', async () => {
      const f = (x: number) => x;
      const pool = new m.Pool([f, f, f]);
      expect(pool.nJobs).toBe(3);
      await pool.close();
    });
  });
}
