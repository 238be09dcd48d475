import { checkOption } from '@mtl/core/backend';
import { isArgv, type Launcher, makeLauncher } from './launcher.js';

/**
 * Starts each worker through a command of yours, put in front of the worker's command line (taskproc's
 * "prefix commands"): `[]` starts it here, `['nice', '-n', '10']` here at low priority,
 * `['docker', 'exec', '-i', 'box']` in a container. The command must pass its stdin on to the worker
 * (`docker exec -i`, `kubectl exec -i`): the pool's token travels there. A function gives each slot
 * its own command. nJobs defaults to `os.availableParallelism()`.
 *
 * @example
 * import { command, pqdm } from '@mtl/remote';
 * const out = await pqdm(inputs, work, { launcher: command((slot) => ['docker', 'exec', '-i', `box${slot % 2}`]) });
 */
export function command(prefix: readonly string[] | ((slot: number) => readonly string[])): Launcher {
  if (typeof prefix !== 'function') {
    // `[]` for no command: an argument left out is a mistake, not a default.
    checkOption(
      'command(argv)',
      prefix ?? null,
      isArgv,
      'an array of strings ([] for none) or a function (slot) => argv',
    );
  }
  return makeLauncher({
    name: 'command',
    argv(slot, worker) {
      const before = typeof prefix === 'function' ? prefix(slot) : prefix;
      checkOption(`command(argv) for slot ${slot}`, before, isArgv, 'an array of strings');
      return [...before, ...worker];
    },
    defaultJobs: () => undefined,
    check: () => {},
  });
}
