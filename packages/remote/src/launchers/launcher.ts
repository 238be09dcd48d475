/** What a launcher does for the transport; made by `slurm()`, `ssh()` and `command()`. */
export interface LauncherPlan {
  /** `'slurm'`, `'ssh'`, `'command'`: names the launcher in messages. */
  readonly name: string;
  /**
   * The command run on this machine that starts the worker for a slot, given the worker's own
   * command line (`node … mtl-worker.cjs host port slot launch`), as it is to run on the worker's host.
   */
  argv(slot: number, worker: readonly string[]): string[];
  /** The number of workers when neither nJobs nor an array of specs says; undefined: the core's default. */
  defaultJobs(): number | undefined;
  /**
   * Checks, when a pool starts, that the launcher can run here and reach the pool; throws a message
   * that says what to do. `loopback`: workers would dial a loopback address.
   */
  check(where: { loopback: boolean }): void;
}

const brand = Symbol.for('mtl.remote.launcher');

/**
 * How `@mtl/remote` starts its workers: `slurm()`, `ssh({ hosts })` or `command(argv)`. Pass it as
 * the `launcher` option.
 *
 * @example
 * import { pqdm, ssh } from '@mtl/remote';
 * await pqdm(inputs, work, { launcher: ssh({ hosts: ['node1:8', 'node2:8'] }), listen: { host: '10.0.0.1' } });
 */
export interface Launcher {
  readonly [brand]: LauncherPlan;
}

export const makeLauncher = (plan: LauncherPlan): Launcher => ({ [brand]: plan });

/** The launchers' option checks: an options object, and an argv (`srunArgs`, `sshArgs`, a command). */
export const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
export const isArgv = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((part) => typeof part === 'string');

/** The plan of a launcher made by this package, or undefined for anything else. */
export const planOf = (value: unknown): LauncherPlan | undefined =>
  isObject(value) ? (value as Partial<Launcher>)[brand] : undefined;
