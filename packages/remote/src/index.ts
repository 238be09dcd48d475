import type { PqdmOptions } from '@mtl/core';
import { defineBackend, type PoolOf } from '@mtl/core/backend';
import { type RemoteOptions, remoteDefaultJobs, remoteOptionNames, remoteTransport } from './transport.js';

export * from '@mtl/core';
export { command } from './launchers/command.js';
export type { Launcher } from './launchers/launcher.js';
export { type SlurmOptions, slurm } from './launchers/slurm.js';
export { type SshOptions, ssh } from './launchers/ssh.js';
export type { ListenOptions, RemoteOptions } from './transport.js';

/** Options of `pqdm` and `new Pool` on remote workers: a map's, the pool's, and the remote options (`launcher` is required). */
export type RemotePqdmOptions = PqdmOptions<RemoteOptions>;

/**
 * mtl on workers that a launcher starts (Slurm job steps, ssh hosts, any command) and that connect
 * back to this process. nJobs defaults to what the launcher offers: the allocation's tasks, the ssh slots.
 */
const remote = defineBackend<RemoteOptions>({
  name: 'remote',
  optionNames: remoteOptionNames,
  createTransport: remoteTransport,
  defaultJobs: remoteDefaultJobs,
});

export const pqdm = remote.pqdm;
export const Pool = remote.Pool;
/** A pool of remote workers: `Pool<I, O>` takes items `I` and returns `O`. */
export type Pool<I = unknown, O = unknown> = PoolOf<I, O, RemoteOptions>;
