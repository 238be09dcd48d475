import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import type { ToWorker, WorkerEvents, WorkerExit, WorkerHandle } from '@mtl/core/backend';
import type { LauncherPlan } from './launchers/launcher.js';
import type { Claimant, Listener } from './listener.js';
import { type Channel, FrameReader, frame, KEEPALIVE_MS, MESSAGES } from './wire.js';

/** After the worker's connection closes, how long its launcher has to exit (and say how) before it is killed. */
const LAUNCHER_GRACE_MS = 5_000;
/** After the launcher exits, how long the worker's last bytes have to arrive before its connection is closed. */
const DRAIN_MS = 2_000;
/** What is kept of the launcher's stderr for the error of a worker that did not start. */
const TAIL_CHARS = 2_000;

/** Node's signal names by number, to turn a launcher's exit code 128 + n back into the signal. */
const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** How one worker is started: the pool's listener, the launcher, and the worker's command line on its host. */
export interface Launch {
  listener: Listener;
  plan: LauncherPlan;
  /** `node … mtl-worker.cjs host port slot launch`, once the port is known. */
  worker(port: number, slot: number, launch: number): string[];
  /** The ms between two checks on the worker; three without an answer and it is lost. */
  heartbeat: number;
}

/** Heartbeats missed before a worker is counted as lost. */
const MISSED_BEATS = 3;

/**
 * One worker, as the caller sees it: the local launcher process (srun, ssh, a command) and the two
 * connections the worker makes back, one for messages and one its watchdog holds. It has exited once
 * the launcher has exited and the message connection has closed: then its last replies have arrived
 * and its exit code is known.
 */
export class RemoteWorker implements WorkerHandle, Claimant {
  #child: ChildProcess | undefined;
  #argv: string[] = [];
  /** The launcher is more than the worker itself: it reports a signal as 128 + n. */
  #prefixed = false;
  #messages: Socket | undefined;
  #watchdog: Socket | undefined;
  /** Frames sent before the worker connected; undefined once they are written. */
  #queue: Buffer[] | undefined = [];
  #launcherExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #launcherEnded = false;
  #spawnError: Error | undefined;
  #corrupt: Error | undefined;
  #connectionLost = false;
  /** Set when the worker stopped answering its heartbeats: how long it had been silent. */
  #silentMs: number | undefined;
  /** When the worker was last heard from on its watchdog's connection (or connected). */
  #heard = 0;
  #killed = false;
  #reported = false;
  #keep = true;
  #tail = '';
  #port = 0;
  #timers: NodeJS.Timeout[] = [];
  #exited: Promise<void>;
  #resolveExited!: () => void;

