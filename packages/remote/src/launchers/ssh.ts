import { checkOption } from '@mtl/core/backend';
import { isArgv, isObject, type Launcher, makeLauncher } from './launcher.js';
import { shellQuote } from './quote.js';

/** Options of `ssh()`. */
export interface SshOptions {
  /**
   * The hosts, as ssh names them (`'node1'`, `'user@node2'`, an alias of your ssh config), each with
   * `:n` for n workers on it (`'node2:8'`; 1 when left out). Workers are spread over them in turn;
   * nJobs defaults to the sum of the slots.
   */
  hosts: string[];
  /** Arguments for ssh, put before the host: `['-F', 'ssh_config']`, `['-i', key]`, `['-o', 'ControlMaster=auto']`. */
  sshArgs?: string[];
}

interface Host {
  target: string;
  slots: number;
}

const hostPattern = /^(?<target>[^\s:@-][^\s]*?)(?::(?<slots>\d+))?$/;

/** `'user@node2:8'` → `{ target: 'user@node2', slots: 8 }`. */
export function parseHost(spec: unknown): Host {
  const match = typeof spec === 'string' ? hostPattern.exec(spec) : null;
  const slots = Number(match?.groups?.slots ?? 1);
  if (!match?.groups || !Number.isInteger(slots) || slots < 1) {
    throw new TypeError(
      `Expected each of ssh({ hosts }) to be a host as ssh names it, with :n for n workers ('node1', 'user@node2:8'), got ${JSON.stringify(spec)}`,
    );
  }
  return { target: match.groups.target, slots };
}

/** The host of each slot: the hosts in turn, each as many times as its slots, then around again. */
export function spread(hosts: readonly Host[]): string[] {
  const order: string[] = [];
  const left = hosts.map((host) => host.slots);
  for (let placed = true; placed; ) {
    placed = false;
    hosts.forEach((host, i) => {
      if (left[i] === 0) return;
      left[i]--;
      order.push(host.target);
      placed = true;
    });
  }
  return order;
}

/**
 * Starts each worker over ssh on one of `hosts`: `ssh [sshArgs] host <worker command>`. ssh must log
 * in without a question (keys or an agent: it runs in batch mode), the worker's host must reach the
 * address the pool listens on (`listen`), and this package must be at the same path there (a shared
 * file system or the same image). Workers run in this process's directory when their host has it,
 * else in the login directory. A worker killed by a signal shows as its signal, through a shell that
 * reports it as 128 + n.
 *
 * @example
 * import { pqdm, ssh } from '@mtl/remote';
 * const launcher = ssh({ hosts: ['node1:4', 'alice@node2:8'] });
 * const out = await pqdm(inputs, work, { launcher, listen: { host: '10.0.0.1' } });
 */
export function ssh(options: SshOptions): Launcher {
  checkOption('ssh(options)', options ?? null, isObject, 'an object with `hosts`');
  const { hosts, sshArgs = [] } = options;
  checkOption(
    'ssh({ hosts })',
    hosts ?? null,
    (v) => Array.isArray(v) && v.length > 0,
    "a non-empty array of hosts ('node1', 'user@node2:8')",
  );
  checkOption('ssh({ sshArgs })', sshArgs, isArgv, 'an array of strings');
  const order = spread(hosts.map(parseHost));
  return makeLauncher({
    name: 'ssh',
    argv: (slot, worker) => [
      'ssh',
      // Yours first: for -o, ssh keeps the first value it is given.
      ...sshArgs,
      '-T',
      '-o',
      'BatchMode=yes',
      // A host that stops answering ends the ssh, and so the worker is counted as crashed, in about 30 s.
      '-o',
      'ServerAliveInterval=10',
      '-o',
      'ServerAliveCountMax=3',
      order[slot % order.length],
      // A POSIX shell in between, whatever the remote user's login shell is: it moves to this process's
      // directory when the host has it (a shared file system: relative paths and flags such as
      // `--import tsx` then mean what they mean here), and reports a worker killed by signal n as
      // 128 + n (ssh alone would say 255).
      `exec sh -c 'cd "$1" 2>/dev/null; shift; "$@"; exit $?' mtl-worker ${[process.cwd(), ...worker].map(shellQuote).join(' ')}`,
    ],
    defaultJobs: () => order.length,
    check: () => {},
  });
}
