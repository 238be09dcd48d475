import { TaskTimeoutError, WorkerCrashedError } from '../errors/classes.js';
import { encodeValues, reviveError } from '../errors/data.js';
import type { DoneMessage, FromWorker, RunMessage } from '../protocol.js';
import type { ResolvedSpec } from '../spec.js';
import type { WorkerExit, WorkerHandle } from '../transport.js';
import type { Batch } from './batch.js';
import { Inflight } from './inflight.js';
import type { SlotHost, SlotState } from './slot-host.js';

/** Construction failures in a row after which a worker is given up, and the pool with it. */
const MAX_INIT_FAILURES = 3;
/**
 * How long an idle worker may take to start a batch sent to it. One that does not has stopped
 * answering (a task broke its globals or its channel): it is replaced, and the batch runs elsewhere.
 */
const UNRESPONSIVE_MS = 10_000;

const describeExit = ({ code, signal }: WorkerExit) =>
  signal ? `was killed by ${signal}` : `exited with code ${code}`;

/**
 * One worker place of a pool: starts its worker, sends it batches, and answers for every batch it
 * holds whatever happens to the worker (a reply, a crash, a time-out, a replacement).
 */
export class Slot {
  state: SlotState = 'empty';
  /** Batches sent and not yet answered. At most the pool's `perWorker`. */
  readonly inflight = new Inflight();
  /** Holds a batch that must run alone: a suspect after a crash, or a task with a time-out. */
  exclusive = false;
  /** Items sent to this worker since it started, for `maxTasksPerWorker`. */
  tasks = 0;
  /** What the instance's `close()` returned, when the worker stopped. */
  closeValue: unknown = undefined;
  #handle: WorkerHandle | undefined = undefined;
  /** Failed constructions in a row (a failure, a crash or a time-out before `ready`). */
  #initFailures = 0;
  #initTimer: NodeJS.Timeout | undefined = undefined;
  #lastDoneAt = 0;
  /** Bumped when the worker is replaced: events of the old one are ignored. */
  #generation = 0;
  /** The uncaught error the worker reported just before it exits. */
  #crash: unknown = undefined;
  #stopped: (() => void) | undefined = undefined;

  constructor(
    readonly index: number,
    readonly spec: ResolvedSpec,
    readonly host: SlotHost,
  ) {}

  ref(keep: boolean): void {
    this.#handle?.ref(keep);
  }

  /** Starts a worker in the slot; it is `ready` once built. */
  start(): void {
    const { host } = this;
    if (host.stopped) return;
    const generation = ++this.#generation;
    this.state = 'starting';
    this.exclusive = false;
    this.tasks = 0;
    this.#crash = undefined;
    let handle: WorkerHandle;
    try {
      handle = host.transport.start(this.index, {
        message: (msg) => generation === this.#generation && this.#onMessage(msg),
        exit: (exit) => generation === this.#generation && this.#onExit(exit),
      });
    } catch (error) {
      host.break(
        new Error(`worker ${this.index} could not be started: ${(error as Error)?.message}`, { cause: error }),
      );
      return;
    }
    this.#handle = handle;
    handle.ref(host.keepsAlive);
    this.#initTimer = setTimeout(() => this.#initTimedOut(generation), host.options.initTimeout);
    this.#initTimer.unref();
    const { descriptor, live } = this.spec;
    try {
      const { concurrentTasksPerWorker } = host.options;
      handle.send({
        type: 'init',
        spec: descriptor,
        slot: this.index,
        live: host.transport.inProcess ? live?.target : undefined,
        concurrency: concurrentTasksPerWorker > 1 ? concurrentTasksPerWorker : undefined,
      });
    } catch (error) {
      host.break(
        new TypeError(`the arguments of worker ${this.index} cannot be sent to it: ${(error as Error)?.message}`, {
          cause: error,
        }),
      );
    }
  }

