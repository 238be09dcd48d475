import { reviveError, TaskTimeoutError, WorkerCrashedError } from '../errors.js';
import type { ResolvedPoolOptions } from '../options.js';
import type { ResolvedSpec } from '../spec.js';
import type { FromWorker, Transport, WorkerExit, WorkerHandle } from '../transport.js';
import { type Batch, type MapRun, PREFETCH } from './map-run.js';

/** Construction failures in a row after which a worker is given up, and the pool with it. */
const MAX_INIT_FAILURES = 3;

interface Slot {
  index: number;
  spec: ResolvedSpec;
  handle: WorkerHandle | undefined;
  /** `retiring`: it has run `maxTasksPerWorker` items; it finishes what it holds, then is replaced. */
  state: 'starting' | 'ready' | 'retiring' | 'stopping' | 'dead';
  /** Batches sent and not yet answered, oldest first (a worker answers in order). At most PREFETCH. */
  inflight: Batch[];
  /** Holds a batch that must run alone: a suspect after a crash, or a task with a time-out. */
  exclusive: boolean;
  initFailures: number;
  /** Items sent to this worker since it started, for `maxTasksPerWorker`. */
  tasks: number;
  lastDoneAt: number;
  /** Events from a replaced worker carry an old generation and are ignored. */
  generation: number;
  stopped: (() => void) | undefined;
}

const describeExit = ({ code, signal }: WorkerExit) =>
  signal ? `was killed by ${signal}` : `exited with code ${code}`;

/**
 * The workers of a pool and the one dispatch loop that feeds them: starts every worker eagerly,
 * sends batches to whichever worker has room, detects crashes and time-outs, respawns, stops.
 */
export class PoolCore {
  readonly nJobs: number;
  #transport: Transport;
  #slots: Slot[];
  #runs: MapRun[] = [];
  #turn = 0;
  #nextId = 1;
  #closing: Promise<void> | undefined;
  #broken: Error | undefined;
  #ref = false;
  #dispatching = false;
  #again = false;

