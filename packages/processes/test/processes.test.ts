import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayedInit, Pool, pqdm } from '@mtl/processes';
import { describe, expect, it } from 'vitest';

const entryUrl = new URL('../dist/index.js', import.meta.url).href;

/** Whether a process runs: a zombie (dead, not yet reaped by whoever adopted it) does not. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

const waitGone = async (pids: number[], ms = 5000) => {
  const until = Date.now() + ms;
  while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.filter(alive);
};

/** Starts a parent script that prints its workers' pids on its first line; resolves with them and the child. */
const parent = async (body: string) => {
  const source = `import * as m from ${JSON.stringify(entryUrl)};\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  while (!out.includes('\n')) await once(child.stdout, 'data');
  const pids = JSON.parse(out.split('\n')[0]) as number[];
  return { child, pids, output: () => out };
};

const reportPids = `
  // Each worker holds an open handle (as a connection would), so it cannot just drift out of its event loop.
  // Each item holds its worker until the other worker has started one, so that both take part however slow the start.
  class Pid {
    constructor() { setInterval(() => {}, 1000); }
    call(dir) {
      const fs = process.getBuiltinModule('node:fs');
      fs.writeFileSync(dir + '/' + process.pid, '');
      const until = Date.now() + 10000;
      while (fs.readdirSync(dir).length < 2 && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      return process.pid;
    }
  }
  const W = m.delayedInit(Pid);
  const pool = new m.Pool([W(), W()]);
  const dir = (await import('node:fs')).mkdtempSync((await import('node:os')).tmpdir() + '/mtl-pids-');
  const pids = [...new Set(await pool.map([dir, dir], { batchSize: 1 }))];
  console.log(JSON.stringify(pids));
`;

describe('processes: isolation and clean-up', () => {
  it('each worker is its own process, and its init args reach it', async () => {
    class WhoAmI {
      constructor(readonly id: number) {}
      // Each worker waits until all three have started an item, so that all take part however slow a start.
      call(dir: string) {
        const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
        fs.writeFileSync(`${dir}/${process.pid}`, '');
        const until = Date.now() + 10_000;
        while (fs.readdirSync(dir).length < 3 && Date.now() < until) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
        return [this.id, process.pid];
      }
    }
    const W = delayedInit(WhoAmI);
    const dir = mkdtempSync(join(tmpdir(), 'mtl-who-'));
    const out = (await pqdm(
      Array.from({ length: 3 }, () => dir),
      [W(0), W(1), W(2)],
      { batchSize: 1 },
    )) as [number, number][];
    const pidOf = new Map<number, Set<number>>();
    for (const [id, pid] of out) pidOf.set(id, (pidOf.get(id) ?? new Set()).add(pid));
    expect([...pidOf.keys()].sort()).toEqual([0, 1, 2]);
    const pids = [...pidOf.values()].map((set) => {
      expect(set.size).toBe(1);
      return [...set][0];
    });
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(process.pid);
  });

  it('env, cwd and json serialization reach the workers', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mtl-cwd-')));
    const out = await pqdm([1], () => [process.env.MTL_TEST_VAR, process.cwd()], {
      nJobs: 2,
      env: { MTL_TEST_VAR: 'hello' },
      cwd: dir,
    });
    expect(out).toEqual([['hello', dir]]);
    expect(
      await pqdm([{ a: 1 }, { a: 2 }], (x: { a: number }) => ({ b: x.a * 2 }), { nJobs: 2, serialization: 'json' }),
    ).toEqual([{ b: 2 }, { b: 4 }]);
  });

  it("with json serialization, an item JSON cannot encode fails alone, with JSON's reason", async () => {
    const out = await pqdm([1, 2n as never, 3], (x: number) => x * 2, { nJobs: 2, serialization: 'json' });
    expect(out[0]).toBe(2);
    expect(out[2]).toBe(6);
    expect(out[1]).toBeInstanceOf(TypeError);
    expect((out[1] as Error).message).toMatch(/BigInt/);
  });

  it('bad process options are named, with what they should be and what they got', () => {
    const f = (x: number) => x;
    expect(() => pqdm([1], f, { nJobs: 2, serialization: 'xml' as never })).toThrow(RangeError);
    expect(() => pqdm([1], f, { nJobs: 2, serialization: 'xml' as never })).toThrow(
      /`serialization` to be one of 'advanced', 'json', got `"xml"`/,
    );
    expect(() => pqdm([1], f, { nJobs: 2, cwd: 7 as never })).toThrow(/`cwd` to be a path, got `7`/);
    // The checks of env and execArgv are core's (unit-tested in options.test.ts): one shows they run here.
    expect(() => pqdm([1], f, { nJobs: 2, env: 'LANG=C' as never })).toThrow(/`env` to be an object of strings, got/);
  });

  it('no worker outlives a parent that exits normally', async () => {
    const { child, pids } = await parent(`${reportPids} await pool.close();`);
    await once(child, 'exit');
    expect(pids).toHaveLength(2);
    expect(await waitGone(pids)).toEqual([]);
  });

  it('no worker outlives a parent that breaks out of a map and ends without closing anything', async () => {
    const { child, pids } = await parent(`${reportPids}
      function* n() { for (let i = 0; ; i++) yield i; }
      for await (const y of m.pqdm(n(), (x) => x, 2)) if (y === 50) break;`);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await waitGone(pids)).toEqual([]);
  });

  it('no worker outlives a parent killed with SIGKILL, in the middle of a map or while the pool is idle', async () => {
    for (const then of ['for await (const y of pool.map(n())) {}', 'setInterval(() => {}, 1000);']) {
      const { child, pids } = await parent(`${reportPids}
        function* n() { for (let i = 0; ; i++) yield i; }
        ${then}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pids.every(alive)).toBe(true);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(await waitGone(pids)).toEqual([]);
    }
  });

  it('no worker outlives a parent killed with SIGKILL while the workers spin in a synchronous loop (within 2 s)', async () => {
    const { child, output } = await parent(`
      const pool = new m.Pool((x) => { process.stdout.write(process.pid + '\\n'); for (;;) {} }, { nJobs: 2 });
      console.log('[]');
      for await (const y of pool.map([1, 2], { batchSize: 1 })) {}`);
    const pidsOf = () => output().split('\n').slice(1).filter(Boolean).map(Number);
    const until = Date.now() + 10_000;
    while (pidsOf().length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const pids = pidsOf();
    expect(pids).toHaveLength(2);
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await waitGone(pids, 2000)).toEqual([]);
  });

  it('a Pool of processes is reusable and closes', async () => {
    const pool = new Pool((x: number) => x + 1, { nJobs: 2 });
    expect(await pool.map([1, 2])).toEqual([2, 3]);
    expect(await pool.map([3])).toEqual([4]);
    await pool.close();
    await expect(pool.map([1])).rejects.toThrow(/pool is closed/);
  });
});
