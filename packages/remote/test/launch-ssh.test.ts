import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, pqdm, ssh, TaskTimeoutError, WorkerCrashedError } from '@mtl/remote';
import { describe, expect, it } from 'vitest';
import { alive } from './live-workers.js';
import { freePort } from './net-helpers.js';
import { available, services } from './services.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a worker runs, once `n` workers have each taken an item (the directory is shared by all hosts). */
const gathered = ({ dir, n }: { dir: string; n: number }) => {
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const os = process.getBuiltinModule('node:os') as typeof import('node:os');
  fs.writeFileSync(`${dir}/${process.pid}`, '');
  const until = Date.now() + 30_000;
  while (fs.readdirSync(dir).length < n && Date.now() < until)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  return { host: os.hostname(), pid: process.pid };
};

/** Where a worker runs: its host name, directory and pid. */
const whereAmI = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const os = process.getBuiltinModule('node:os') as typeof import('node:os');
  return { host: os.hostname(), cwd: process.cwd(), pid: process.pid };
};

describe.runIf(available('ssh'))('remote: ssh()', () => {
  const sshArgs = ['-F', services.ssh?.config ?? ''];

  it("a worker runs in this process's directory, which its host has (a shared file system)", async () => {
    const [where] = await pqdm([1], whereAmI, {
      nJobs: 1,
      inline: false,
      launcher: ssh({ hosts: ['mtl-a'], sshArgs }),
      exceptionBehaviour: 'immediate',
    });
    expect(where.cwd).toBe(process.cwd());
  });

  it('a worker busy in a synchronous item is gone from its host once the item times out, though killing ssh leaves it', async () => {
    const pids: number[] = [];
    const launcher = ssh({ hosts: ['mtl-a'], sshArgs });
    const pool = new Pool(
      (x: number) => {
        if (x === 0) for (;;);
        return process.pid;
      },
      { nJobs: 1, inline: false, launcher },
    );
    try {
      // The worker's pid first, then the item that never ends.
      pids.push((await pool.map([1]))[0] as number);
      const [timedOut] = await pool.map([0], { taskTimeout: 1000 });
      expect(timedOut).toBeInstanceOf(TaskTimeoutError);
      const until = Date.now() + 5000;
      while (alive(pids[0]) && Date.now() < until) await sleep(100);
      expect(alive(pids[0])).toBe(false);
      // and the map goes on, on a new worker
      const [next] = await pool.map([2]);
      expect(next).not.toBe(pids[0]);
    } finally {
      await pool.close();
    }
  });

  it.runIf(available('netns'))(
    'workers spread over hosts in other network namespaces, which dial the bridge',
    async () => {
      const hosts = services.netns?.hosts ?? [];
      const launcher = ssh({ hosts: hosts.map((h) => `${h.ssh}:2`), sshArgs });
      const dir = mkdtempSync(join(tmpdir(), 'mtl-spread-'));
      const out = await pqdm(
        Array.from({ length: 8 }, () => ({ dir, n: 4 })),
        gathered,
        {
          launcher,
          listen: { host: services.netns?.hostAddress },
          batchSize: 1,
          exceptionBehaviour: 'immediate',
        },
      );
      // nJobs is the slots: 2 on each host, and every worker took part
      expect(new Set(out.map((w) => w.pid)).size).toBe(4);
      expect(new Set(out.map((w) => w.host))).toEqual(new Set(hosts.map((h) => h.name)));
    },
  );

  it.runIf(available('netns'))(
    "docs/scale-out.md's tunnel: with `ssh -R port:127.0.0.1:port host`, a worker there dials its own loopback and reaches this one",
    async () => {
      const host = services.netns?.hosts[0] as { name: string; ssh: string; netns: string };
      const port = await freePort();
      const options = {
        nJobs: 1,
        inline: false,
        launcher: ssh({ hosts: [host.ssh], sshArgs }),
        listen: { port },
        exceptionBehaviour: 'immediate',
      } as const;
      const where = () => (process.getBuiltinModule('node:os') as typeof import('node:os')).hostname();

      // Without the tunnel the worker, in another network namespace, finds nothing on its loopback.
      const { cause } = await pqdm([1], where, options).then(
        () => ({ cause: undefined }),
        (error: unknown) => {
          expect(error).toBeInstanceOf(WorkerCrashedError);
          return { cause: (error as Error).cause as Error | undefined };
        },
      );
      expect(cause?.message).toContain(`cannot connect to the caller at 127.0.0.1:${port} (ECONNREFUSED)`);

      const forward = ['-N', '-o', 'ExitOnForwardFailure=yes', '-R', `${port}:127.0.0.1:${port}`];
      const tunnel = spawn('ssh', [...sshArgs, ...forward, host.ssh], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      tunnel.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      try {
        // The tunnel is up when the host's sshd listens on its loopback for it.
        const listening = () =>
          execFileSync('ip', ['netns', 'exec', host.netns, 'ss', '-ltnH', `sport = :${port}`], {
            encoding: 'utf8',
          }).trim();
        const until = Date.now() + 15_000;
        while (!listening() && tunnel.exitCode === null && Date.now() < until) await sleep(50);
        expect(listening(), `ssh -R did not set up the tunnel: ${stderr}`).not.toBe('');

        const out = await pqdm([1, 2, 3], where, options);
        expect(out).toEqual([host.name, host.name, host.name]);
      } finally {
        tunnel.kill();
      }
    },
  );
});
