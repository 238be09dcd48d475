import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate } from './allocation.js';
import { processes, workerFile } from './live-workers.js';
import { freePort } from './net-helpers.js';
import { available, services } from './services.js';

const entry = new URL('../dist/index.js', import.meta.url).href;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Live processes (a zombie has exited) whose command line names the worker file and the port: the worker, and its sh, ssh or srun. */
function processesOf(port: number): string[] {
  return processes()
    .filter(({ argv }) => argv.some((arg) => arg.includes(workerFile)) && argv.includes(String(port)))
    .map(({ pid, argv }) => `${pid} ${argv.join(' ')}`);
}

/**
 * Starts a caller whose two workers are busy in an endless synchronous loop, kills it with SIGKILL once
 * both run, and returns what is left of its workers (and their launchers) after `ms`.
 */
async function killTheCaller(launcher: string, listen: object, ms = 5000) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mtl-orphans-'));
  const body = `
    import * as m from ${JSON.stringify(entry)};
    const busy = (dir) => { process.getBuiltinModule('node:fs').writeFileSync(dir + '/' + process.pid, ''); for (;;); };
    m.pqdm([${JSON.stringify(dir)}, ${JSON.stringify(dir)}], busy, { nJobs: 2, batchSize: 1, launcher: ${launcher}, listen: ${JSON.stringify({ ...listen, port })} }).catch(() => {});`;
  const caller = spawn(process.execPath, ['--input-type=module', '-e', body], { stdio: 'inherit' });
  const until = Date.now() + 30_000;
  while (readdirSync(dir).length < 2 && Date.now() < until) await sleep(50);
  const running = processesOf(port);
  caller.kill('SIGKILL');
  const killedAt = Date.now();
  let left = processesOf(port);
  while (left.length > 0 && Date.now() - killedAt < ms) {
    await sleep(100);
    left = processesOf(port);
  }
  return { busy: readdirSync(dir).length, running, left, ms: Date.now() - killedAt };
}

describe('remote: killing the caller with SIGKILL leaves no worker running after 5 s, though both were busy', () => {
  it('command: workers here', async () => {
    const { busy, running, left } = await killTheCaller('m.command([])', {});
    expect(busy).toBe(2);
    expect(running.length).toBeGreaterThanOrEqual(2);
    expect(left).toEqual([]);
  });

  describe.runIf(available('ssh'))('ssh', () => {
    const sshArgs = ['-F', services.ssh?.config];
    it('over a real ssh, which leaves a remote command running when it is killed', async () => {
      const { busy, running, left } = await killTheCaller(
        `m.ssh({ hosts: ['mtl-a', 'mtl-b'], sshArgs: ${JSON.stringify(sshArgs)} })`,
        {},
      );
      expect(busy).toBe(2);
      // the workers, their shells and the ssh clients
      expect(running.length).toBeGreaterThanOrEqual(4);
      expect(left).toEqual([]);
    });

    it.runIf(available('netns'))('on hosts in other network namespaces, which dial the bridge', async () => {
      const hosts = services.netns?.hosts.map((h) => h.ssh);
      const { busy, left } = await killTheCaller(
        `m.ssh({ hosts: ${JSON.stringify(hosts)}, sshArgs: ${JSON.stringify(sshArgs)} })`,
        {
          host: services.netns?.hostAddress,
        },
      );
      expect(busy).toBe(2);
      expect(left).toEqual([]);
    });
  });

  describe.runIf(available('slurm'))('slurm', () => {
    let allocation: ReturnType<typeof allocate>;
    beforeAll(() => {
      allocation = allocate(4);
    });
    afterAll(() => allocation?.release());

    it('as job steps of an allocation', async () => {
      const { busy, running, left } = await killTheCaller('m.slurm()', {});
      expect(busy).toBe(2);
      expect(running.length).toBeGreaterThanOrEqual(2);
      expect(left).toEqual([]);
    });
  });
});
