import { execFileSync } from 'node:child_process';
import { command, slurm, ssh } from '@mtl/remote';
import { afterEach, describe, expect, it } from 'vitest';
import { planOf } from '../src/launchers/launcher.js';
import { shellQuote } from '../src/launchers/quote.js';
import { allocationTasks, sumPerNode } from '../src/launchers/slurm.js';
import { parseHost, spread } from '../src/launchers/ssh.js';

const worker = ['/usr/bin/node', '/opt/mtl/mtl-worker.cjs', '10.0.0.1', '4567', '0', '1'];
const plan = (launcher: unknown) => {
  const found = planOf(launcher);
  if (!found) throw new Error('not a launcher');
  return found;
};

describe('ssh()', () => {
  it('reads hosts with a user and a slot count, and spreads workers over them in turn', () => {
    expect(parseHost('node1')).toEqual({ target: 'node1', slots: 1 });
    expect(parseHost('alice@node2:8')).toEqual({ target: 'alice@node2', slots: 8 });
    expect(spread([parseHost('a:3'), parseHost('b'), parseHost('c:2')])).toEqual(['a', 'b', 'c', 'a', 'c', 'a']);
    expect(plan(ssh({ hosts: ['a:3', 'b', 'c:2'] })).defaultJobs()).toBe(6);
  });

  it('refuses hosts it cannot read, naming them', () => {
    for (const bad of ['', 'node:0', '-oProxyCommand=x', 'two words', 42]) {
      expect(() => ssh({ hosts: [bad as string] })).toThrow(/ssh\(\{ hosts \}\).*'node1', 'user@node2:8'/);
    }
    expect(() => ssh({ hosts: [] })).toThrow(/non-empty array/);
    expect(() => ssh(undefined as never)).toThrow(/an object with `hosts`/);
    expect(() => ssh({ hosts: ['a'], sshArgs: '-v' as never })).toThrow(/sshArgs/);
  });

  it('runs ssh with your arguments first, in batch mode, and the worker under a POSIX shell', () => {
    const argv = plan(ssh({ hosts: ['a', 'bob@b:2'], sshArgs: ['-F', 'my config'] })).argv(2, worker);
    expect(argv.slice(0, 6)).toEqual(['ssh', '-F', 'my config', '-T', '-o', 'BatchMode=yes']);
    expect(argv.slice(-2, -1)).toEqual(['bob@b']);
    expect(argv.at(-1)).toBe(
      `exec sh -c 'cd "$1" 2>/dev/null; shift; "$@"; exit $?' mtl-worker ${shellQuote(process.cwd())} ${worker.join(' ')}`,
    );
  });

  it('quotes each word so that a POSIX shell reads it back as it was', () => {
    const words = ['plain', 'with space', "it's", '$HOME', '"q"', 'a\\b', '*', ''];
    const echoed = execFileSync('sh', ['-c', `printf '%s\\n' ${words.map(shellQuote).join(' ')}`], {
      encoding: 'utf8',
    });
    expect(echoed.split('\n').slice(0, -1)).toEqual(words);
  });
});

describe('slurm()', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('SLURM_')) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("counts the allocation's tasks as the services README measured them", () => {
    const job = { SLURM_JOB_ID: '7' };
    // salloc -n 8
    expect(
      allocationTasks({ ...job, SLURM_NTASKS: '8', SLURM_JOB_CPUS_PER_NODE: '8', SLURM_TASKS_PER_NODE: '8' }),
    ).toBe(8);
    // salloc -N1: no task count; one CPU
    expect(allocationTasks({ ...job, SLURM_JOB_CPUS_PER_NODE: '1', SLURM_TASKS_PER_NODE: '1' })).toBe(1);
    // salloc -N2 --exclusive on 16-CPU nodes: the CPUs
    expect(allocationTasks({ ...job, SLURM_JOB_CPUS_PER_NODE: '16(x2)', SLURM_TASKS_PER_NODE: '1(x2)' })).toBe(32);
    // salloc -n 4 -c 2
    expect(allocationTasks({ ...job, SLURM_NTASKS: '4', SLURM_JOB_CPUS_PER_NODE: '8', SLURM_CPUS_PER_TASK: '2' })).toBe(
      4,
    );
    // inside a step of 2 tasks in salloc -n 8: the step's count is not the allocation's
    expect(
      allocationTasks({
        ...job,
        SLURM_STEP_ID: '0',
        SLURM_NTASKS: '2',
        SLURM_TASKS_PER_NODE: '2',
        SLURM_JOB_CPUS_PER_NODE: '8',
      }),
    ).toBe(8);
    expect(allocationTasks({ SLURM_NTASKS: '8' })).toBeUndefined();
    expect(sumPerNode('8(x2),4')).toBe(20);
    expect(sumPerNode('garbage')).toBeUndefined();
  });

  it('runs each worker as an exclusive step of one task inside an allocation, and without --exclusive outside', () => {
    process.env.SLURM_JOB_ID = '7';
    process.env.SLURM_NTASKS = '12';
    const inside = plan(slurm({ srunArgs: ['--mem=1G'] }));
    expect(inside.argv(0, worker)).toEqual([
      'srun',
      '-N1',
      '-n1',
      '--exclusive',
      '--job-name=mtl-worker',
      '--mem=1G',
      ...worker,
    ]);
    expect(inside.defaultJobs()).toBe(12);
    delete process.env.SLURM_JOB_ID;
    expect(plan(slurm({ ownJobs: true })).argv(0, worker)).not.toContain('--exclusive');
  });

  it('outside an allocation says what to do, unless asked for jobs of their own', () => {
    delete process.env.SLURM_JOB_ID;
    expect(() => plan(slurm()).check({ loopback: true })).toThrow(/SLURM_JOB_ID is not set.*salloc -n 16.*ownJobs/);
    expect(() => plan(slurm({ ownJobs: true })).check({ loopback: true })).not.toThrow();
  });

  it('refuses a loopback address when the allocation spans several nodes', () => {
    Object.assign(process.env, { SLURM_JOB_ID: '7', SLURM_JOB_NUM_NODES: '3' });
    expect(() => plan(slurm()).check({ loopback: true })).toThrow(/spans 3 nodes.*listen: \{ host: '0\.0\.0\.0'/);
    expect(() => plan(slurm()).check({ loopback: false })).not.toThrow();
  });

  it('checks its options', () => {
    expect(() => slurm({ srunArgs: ['-c', 2 as never] })).toThrow(/srunArgs.*array of strings/);
    expect(() => slurm({ ownJobs: 'yes' as never })).toThrow(/ownJobs.*boolean/);
  });
});

describe('command()', () => {
  it('puts its argv, or the one it makes for the slot, in front of the worker', () => {
    expect(plan(command([])).argv(0, worker)).toEqual(worker);
    expect(plan(command(['nice', '-n', '5'])).argv(0, worker)).toEqual(['nice', '-n', '5', ...worker]);
    const perSlot = plan(command((slot) => ['docker', 'exec', '-i', `box${slot}`]));
    expect(perSlot.argv(3, worker).slice(0, 4)).toEqual(['docker', 'exec', '-i', 'box3']);
  });

  it('refuses what is not an argv', () => {
    expect(() => command(undefined as never)).toThrow(/command\(argv\).*\[\] for none/);
    expect(() => command('nice' as never)).toThrow(/command\(argv\)/);
    expect(() => plan(command(() => 'nice' as never)).argv(1, worker)).toThrow(/command\(argv\) for slot 1/);
  });
});