  /** Sends a batch to the worker. Throws, having sent nothing, when the batch cannot be serialized. */
  send(batch: Batch): void {
    const { transport, options } = this.host;
    const { argumentType, taskTimeout, onResult, onMessage } = batch.run.options;
    const before = performance.now();
    const msg: RunMessage = { type: 'run', batch: batch.id, argumentType, items: batch.items };
    // A worker that was idle says when it starts, so that one that stopped answering is noticed.
    const idle = this.inflight.size === 0 && !transport.inProcess;
    if (taskTimeout !== undefined || idle) msg.notifyStart = true;
    if (onResult) msg.timing = true;
    if (onMessage) msg.messages = true;
    const encoded = encodeValues(batch.items, transport.canSend, !transport.inProcess);
    if (encoded) {
      msg.items = encoded.values;
      if (encoded.errors) msg.errorItems = encoded.errors;
    }
    (this.#handle as WorkerHandle).send(msg, encoded?.transfer);
    batch.sentAt = performance.now();
    batch.startedAt = batch.sentAt;
    batch.copyMs = batch.sentAt - before;
    batch.workerIndex = this.index;
    if (idle) this.inflight.add(batch, UNRESPONSIVE_MS, () => this.#unresponsive(batch));
    else this.inflight.add(batch);
    this.tasks += batch.items.length;
    if (this.tasks >= options.maxTasksPerWorker) this.state = 'retiring';
    // A suspect runs alone; so does a task with a time-out, unless the worker runs several at once.
    if (batch.suspect || (taskTimeout !== undefined && options.concurrentTasksPerWorker === 1)) this.exclusive = true;
  }

  /** `pool.tell(value)`: for the instance's `listen(value)`, on a worker that is (or is being) built. */
  tell(value: unknown): void {
    if (this.state === 'starting' || this.state === 'ready' || this.state === 'retiring') {
      this.#handle?.send({ type: 'tell', value });
    }
  }

  #onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'done':
        this.#onDone(msg);
        return;
      case 'started': {
        // A task's time-out counts from when it starts running, not from when it was queued.
        const batch = this.inflight.find(msg.batch);
        const timeout = batch?.run.options.taskTimeout;
        if (batch) this.inflight.started(batch, timeout, () => this.#timedOut(batch, timeout as number));
        return;
      }
      case 'ready':
        clearTimeout(this.#initTimer);
        if (this.state === 'starting') this.state = 'ready';
        this.host.dispatch();
        return;
      case 'failed': {
        clearTimeout(this.#initTimer);
        const error = reviveError(msg.error);
        if (msg.fatal || ++this.#initFailures >= MAX_INIT_FAILURES) this.host.break(error);
        else this.replace();
        return;
      }
      case 'message': {
        const batch = this.inflight.find(msg.batch);
        if (batch) batch.run.message(batch, msg.position, msg.value);
        else this.#protocolError(`a message for batch ${msg.batch}, which it was not running`);
        return;
      }
      case 'crashed':
        this.#crash = reviveError(msg.error);
        return;
      case 'closed':
        // The worker exits by itself once its output is written; a timer kills it if it does not.
        if (msg.unsent !== undefined) {
          process.emitWarning(`mtl: what close() returned in worker ${this.index} cannot be sent: ${msg.unsent}`);
        }
        this.closeValue = msg.value;
        return;
      default:
        this.#protocolError(`a message of unknown type ${JSON.stringify((msg as { type?: unknown }).type)}`);
    }
  }

  #onDone(msg: DoneMessage): void {
    const batch = this.inflight.remove(msg.batch);
    if (!batch) {
      this.#protocolError(`a reply for batch ${msg.batch}, which it was not running`);
      return;
    }
    this.exclusive = false;
    this.#initFailures = 0;
    const now = performance.now();
    const serviceMs = now - Math.max(batch.sentAt, this.#lastDoneAt);
    this.#lastDoneAt = now;
    batch.run.complete(batch, msg, serviceMs);
    if (this.state === 'retiring' && this.inflight.size === 0) this.#retire();
    this.host.dispatch();
  }

  #onExit(exit: WorkerExit): void {
    clearTimeout(this.#initTimer);
    this.#handle = undefined;
    const { state } = this;
    if (state === 'stopping' || state === 'dead' || this.host.stopped) {
      this.state = 'dead';
      this.#stopped?.();
      return;
    }
    const lost = this.inflight.removeAll();
    const cause = exit.error ?? this.#crash;
    if (lost.length > 0) this.#crashed(lost, exit, cause);
    else if (state === 'starting' && ++this.#initFailures >= MAX_INIT_FAILURES) {
      const message = `worker ${this.index} ${describeExit(exit)} while it was being built, ${MAX_INIT_FAILURES} times in a row`;
      this.host.break(new WorkerCrashedError(message, exit.code, exit.signal, this.index, { cause }));
      return;
    }
    this.start();
    this.host.dispatch();
  }

  /** The worker died holding batches: a lone item is the culprit; otherwise each runs again alone, so the culprit shows itself. */
  #crashed(lost: Batch[], exit: WorkerExit, cause: unknown): void {
    let items = 0;
    for (const batch of lost) items += batch.items.length;
    for (const batch of lost) {
      if (items === 1) {
        const message = `worker ${this.index} ${describeExit(exit)} while running this item`;
        batch.run.failItem(batch, 0, new WorkerCrashedError(message, exit.code, exit.signal, this.index, { cause }));
      } else batch.run.requeueAll(batch, true);
    }
  }

  #timedOut(batch: Batch, ms: number): void {
    if (!this.inflight.remove(batch)) return;
    batch.run.failItem(batch, 0, new TaskTimeoutError(ms, this.index));
    this.replace();
    this.host.dispatch();
  }

  #unresponsive(batch: Batch): void {
    if (!this.inflight.has(batch)) return;
    process.emitWarning(
      `mtl: worker ${this.index} did not start a batch within ${UNRESPONSIVE_MS / 1000} s while idle; it is replaced`,
      { code: 'MTL_UNRESPONSIVE' },
    );
    this.replace();
    this.host.dispatch();
  }

  #initTimedOut(generation: number): void {
    if (this.#generation !== generation || this.state !== 'starting') return;
    const ms = this.host.options.initTimeout;
    if (++this.#initFailures < MAX_INIT_FAILURES) {
      this.replace();
      return;
    }
    this.host.break(
      new Error(
        `worker ${this.index} was not ready within initTimeout (${ms} ms), ${MAX_INIT_FAILURES} times in a row: its module or constructor does not finish. Raise initTimeout if building it takes longer.`,
      ),
    );
  }

  /** A message the protocol does not allow: never dropped in silence. The worker is replaced. */
  #protocolError(what: string): void {
    const message = `mtl: worker ${this.index} sent ${what}; it is replaced and its items run again`;
    if (process.env.MTL_STRICT_PROTOCOL) throw new Error(message);
    process.emitWarning(message, { code: 'MTL_PROTOCOL' });
    this.replace();
    this.host.dispatch();
  }

