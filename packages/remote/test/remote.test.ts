import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { command, fromModule, Pool, pqdm, slurm, ssh, WorkerCrashedError } from '@mtl/remote';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from './live-workers.js';
import { available, services } from './services.js';

const local = command([]);
const square = (x: number) => x * x;

/** The error a map rejected with, and its cause. */
const rejection = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => {
      throw new Error('the map resolved');
    },
    (error: Error) => ({ error, cause: error.cause as Error | undefined }),
  );

describe('remote: options', () => {
  it('needs a launcher, and says which', () => {
    expect(() => pqdm([1], square, { nJobs: 2 } as never)).toThrow(
      /`launcher` to be slurm\(\), ssh\(\{ hosts \}\) or command\(argv\) from @mtl\/remote, got nothing/,
    );
    expect(() => pqdm([1], square, { nJobs: 2, launcher: ['ssh', 'node1'] } as never)).toThrow(/got object/);
    expect(() => pqdm([1], square, { nJobs: 2, lancher: local } as never)).toThrow(/did you mean `launcher`/);
  });

  it('checks listen, node, execArgv and heartbeat', () => {
    const bad = [
      [{ listen: '0.0.0.0' }, /`listen` to be an object/],
      [{ listen: { port: 70_000 } }, /`listen.port` to be a port number/],
      [{ listen: { host: 5 } }, /`listen.host`/],
      [{ listen: { advertise: '' } }, /`listen.advertise`/],
      [{ node: '' }, /`node` to be the path of node/],
      [{ execArgv: '--inspect' }, /`execArgv` to be an array of strings/],
      [{ heartbeat: 0 }, /`heartbeat` to be a number of milliseconds above 0, got `0`/],
      [{ heartbeat: '5s' }, /`heartbeat` to be a number of milliseconds/],
    ] as const;
    for (const [options, message] of bad) {
      expect(() => pqdm([1], square, { nJobs: 2, launcher: local, ...options } as never)).toThrow(message);
    }
  });

  it('nJobs defaults to what the launcher offers: the ssh slots', async () => {
    const pool = new Pool(square, { launcher: ssh({ hosts: ['a:3', 'b'] }) });
    expect(pool.nJobs).toBe(4);
    await pool.close();
  });

  describe('under slurm, the allocation', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    });
    it("nJobs defaults to the allocation's task count", async () => {
      Object.assign(process.env, { SLURM_JOB_ID: '1', SLURM_NTASKS: '6' });
      const pool = new Pool(square, { launcher: slurm() });
      expect(pool.nJobs).toBe(6);
      await pool.close();
    });
  });
});

describe('remote: what fails, and how it says so', () => {
  it('a module that is not on the worker host fails the map before any item, saying where it must be', async () => {
    const missing = pathToFileURL('/nowhere/on/this/host/work.mjs').href;
    const { error } = await rejection(pqdm([1], fromModule(missing, 'work'), { nJobs: 2, launcher: local }));
    expect(error.message).toMatch(
      /work\.mjs does not exist on the host this worker runs on \(.+\).*for every worker: on another machine, a shared file system or the same image/,
    );
  });

  it('a launcher that fails before the worker connects: the error has its command, its exit and what it wrote', async () => {
    const launcher = command(['sh', '-c', 'echo "ssh: Could not resolve hostname nowhere" >&2; exit 255']);
    const { error, cause } = await rejection(pqdm([1, 2], square, { nJobs: 1, inline: false, launcher }));
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.message).toMatch(/exited with code 255 while it was being built, 3 times in a row/);
    expect(cause?.message).toMatch(
      /the launcher `sh -c .*` exited with code 255 before the worker connected back to 127\.0\.0\.1:\d+/,
    );
    expect(cause?.message).toMatch(/it wrote:\nssh: Could not resolve hostname nowhere/);
  });

  it('a worker that cannot reach the address it was given says so', async () => {
    // Listening on 127.0.0.1 and telling workers to dial 127.0.0.2, where nothing listens.
    const { cause } = await rejection(
      pqdm([1], square, { nJobs: 1, inline: false, launcher: local, listen: { advertise: '127.0.0.2' } }),
    );
    expect(cause?.message).toMatch(/cannot connect to the caller at 127\.0\.0\.2:\d+ \(ECONNREFUSED\)/);
  });

  it('a launcher that reports a signal as 128 + n (a shell, srun) gives the signal back', async () => {
    const shell = command(['sh', '-c', '"$@"; exit $?', 'sh']);
    const [, crashed] = await pqdm([1, 2], (x: number) => (x === 2 ? process.kill(process.pid, 'SIGKILL') : x), {
      nJobs: 1,
      inline: false,
      launcher: shell,
      batchSize: 1,
    });
    expect(crashed).toBeInstanceOf(WorkerCrashedError);
    expect(crashed).toMatchObject({ signal: 'SIGKILL', exitCode: null });
  });

  it('a worker whose stdin the launcher does not pass on says the token could not arrive', async () => {
    const closedStdin = command(['sh', '-c', 'exec "$@" < /dev/null', 'sh']);
    const { cause } = await rejection(pqdm([1], square, { nJobs: 1, inline: false, launcher: closedStdin }));
    expect(cause?.message).toMatch(/stdin ended before the pool token arrived/);
  });
});

