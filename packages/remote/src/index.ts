import { availableParallelism } from 'node:os';
import type { PqdmOptions } from '@mtl/core';
import { defineBackend } from '@mtl/core/backend';
import { type RemoteOptions, remoteDefaultJobs, remoteOptionNames, remoteTransport } from './transport.js';

export * from '@mtl/core';
export { command } from './launchers/command.js';
export type { Launcher } from './launchers/launcher.js';
export { type SlurmOptions, slurm } from './launchers/slurm.js';
export { type SshOptions, ssh } from './launchers/ssh.js';
export type { ListenOptions, RemoteOptions } from './transport.js';

const remote = defineBackend<RemoteOptions>({
  name: 'remote',
  optionNames: remoteOptionNames,
  createTransport: remoteTransport,
  defaultJobs: (options) => remoteDefaultJobs(options) ?? availableParallelism(),
});

/** Options of `pqdm` and `new Pool` on remote workers: a map's, the pool's, and the remote options (`launcher` is required). */
export type RemotePqdmOptions = PqdmOptions<RemoteOptions>;

/**
 * Maps `workers` over `inputs` on workers that a launcher starts (Slurm job steps, ssh hosts, any
 * command), which connect back to this process; results stream back with a progress bar. nJobs
 * defaults to what the launcher offers (the allocation's tasks, the ssh slots); `nJobs: 1` runs in this thread.
 *
 * @example
 * import { pqdm, slurm } from '@mtl/remote';
 * // inside `sbatch -n 32 job.sh`: 32 workers, one job step each
 * const out = await pqdm(files, fromModule(import.meta.url, hashFile), { launcher: slurm(), listen: { host: '0.0.0.0' } });
 */
export const pqdm = remote.pqdm;

/**
 * A pool of remote workers that serves many maps: workers are started (and built, with their state) once.
 *
 * @example
 * import { Pool, delayedInit, ssh } from '@mtl/remote';
 * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), 'Model')('weights.bin'), {
 *   launcher: ssh({ hosts: ['gpu1:2', 'gpu2:2'] }),
 *   listen: { host: '10.0.0.1' },
 * });
 * const out = await pool.map(inputs);
 */
export class Pool<O = unknown> extends remote.Pool<O> {}