  /** Asks a worker that reached maxTasksPerWorker to run its `close()` and exit; its exit starts the next one. */
  #retire(): void {
    const handle = this.#handle;
    try {
      handle?.send({ type: 'stop' });
    } catch {
      void handle?.kill();
      return;
    }
    const generation = this.#generation;
    setTimeout(() => {
      if (this.#generation === generation && this.#handle === handle) void handle?.kill();
    }, this.host.options.closeTimeout).unref();
  }

  /** Kills the worker and starts a new one from the same spec; the batches it held run again elsewhere. */
  replace(): void {
    const old = this.#handle;
    this.#generation++;
    this.#handle = undefined;
    clearTimeout(this.#initTimer);
    for (const batch of this.inflight.removeAll()) batch.run.requeueAll(batch, false);
    void old?.kill();
    this.start();
  }

  /**
   * Stops the worker: it finishes its current item and runs its `close()`; killed if it has not exited
   * after `grace` ms (at once for 0). Resolves when it has exited.
   */
  stop(grace: number): Promise<void> {
    clearTimeout(this.#initTimer);
    this.inflight.stopTimers();
    const handle = this.#handle;
    if (!handle) {
      this.state = 'dead';
      return Promise.resolve();
    }
    this.state = 'stopping';
    const exited = new Promise<void>((resolve) => {
      this.#stopped = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    if (grace <= 0) void handle.kill();
    else {
      try {
        handle.send({ type: 'stop' });
        timer = setTimeout(() => void handle.kill(), grace);
      } catch {
        void handle.kill();
      }
    }
    return exited.finally(() => clearTimeout(timer));
  }
}
