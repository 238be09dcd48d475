import type { ResolvedPoolOptions } from '../options/pool.js';
import type { ResolvedSpec } from '../spec.js';
import type { Transport } from '../transport.js';
import type { Batch } from './batch.js';
import { PREFETCH } from './batch-size.js';
import { Deque } from './deque.js';
import type { MapHost, MapRun } from './map-run.js';
import { Slot } from './slot.js';
import type { SlotHost } from './slot-host.js';
import { Alarm, TokenBucket } from './token-bucket.js';

/** How long a map broken off by an error or an abort gives its workers to finish its items. */
export const ABORT_GRACE_MS = 500;

/**
 * The workers of a pool and the one dispatch loop that feeds them: starts workers as maps need them,
 * sends batches to whichever worker has room, and stops. What happens to each worker (replies,
 * crashes, time-outs, replacement) is its slot's business.
 */
export class PoolCore implements MapHost, SlotHost {
  readonly nJobs: number;
  readonly transport: Transport;
  readonly singleItems: boolean;
  #slots: Slot[];
  /** Every map attached, for `close()`. */
  #runs: MapRun[] = [];
  /** The maps the workers are fed from, in turn; one that has run out leaves until it has items again. */
  #feeding = new Deque<MapRun>();
  #inFeeding = new Set<MapRun>();
  readonly perWorker: number;
  #bucket: TokenBucket | undefined;
  #alarm: Alarm | undefined;
  #closing: Promise<unknown[]> | undefined;
  #broken: Error | undefined;
  #ref = false;
  #dispatching = false;
  #again = false;

  /** `owned`: the pool exists for one map (`pqdm`), and closes when that map ends. */
  constructor(
    transport: Transport,
    specs: ResolvedSpec[],
    readonly options: ResolvedPoolOptions,
    readonly owned = false,
  ) {
    this.transport = transport;
    this.nJobs = specs.length;
    this.#slots = specs.map((spec, index) => new Slot(index, spec, this));
    const { concurrentTasksPerWorker, rateLimit } = options;
    this.perWorker = concurrentTasksPerWorker > 1 ? concurrentTasksPerWorker : PREFETCH;
    this.singleItems = concurrentTasksPerWorker > 1 || rateLimit !== undefined;
    if (rateLimit) {
      this.#bucket = new TokenBucket(rateLimit);
      this.#alarm = new Alarm(() => this.dispatch());
    }
  }

  get stopped(): boolean {
    return this.#closing !== undefined || this.#broken !== undefined;
  }

  get keepsAlive(): boolean {
    return this.#ref;
  }

  // ── the maps ────────────────────────────────────────────────────────────────────────────────

