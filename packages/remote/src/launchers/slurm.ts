import { checkOption } from '@mtl/core/backend';
import { isArgv, isObject, type Launcher, makeLauncher } from './launcher.js';

/** Options of `slurm()`. */
export interface SlurmOptions {
  /** Arguments for each worker's srun: `['--cpus-per-task=4']`, `['--mem=8G']`, `['--gres=gpu:1']`. */
  srunArgs?: string[];
  /**
   * Outside an allocation, start each worker as a job of its own (`srun -n1`, queued on its own)
   * instead of refusing. Inside one this changes nothing.
   * @default false
   */
  ownJobs?: boolean;
}

const count = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined;

/** Sums one of Slurm's per-node lists, such as `8(x2),4` (20). */
export function sumPerNode(list: string | undefined): number | undefined {
  if (!list) return undefined;
  let sum = 0;
  for (const part of list.split(',')) {
    const match = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim());
    if (!match) return undefined;
    sum += Number(match[1]) * Number(match[2] ?? 1);
  }
  return sum > 0 ? sum : undefined;
}

/**
 * The number of tasks of the current allocation, or undefined outside one. `SLURM_NTASKS` when set
 * (not inside a job step, where it is the step's count); else the larger of the tasks and the CPUs
 * (over `--cpus-per-task`) per node, summed: an allocation made with `-N` alone sets no task count,
 * and each worker is a step of one task.
 */
export function allocationTasks(env: NodeJS.ProcessEnv): number | undefined {
  if (env.SLURM_JOB_ID === undefined) return undefined;
  const inStep = env.SLURM_STEP_ID !== undefined;
  const tasks = inStep ? undefined : (count(env.SLURM_NTASKS) ?? count(env.SLURM_NPROCS));
  if (tasks !== undefined) return tasks;
  const perNode = inStep ? undefined : sumPerNode(env.SLURM_TASKS_PER_NODE);
  const cpus = sumPerNode(env.SLURM_JOB_CPUS_PER_NODE);
  const byCpus = cpus === undefined ? undefined : Math.floor(cpus / (count(env.SLURM_CPUS_PER_TASK) ?? 1));
  const best = Math.max(perNode ?? 0, byCpus ?? 0);
  return best > 0 ? best : undefined;
}

/**
 * Starts each worker as a Slurm job step of one task inside the current allocation (an `sbatch`
 * script, or `salloc`): `srun -N1 -n1 --exclusive [srunArgs] <worker command>`. nJobs defaults to the
 * allocation's task count. A worker that ends is a step that ends: killing it kills only its srun,
 * which cancels the step. Workers run the same Node as this process (`process.execPath`; option
 * `node` for another path), and must reach the address the pool listens on (`listen`).
 *
 * @example
 * // inside `sbatch -n 64 job.sh`, where job.sh runs `node main.js`
 * import { pqdm, slurm } from '@mtl/remote';
 * const out = await pqdm(inputs, work, { launcher: slurm(), listen: { host: '0.0.0.0', advertise: os.hostname() } });
 */
export function slurm(options: SlurmOptions = {}): Launcher {
  checkOption('slurm(options)', options, isObject, 'an object');
  const { srunArgs = [], ownJobs = false } = options;
  checkOption('slurm({ srunArgs })', srunArgs, isArgv, 'an array of strings');
  checkOption('slurm({ ownJobs })', ownJobs, (v) => typeof v === 'boolean', 'a boolean');
  const inAllocation = () => process.env.SLURM_JOB_ID !== undefined;
  return makeLauncher({
    name: 'slurm',
    // Inside an allocation a step without --exclusive takes all its CPUs, and the next steps wait;
    // outside one, --exclusive would ask for a whole node per worker.
    argv: (_slot, worker) => [
      'srun',
      '-N1',
      '-n1',
      ...(inAllocation() ? ['--exclusive'] : []),
      '--job-name=mtl-worker',
      ...srunArgs,
      ...worker,
    ],
    defaultJobs: () => allocationTasks(process.env),
    check({ loopback }) {
      const nodes = count(process.env.SLURM_JOB_NUM_NODES ?? process.env.SLURM_NNODES) ?? 1;
      if (inAllocation() && nodes > 1 && loopback) {
        throw new Error(
          `slurm(): the allocation spans ${nodes} nodes, and workers on the other nodes cannot reach this one at a loopback address. Listen on this node's address on the cluster network: listen: { host: '0.0.0.0', advertise: os.hostname() }, or its IP address.`,
        );
      }
      if (inAllocation() || ownJobs) return;
      throw new Error(
        'slurm(): SLURM_JOB_ID is not set, so this process runs outside a Slurm allocation. Run it inside one, where each worker becomes a job step: `salloc -n 16 node main.js`, or `node main.js` in a script given to `sbatch -n 16`. To queue each worker as a job of its own instead, pass slurm({ ownJobs: true }).',
      );
    },
  });
}