  constructor(
    transport: Transport,
    specs: ResolvedSpec[],
    readonly options: ResolvedPoolOptions,
  ) {
    this.#transport = transport;
    this.nJobs = specs.length;
    this.#slots = specs.map((spec, index) => ({
      index,
      spec,
      handle: undefined,
      state: 'starting',
      inflight: [],
      exclusive: false,
      initFailures: 0,
      tasks: 0,
      lastDoneAt: 0,
      generation: 0,
      stopped: undefined,
    }));
    for (const slot of this.#slots) this.#start(slot);
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  #start(slot: Slot): void {
    const generation = ++slot.generation;
    slot.state = 'starting';
    slot.exclusive = false;
    slot.tasks = 0;
    const handle = this.#transport.start(slot.index, {
      message: (msg) => generation === slot.generation && this.#onMessage(slot, msg),
      exit: (exit) => generation === slot.generation && this.#onExit(slot, exit),
    });
    slot.handle = handle;
    handle.ref(this.#ref);
    const { descriptor, live } = slot.spec;
    try {
      handle.send({
        t: 'init',
        spec: descriptor,
        slot: slot.index,
        live: this.#transport.inProcess ? live?.target : undefined,
      });
    } catch (error) {
      this.#break(
        new TypeError(`the arguments of worker ${slot.index} cannot be sent to it: ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
  }

  /** A map starts using the pool. */
  attach(run: MapRun): void {
    if (this.#broken || this.#closing) {
      run.fail(this.#broken ?? new Error('the pool is closed; create a new Pool to run more maps'));
      return;
    }
    this.#runs.push(run);
    this.#updateRef();
    this.dispatch();
  }

  detach(run: MapRun): void {
    const at = this.#runs.indexOf(run);
    if (at >= 0) this.#runs.splice(at, 1);
    this.#updateRef();
  }

  /** Workers keep the process alive only while a map is being consumed or the pool is closing. */
  #updateRef(): void {
    const ref = this.#closing !== undefined || this.#runs.length > 0;
    if (ref === this.#ref) return;
    this.#ref = ref;
    for (const slot of this.#slots) slot.handle?.ref(ref);
  }

  /** Sends work to every worker that has room. Re-entrant calls are folded into the running one. */
  dispatch(): void {
    if (this.#dispatching) {
      this.#again = true;
      return;
    }
    this.#dispatching = true;
    try {
      do {
        this.#again = false;
        for (const slot of this.#slots) this.#feed(slot);
      } while (this.#again);
    } finally {
      this.#dispatching = false;
    }
  }

  #feed(slot: Slot): void {
    const runs = this.#runs;
    while (slot.state === 'ready' && !slot.exclusive && slot.inflight.length < PREFETCH && runs.length > 0) {
      const limit = this.options.maxTasksPerWorker - slot.tasks;
      let batch: Batch | undefined;
      for (let k = 0; k < runs.length && batch === undefined; k++) {
        batch = runs[(this.#turn + k) % runs.length].takeBatch(slot.inflight.length === 0, limit);
      }
      if (batch === undefined) return;
      this.#turn++;
      this.#send(slot, batch);
    }
  }

  #send(slot: Slot, batch: Batch): void {
    const { run } = batch;
    batch.id = this.#nextId++;
    const before = performance.now();
    try {
      const { argumentType, taskTimeout } = run.options;
      const msg = { t: 'run', id: batch.id, a: argumentType, x: batch.items } as const;
      (slot.handle as WorkerHandle).send(taskTimeout === undefined ? msg : { ...msg, s: true });
    } catch (error) {
      this.#unsendable(batch, error);
      return;
    }
    batch.sentAt = performance.now();
    batch.copyMs = batch.sentAt - before;
    slot.inflight.push(batch);
    slot.tasks += batch.items.length;
    if (slot.tasks >= this.options.maxTasksPerWorker) slot.state = 'retiring';
    if (batch.suspect || run.options.taskTimeout !== undefined) slot.exclusive = true;
  }

  /** A batch could not be serialized: fail the items that cannot be sent, run the others again. */
  #unsendable(batch: Batch, error: unknown): void {
    const { run, items, start } = batch;
    items.forEach((item, i) => {
      const reason = items.length === 1 ? (error as Error).message : this.#transport.canSend(item);
      if (reason === undefined) run.requeue(start + i, item, false);
      else run.failItem(start + i, new TypeError(`item ${start + i} cannot be sent to a worker: ${reason}`));
    });
    this.#again = true;
  }

  #onMessage(slot: Slot, msg: FromWorker): void {
    switch (msg.t) {
      case 'done': {
        const batch = slot.inflight.shift();
        if (batch === undefined || batch.id !== msg.id) return;
        clearTimeout(batch.timer);
        slot.exclusive = false;
        slot.initFailures = 0;
        const now = performance.now();
        const serviceMs = now - Math.max(batch.sentAt, slot.lastDoneAt);
        slot.lastDoneAt = now;
        batch.run.complete(batch, msg.r, msg.e, serviceMs);
        if (slot.state === 'retiring' && slot.inflight.length === 0) this.#stop(slot);
        this.dispatch();
        return;
      }
      case 'started': {
        // A task's time-out counts from when it starts running, not from when it was queued.
        const batch = slot.inflight[0];
        const timeout = batch?.run.options.taskTimeout;
        if (batch?.id === msg.id && timeout !== undefined) {
          batch.timer = setTimeout(() => this.#onTimeout(slot, batch, timeout), timeout);
        }
        return;
      }
      case 'ready':
        if (slot.state === 'starting') slot.state = 'ready';
        this.dispatch();
        return;
      case 'failed': {
        const error = reviveError(msg.error);
        if (msg.fatal || ++slot.initFailures >= MAX_INIT_FAILURES) this.#break(error);
        else this.#replace(slot);
        return;
      }
      case 'closed':
        void slot.handle?.kill();
    }
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    const { state } = slot;
    slot.handle = undefined;
    if (state === 'retiring' && !this.#closing) {
      this.#start(slot);
      return;
    }
    if (state === 'stopping' || state === 'dead' || this.#closing) {
      slot.state = 'dead';
      slot.stopped?.();
      return;
    }
    const lost = slot.inflight.splice(0);
    const items = lost.reduce((sum, batch) => sum + batch.items.length, 0);
    const crash = () =>
      new WorkerCrashedError(
        `worker ${slot.index} ${describeExit(exit)} while running this item`,
        exit.code,
        exit.signal,
        slot.index,
        {
          cause: exit.error,
        },
      );
    for (const batch of lost) {
      clearTimeout(batch.timer);
      // A lone item is the culprit; otherwise each runs again alone, so that the culprit shows itself.
      if (items === 1) batch.run.failItem(batch.start, crash());
      else for (let i = 0; i < batch.items.length; i++) batch.run.requeue(batch.start + i, batch.items[i], true);
    }
    if (state === 'starting' && ++slot.initFailures >= MAX_INIT_FAILURES) {
      this.#break(
        new WorkerCrashedError(
          `worker ${slot.index} ${describeExit(exit)} while it was being built, ${MAX_INIT_FAILURES} times in a row`,
          exit.code,
          exit.signal,
          slot.index,
          { cause: exit.error },
        ),
      );
      return;
    }
    this.#start(slot);
    this.dispatch();
  }

  #onTimeout(slot: Slot, batch: Batch, ms: number): void {
    if (slot.inflight[0] !== batch) return;
    slot.inflight.shift();
    for (const other of slot.inflight.splice(0)) {
      clearTimeout(other.timer);
      for (let i = 0; i < other.items.length; i++) other.run.requeue(other.start + i, other.items[i], false);
    }
    batch.run.failItem(batch.start, new TaskTimeoutError(ms, slot.index));
    this.#replace(slot);
    this.dispatch();
  }

  /** Asks a worker to finish and run its `close()`; its exit then starts the next one (retiring) or ends it. */
  #stop(slot: Slot): void {
    try {
      slot.handle?.send({ t: 'stop' });
    } catch {
      void slot.handle?.kill();
    }
  }

  /** Kills a worker and starts a new one from the same spec. */
  #replace(slot: Slot): void {
    const old = slot.handle;
    slot.generation++;
    void old?.kill();
    this.#start(slot);
  }

  /** The pool cannot go on (a spec that cannot load, a constructor that keeps failing). */
  #break(error: Error): void {
    if (this.#broken) return;
    this.#broken = error;
    for (const run of this.#runs) run.fail(error);
    void this.close(0);
  }

  /**
   * Stops every worker: each finishes its current item and runs its `close()`; one that has not
   * exited after `grace` ms is killed. Resolves when all have exited. Idempotent.
   */
  close(grace = this.options.closeTimeout): Promise<void> {
    if (this.#closing) return this.#closing;
    const waits: Promise<void>[] = [];
    const timers: NodeJS.Timeout[] = [];
    for (const slot of this.#slots) {
      const handle = slot.handle;
      for (const batch of slot.inflight) clearTimeout(batch.timer);
      if (!handle) {
        slot.state = 'dead';
        continue;
      }
      waits.push(new Promise((resolve) => (slot.stopped = resolve)));
      slot.state = 'stopping';
      if (grace <= 0) {
        void handle.kill();
        continue;
      }
      this.#stop(slot);
      timers.push(setTimeout(() => void handle.kill(), grace));
    }
    this.#closing = Promise.all(waits).then(() => {
      for (const timer of timers) clearTimeout(timer);
      this.#ref = false;
    });
    this.#updateRef();
    return this.#closing;
  }
}