  warm(wanted: number): void {
    let live = 0;
    for (const slot of this.#slots) if (slot.state !== 'empty') live++;
    for (const slot of this.#slots) {
      if (live >= wanted || this.stopped) return;
      if (slot.state !== 'empty') continue;
      slot.start();
      live++;
    }
  }

  attach(run: MapRun): void {
    if (this.stopped) {
      run.fail(this.#broken ?? new Error('the pool is closed; create a new Pool to run more maps'));
      return;
    }
    this.#runs.push(run);
    this.rejoin(run);
    this.#updateRef();
    let wanted = 0;
    for (const each of this.#runs) wanted += each.demand;
    this.warm(wanted);
    this.dispatch();
  }

  rejoin(run: MapRun): void {
    if (this.#inFeeding.has(run) || !this.#runs.includes(run)) return;
    this.#inFeeding.add(run);
    this.#feeding.push(run);
  }

  async detach(run: MapRun, urgent: boolean): Promise<void> {
    const at = this.#runs.indexOf(run);
    if (at >= 0) this.#runs.splice(at, 1);
    this.#updateRef();
    const { closeTimeout } = this.options;
    const grace = urgent ? Math.min(ABORT_GRACE_MS, closeTimeout) : closeTimeout;
    if (this.owned) await this.close(grace);
    else this.#reclaimAfter(grace);
  }

  /**
   * Workers still busy with items of a map that has ended get `grace` ms to finish them; then they are
   * replaced, so that a stuck item of an abandoned map never holds the pool's next maps.
   */
  #reclaimAfter(grace: number): void {
    if (!this.#slots.some((slot) => slot.inflight.holdsEnded())) return;
    const timer = setTimeout(() => {
      if (this.stopped) return;
      for (const slot of this.#slots) if (slot.inflight.holdsEnded()) slot.replace();
      this.dispatch();
    }, grace);
    timer.unref();
  }

  // ── feeding the workers ─────────────────────────────────────────────────────────────────────

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
    while (slot.state === 'ready' && !slot.exclusive && slot.inflight.size < this.perWorker) {
      if (this.#feeding.size === 0) return;
      if (this.#bucket) {
        const wait = this.#bucket.wait();
        if (wait > 0) {
          this.#alarm?.in(wait);
          return;
        }
      }
      const batch = this.#take(slot);
      if (batch === undefined) return;
      this.#bucket?.take();
      try {
        slot.send(batch);
      } catch (error) {
        this.#unsendable(batch, error);
      }
    }
  }

  /** The next batch for a slot, from the maps in turn; a map that has run out leaves the turn. */
  #take(slot: Slot): Batch | undefined {
    const feeding = this.#feeding;
    const idle = slot.inflight.size === 0;
    // A worker that runs several items at once starts a batch at once while it has room.
    const startsNow = this.options.concurrentTasksPerWorker > 1 || idle;
    const limit = this.options.maxTasksPerWorker - slot.tasks;
    for (let n = feeding.size; n > 0; n--) {
      const run = feeding.shift() as MapRun;
      const batch = run.takeBatch(idle, startsNow, limit);
      if (batch !== undefined || !run.drained) feeding.push(run);
      else this.#inFeeding.delete(run);
      if (batch !== undefined) return batch;
    }
    return undefined;
  }

  /** A batch could not be serialized: fail the items that cannot be sent, run the others again. */
  #unsendable(batch: Batch, error: unknown): void {
    const { run, items, start } = batch;
    items.forEach((item, i) => {
      const reason = items.length === 1 ? (error as Error).message : this.transport.canSend(item);
      if (reason === undefined) run.requeueOne(batch, i);
      else run.failItem(batch, i, new TypeError(`item ${start + i} cannot be sent to a worker: ${reason}`));
    });
    this.#again = true;
  }

  /** `pool.tell(value)`: to every worker (starting those not started yet), for its instance's `listen(value)`. */
  tell(value: unknown): void {
    if (this.stopped) throw new Error('the pool is closed; tell() reaches no worker');
    this.warm(this.nJobs);
    for (const slot of this.#slots) slot.tell(value);
  }

  // ── stopping ────────────────────────────────────────────────────────────────────────────────

  break(error: Error): void {
    if (this.#broken) return;
    this.#broken = error;
    for (const run of this.#runs) run.fail(error);
    void this.close(0);
  }

  /** Workers keep the process alive only while a map is being consumed or the pool is closing. */
  #updateRef(): void {
    const ref = this.#closing !== undefined || this.#runs.length > 0;
    if (ref === this.#ref) return;
    this.#ref = ref;
    for (const slot of this.#slots) slot.ref(ref);
  }

  /**
   * Stops every worker: each finishes its current item and runs its `close()`; one that has not
   * exited after `grace` ms is killed. Maps still running fail. Resolves when all have exited. Idempotent.
   */
  close(grace = this.options.closeTimeout): Promise<unknown[]> {
    if (this.#closing) return this.#closing;
    for (const run of [...this.#runs]) run.fail(new Error('the pool was closed while this map was running'));
    this.#alarm?.cancel();
    const exits = this.#slots.map((slot) => slot.stop(grace));
    this.#closing = Promise.all(exits).then(async () => {
      this.#ref = false;
      await this.transport.close?.();
      return this.#slots.map((slot) => slot.closeValue);
    });
    this.#updateRef();
    return this.#closing;
  }
}