describe('remote: heartbeats', () => {
  // x = 1 stops the worker's whole process, its watchdog thread too: it answers nothing, as on a dead host.
  const stopOnOne = (x: number) => {
    if (x === 1) process.kill(process.pid, 'SIGSTOP');
    return process.pid;
  };

  it('a worker that stops answering is counted as crashed after three heartbeats, its process ended, and the map goes on', async () => {
    const pool = new Pool(stopOnOne, { nJobs: 1, inline: false, launcher: local, heartbeat: 200, batchSize: 1 });
    try {
      const [first] = await pool.map([0]);
      const t0 = performance.now();
      const [lost, next] = await pool.map([1, 2]);
      const ms = performance.now() - t0;
      expect(lost).toBeInstanceOf(WorkerCrashedError);
      expect((lost as Error).cause).toBeInstanceOf(Error);
      expect(((lost as Error).cause as Error).message).toMatch(
        /worker 0 did not answer for \d+ ms \(heartbeat 200 ms\): its host or the network failed, or the worker process was stopped/,
      );
      // three beats missed (600 ms) and at most one more before the check: well before any time-out
      expect(ms).toBeGreaterThanOrEqual(600);
      expect(ms).toBeLessThan(10_000);
      expect(next).not.toBe(first);
      expect(alive(first as number)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it.runIf(available('netns'))(
    'a worker whose network is cut is given up after three heartbeats, well before TCP keep-alive would notice',
    async () => {
      // A host of this test's own: a network namespace on the services' bridge, its worker started
      // with `ip netns exec`; cutting its link leaves the worker running, unreachable.
      const ns = `mtl-cut${process.pid % 10_000}`;
      const link = `${ns}-br`;
      const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
      const address = `${services.netns?.hostAddress.replace(/\.\d+$/, '')}.250`;
      ip('netns', 'add', ns);
      try {
        ip('link', 'add', link, 'type', 'veth', 'peer', 'name', `${ns}-in`);
        ip('link', 'set', `${ns}-in`, 'netns', ns);
        ip('link', 'set', link, 'master', services.netns?.bridge as string);
        ip('link', 'set', link, 'up');
        ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', `${ns}-in`);
        ip('-n', ns, 'link', 'set', `${ns}-in`, 'up');
        const where = async (ms: number) => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          const os = process.getBuiltinModule('node:os') as typeof import('node:os');
          return Object.values(os.networkInterfaces())
            .flat()
            .map((i) => i?.address);
        };
        const pool = new Pool(where, {
          nJobs: 1,
          inline: false,
          launcher: command(['ip', 'netns', 'exec', ns]),
          listen: { host: services.netns?.hostAddress },
          heartbeat: 300,
          // The worker started in the crashed one's place cannot connect either: close() need not wait 10 s for it.
          closeTimeout: 1000,
        });
        try {
          const [addresses] = await pool.map([0]);
          expect(addresses).toContain(address);
          const pending = pool.map([60_000]);
          await new Promise((resolve) => setTimeout(resolve, 500));
          const t0 = performance.now();
          ip('link', 'set', link, 'down');
          const [lost] = await pending;
          const ms = performance.now() - t0;
          expect(lost).toBeInstanceOf(WorkerCrashedError);
          expect(((lost as Error).cause as Error).message).toMatch(
            /worker 0 did not answer for \d+ ms \(heartbeat 300 ms\)/,
          );
          // well before TCP keep-alive (10 s idle, then probes) would say anything
          expect(ms).toBeLessThan(8000);
        } finally {
          await pool.close();
        }
      } finally {
        for (const pid of String(execFileSync('ip', ['netns', 'pids', ns]))
          .split('\n')
          .filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {}
        }
        ip('netns', 'del', ns);
        try {
          ip('link', 'del', link);
        } catch {}
      }
    },
  );

  it('a worker busy in a synchronous task still answers: its watchdog thread does', async () => {
    const busy = (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return ms;
    };
    const out = await pqdm([1500, 1], busy, { nJobs: 1, inline: false, launcher: local, heartbeat: 50 });
    expect(out).toEqual([1500, 1]);
  });

  it('this process, too busy to read the answers for a while, does not give its workers up', async () => {
    const pool = new Pool((ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)), {
      nJobs: 1,
      inline: false,
      launcher: local,
      heartbeat: 50,
    });
    try {
      await pool.map([1]);
      const pending = pool.map([300, 1]);
      const end = Date.now() + 1500;
      while (Date.now() < end); // 30 heartbeats without a turn of this event loop
      expect(await pending).toEqual([300, 1]);
    } finally {
      await pool.close();
    }
  });
});
