import { hostname } from 'node:os';
import {
  checkEnvAndExecArgv,
  checkMilliseconds,
  checkOption,
  inheritedExecArgv,
  type Transport,
  workerEntry,
} from '@mtl/core/backend';
import { type Launcher, type LauncherPlan, planOf } from './launchers/launcher.js';
import { type ListenAddress, Listener } from './listener.js';
import { RemoteWorker } from './remote-worker.js';
import { wireProbe } from './wire.js';

/** Where the pool listens for its workers. */
export interface ListenOptions {
  /**
   * The address to listen on. Workers on other hosts need one they can reach: the caller's address
   * on the cluster's private network, or `'0.0.0.0'` for all. The wire is not encrypted.
   * @default '127.0.0.1'
   */
  host?: string | undefined;
  /** The port; 0 (the default) lets the system choose a free one. */
  port?: number | undefined;
  /** The address workers dial, when it is not `host`: default `host`, or `os.hostname()` when `host` is `'0.0.0.0'` or `'::'`. */
  advertise?: string | undefined;
}

/** Options only the remote backend has. */
export interface RemoteOptions {
  /** How workers are started: `slurm()`, `ssh({ hosts })` or `command(argv)`. Required. */
  launcher: Launcher;
  /** Where the pool listens for its workers to connect back (loopback by default). */
  listen?: ListenOptions | undefined;
  /**
   * The Node executable on the workers' hosts. Default: `process.execPath`, this process's own,
   * absolute, so that a node found through nvm or environment modules works where a non-interactive
   * shell would not find it.
   */
  node?: string | undefined;
  /** Node flags for the workers (default: the parent's `process.execArgv`). */
  execArgv?: readonly string[] | undefined;
  /**
   * How often, in ms, this process checks on each worker over its watchdog's connection. A worker not
   * heard from for three of these (its host down, the network cut) is counted as crashed and its
   * launcher ended, as ssh's `ServerAliveInterval` does; a busy worker still answers.
   * @default 10000
   */
  heartbeat?: number | undefined;
}

export const remoteOptionNames = ['launcher', 'listen', 'node', 'execArgv', 'heartbeat'] as const;

const DEFAULT_HEARTBEAT_MS = 10_000;

const entry = new URL('./mtl-worker.cjs', import.meta.url);
const wildcard = new Set(['0.0.0.0', '::', '']);
const loopback = /^(127\.|::1$|localhost$)/;

/** The launcher's plan, or a TypeError that says what to pass. */
function launcherPlan(launcher: unknown): LauncherPlan {
  const plan = planOf(launcher);
  if (plan) return plan;
  throw new TypeError(
    `Expected \`launcher\` to be slurm(), ssh({ hosts }) or command(argv) from @mtl/remote, got ${launcher === undefined ? 'nothing: @mtl/remote needs to be told how to start its workers' : typeof launcher}`,
  );
}

function resolveListen(listen: ListenOptions = {}): ListenAddress {
  checkOption('listen', listen, (v) => typeof v === 'object' && v !== null, 'an object { host, port, advertise }');
  const { host = '127.0.0.1', port = 0, advertise } = listen;
  checkOption('listen.host', host, (v) => typeof v === 'string', 'an address to listen on');
  checkOption(
    'listen.port',
    port,
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 65536,
    'a port number (0 for any free one)',
  );
  checkOption('listen.advertise', advertise, (v) => typeof v === 'string' && v !== '', 'an address workers can dial');
  return { host, port, advertise: advertise ?? (wildcard.has(host) ? hostname() : host) };
}

/** Validates the remote options and returns the transport that starts workers through the launcher. */
export function remoteTransport(options: RemoteOptions): Transport {
  const plan = launcherPlan(options.launcher);
  const address = resolveListen(options.listen);
  checkOption('node', options.node, (v) => typeof v === 'string' && v !== '', 'the path of node on the workers’ hosts');
  checkEnvAndExecArgv(undefined, options.execArgv);
  const heartbeat = checkMilliseconds('heartbeat', options.heartbeat ?? DEFAULT_HEARTBEAT_MS);
  plan.check({ loopback: loopback.test(address.advertise) });
  const file = workerEntry(entry, '@mtl/remote');
  const node = options.node ?? process.execPath;
  const execArgv = options.execArgv ?? inheritedExecArgv();
  const listener = new Listener(address);
  let launches = 0;
  return {
    name: 'remote',
    canSend: wireProbe,
    start: (slot, events) =>
      new RemoteWorker(slot, ++launches, events, {
        listener,
        plan,
        heartbeat,
        worker: (port, slot, launch) => [
          node,
          ...execArgv,
          file,
          address.advertise,
          String(port),
          String(slot),
          String(launch),
        ],
      }),
    close: () => listener.close(),
  };
}

/** nJobs when not given: what the launcher says (the allocation's tasks, the ssh slots). */
export function remoteDefaultJobs(options: Partial<RemoteOptions>): number | undefined {
  return planOf(options.launcher)?.defaultJobs();
}
