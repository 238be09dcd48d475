import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, pqdm, slurm } from '@mtl/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate } from './allocation.js';
import { available } from './services.js';

/** The worker's job and step, once `n` workers have each taken an item. */
const stepOf = ({ dir, n }: { dir: string; n: number }) => {
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  fs.writeFileSync(`${dir}/${process.pid}`, '');
  const until = Date.now() + 30_000;
  while (fs.readdirSync(dir).length < n && Date.now() < until)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  return { job: process.env.SLURM_JOB_ID, step: process.env.SLURM_STEP_ID, tasks: process.env.SLURM_STEP_NUM_TASKS };
};

describe.runIf(available('slurm'))('remote: slurm()', () => {
  let allocation: ReturnType<typeof allocate>;
  beforeAll(() => {
    allocation = allocate(3);
  });
  afterAll(() => allocation?.release());

  it("nJobs is the allocation's task count, and each worker is a job step of one task in it", async () => {
    const pool = new Pool(stepOf, { launcher: slurm() });
    expect(pool.nJobs).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), 'mtl-steps-'));
    const out = await pool.map(
      Array.from({ length: 6 }, () => ({ dir, n: 3 })),
      { batchSize: 1, exceptionBehaviour: 'immediate' },
    );
    await pool.close();
    expect(new Set(out.map((w) => w.job))).toEqual(new Set([allocation.jobId]));
    expect(new Set(out.map((w) => w.step)).size).toBe(3);
    expect(out.every((w) => w.tasks === '1')).toBe(true);
  });

  it('srunArgs reach srun: a step that asks for more than the allocation has fails the map, with what srun said', async () => {
    const error = await pqdm([1], (x: number) => x, {
      nJobs: 1,
      inline: false,
      launcher: slurm({ srunArgs: ['--cpus-per-task=64'] }),
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect((error?.cause as Error | undefined)?.message).toMatch(
      /srun .*--cpus-per-task=64[\s\S]*it wrote:\n.*srun: error/,
    );
  });
});
