import { execFileSync, spawnSync } from 'node:child_process';
import { services } from './services.js';

/**
 * A Slurm allocation of `tasks` tasks made for the tests (`salloc --no-shell`), and its variables
 * set in process.env as `salloc` sets them for its command, so that srun makes steps inside it here
 * and in the scripts the tests start. `release()` cancels it and removes the variables.
 */
export function allocate(tasks: number): { jobId: string; release(): void } {
  const env = { ...process.env, ...services.slurm?.env };
  const { stderr, status } = spawnSync('salloc', ['--no-shell', '-n', String(tasks), '-J', 'mtl-test', '-t', '30'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const jobId = /Granted job allocation (\d+)/.exec(stderr)?.[1];
  if (status !== 0 || !jobId) throw new Error(`salloc failed (${status}): ${stderr}`);
  const added = { ...services.slurm?.env, SLURM_JOB_ID: jobId, SLURM_NTASKS: String(tasks), SLURM_JOB_NUM_NODES: '1' };
  Object.assign(process.env, added);
  return {
    jobId,
    release() {
      for (const key of Object.keys(added)) delete process.env[key];
      execFileSync('scancel', [jobId], { env, stdio: 'ignore' });
    },
  };
}