  constructor(
    readonly slot: number,
    readonly launch: number,
    readonly events: WorkerEvents,
    readonly how: Launch,
  ) {
    this.#exited = new Promise((resolve) => {
      this.#resolveExited = resolve;
    });
    how.listener.expect(launch, this);
    how.listener.port().then(
      (port) => this.#spawn(port),
      (error: Error) => {
        const { host, port } = how.listener.address;
        this.#spawnError = new Error(`cannot listen on ${host}:${port} for workers: ${error.message}`, {
          cause: error,
        });
        this.#launcherEnded = true;
        this.#settle();
      },
    );
  }

  #spawn(port: number): void {
    if (this.#killed) return;
    this.#port = port;
    const { plan, listener } = this.how;
    const worker = this.how.worker(port, this.slot, this.launch);
    try {
      this.#argv = plan.argv(this.slot, worker);
    } catch (error) {
      this.#spawnError = error as Error;
      this.#launcherEnded = true;
      this.#settle();
      return;
    }
    this.#prefixed = this.#argv.length > worker.length;
    const child = spawn(this.#argv[0], this.#argv.slice(1), { stdio: ['pipe', 'inherit', 'pipe'] });
    this.#child = child;
    // The token goes on stdin, where no other user of the worker's host can read it (argv is public).
    child.stdin?.on('error', () => {});
    child.stdin?.end(`${listener.token.toString('hex')}\n`);
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (!this.#messages) this.#tail = (this.#tail + chunk.toString()).slice(-TAIL_CHARS);
    });
    child.once('error', (error) => {
      this.#spawnError = error;
    });
    child.once('exit', (code, signal) => {
      this.#launcherExit = { code, signal };
      // 'close' follows once stderr has ended, unless something the launcher started still holds it.
      this.#timer(() => this.#launcherClosed(code, signal), DRAIN_MS);
    });
    child.once('close', (code, signal) => this.#launcherClosed(code, signal));
    this.ref(this.#keep);
  }

  #launcherClosed(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#launcherEnded) return;
    this.#launcherEnded = true;
    this.#launcherExit ??= { code, signal };
    if (this.#messages && !this.#messages.destroyed) {
      // The worker's last replies may still be on their way: give them a moment, then close.
      this.#timer(() => this.#messages?.destroy(), DRAIN_MS);
      return;
    }
    this.#settle();
  }

  /** A connection that presented the pool's token and this worker's launch. */
  attach(channel: Channel, socket: Socket, rest: Buffer): boolean {
    if (this.#killed || this.#reported) return false;
    if (channel === MESSAGES) {
      if (this.#messages) return false;
      this.#messages = socket;
      socket.setNoDelay(true);
      const reader = new FrameReader(this.events.message as (msg: unknown) => void, (error) => {
        this.#corrupt = new Error(
          `a message from worker ${this.slot} could not be read: ${(error as Error)?.message}`,
          {
            cause: error,
          },
        );
        socket.destroy();
      });
      socket.on('data', (chunk: Buffer) => reader.push(chunk));
      socket.once('close', () => this.#messagesClosed());
      if (rest.length > 0) reader.push(rest);
      this.#beat(socket);
    } else {
      if (this.#watchdog) return false;
      this.#watchdog = socket;
      socket.on('data', () => {
        this.#heard = performance.now();
      });
    }
    socket.on('error', () => {});
    socket.setKeepAlive(true, KEEPALIVE_MS);
    if (this.#keep) socket.ref();
    else socket.unref();
    if (channel === MESSAGES) {
      // The worker gets its init at once: its watchdog connects meanwhile, and a worker whose
      // watchdog is not accepted kills itself.
      for (const bytes of this.#queue ?? []) socket.write(bytes);
      this.#queue = undefined;
    } else {
      // The watchdog hears that it may stop counting down.
      socket.write(Buffer.of(1));
    }
    return true;
  }

  /**
   * From the worker's connection on, writes a byte to its watchdog every heartbeat, and gives the worker
   * up when nothing comes back for three (counted from the connection while the watchdog is on its way).
   */
  #beat(messages: Socket): void {
    const { heartbeat } = this.how;
    this.#heard = performance.now();
    let tick = this.#heard;
    const timer = setInterval(() => {
      const now = performance.now();
      // This process was too busy to run the timer: answers that came meanwhile are still unread.
      if (now - tick > 2 * heartbeat) this.#heard = now;
      tick = now;
      if (now - this.#heard > MISSED_BEATS * heartbeat) this.#silent(now - this.#heard);
      else if (this.#watchdog && !this.#watchdog.destroyed) this.#watchdog.write(Buffer.of(0));
    }, heartbeat);
    timer.unref();
    this.#timers.push(timer);
    // A closed connection says more than silence: the worker's exit is reported as it is.
    messages.once('close', () => clearInterval(timer));
  }

  /** The worker has not answered for `ms`: its host or the network failed. Ends its launcher and connections. */
  #silent(ms: number): void {
    if (this.#silentMs !== undefined || this.#reported) return;
    this.#silentMs = ms;
    this.#end();
  }

  /** Closes both connections and ends the launcher, if it runs. */
  #end(): void {
    this.#messages?.destroy();
    this.#watchdog?.destroy();
    if (this.#child && !this.#launcherEnded) this.#child.kill('SIGKILL');
  }

  #messagesClosed(): void {
    // The watchdog's connection stays until the launcher ends: closing it kills the worker, which may
    // still be writing its output.
    if (!this.#launcherEnded) {
      this.#connectionLost = true;
      this.#timer(() => this.#child?.kill('SIGKILL'), LAUNCHER_GRACE_MS);
    }
    this.#settle();
  }

  /** Reports the exit once, when the launcher has ended and the messages connection has closed. */
  #settle(): void {
    if (this.#reported || !this.#launcherEnded) return;
    if (this.#messages && !this.#messages.destroyed) return;
    this.#reported = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#watchdog?.destroy();
    this.how.listener.forget(this.launch);
    this.events.exit(this.#exit());
    this.#resolveExited();
  }

  #exit(): WorkerExit {
    let { code, signal } = this.#launcherExit ?? { code: null, signal: null };
    if (signal === null && this.#prefixed && code !== null && code > 128) {
      signal = signalNames.get(code - 128) ?? null;
      if (signal) code = null;
    }
    const exit: WorkerExit = { code, signal };
    if (this.#spawnError ?? this.#corrupt) exit.error = this.#spawnError ?? this.#corrupt;
    else if (this.#killed) return exit;
    else if (this.#silentMs !== undefined) {
      exit.error = new Error(
        `worker ${this.slot} did not answer for ${Math.round(this.#silentMs)} ms (heartbeat ${this.how.heartbeat} ms): its host or the network failed, or the worker process was stopped; its launcher was ended`,
      );
    } else if (!this.#messages) {
      const { advertise } = this.how.listener.address;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const said = this.#tail.trim() ? `; it wrote:\n${this.#tail.trim()}` : '';
      exit.error = new Error(
        `the launcher \`${this.#argv.join(' ')}\` ${how} before the worker connected back to ${advertise}:${this.#port}${said}`,
      );
    } else if (this.#connectionLost && this.#launcherExit?.signal === 'SIGKILL') {
      exit.error = new Error(
        `the connection to worker ${this.slot} closed while its launcher was still running (the worker's host or the network failed)`,
      );
    }
    return exit;
  }

  #timer(fn: () => void, ms: number): void {
    const timer = setTimeout(fn, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  send(msg: ToWorker): void {
    const bytes = frame(msg);
    if (this.#queue) this.#queue.push(bytes);
    else if (this.#messages && !this.#messages.destroyed) this.#messages.write(bytes);
  }

  /**
   * Ends the launcher (for srun, only its own pid: its helper then cancels the step) and closes both
   * connections: a worker left running on another host, as ssh leaves it, is killed by its watchdog.
   */
  kill(): Promise<void> {
    if (!this.#killed && !this.#reported) {
      this.#killed = true;
      this.#end();
      if (!this.#child) {
        // Not spawned yet (the listener was still starting): nothing runs.
        this.#launcherExit = { code: null, signal: 'SIGKILL' };
        this.#launcherEnded = true;
      }
      this.#settle();
    }
    return this.#exited;
  }

  ref(keep: boolean): void {
    this.#keep = keep;
    const child = this.#child;
    const handles = [child, child?.stderr, this.#messages, this.#watchdog] as ({ ref(): void; unref(): void } | null)[];
    for (const handle of handles) {
      if (keep) handle?.ref();
      else handle?.unref();
    }
  }
}
