import type { ResolvedPoolOptions } from '../options/pool.js';
import type { ResolvedSpec } from '../spec.js';
import type { Transport } from '../transport.js';
import type { Batch } from './batch.js';
import { PREFETCH } from './batch-size.js';
import type { MapHost, MapRun } from './map-run.js';
import { Slot, type SlotHost } from './slot.js';

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
  #slots: Slot[];
  #runs: MapRun[] = [];
  #turn = 0;
  #closing: Promise<void> | undefined;
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
    this.#updateRef();
    let wanted = 0;
    for (const each of this.#runs) wanted += each.demand;
    this.warm(wanted);
    this.dispatch();
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
    if (!this.#slots.some((slot) => slot.holdsEnded())) return;
    const timer = setTimeout(() => {
      if (this.stopped) return;
      for (const slot of this.#slots) if (slot.holdsEnded()) slot.replace();
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
    const runs = this.#runs;
    while (slot.state === 'ready' && !slot.exclusive && slot.inflight.length < PREFETCH && runs.length > 0) {
      const limit = this.options.maxTasksPerWorker - slot.tasks;
      let batch: Batch | undefined;
      for (let k = 0; k < runs.length && batch === undefined; k++) {
        batch = runs[(this.#turn + k) % runs.length].takeBatch(slot.inflight.length === 0, limit);
      }
      if (batch === undefined) return;
      this.#turn++;
      try {
        slot.send(batch);
      } catch (error) {
        this.#unsendable(batch, error);
      }
    }
  }

  /** A batch could not be serialized: fail the items that cannot be sent, run the others again. */
  #unsendable(batch: Batch, error: unknown): void {
    const { run, items, start } = batch;
    items.forEach((item, i) => {
      const reason = items.length === 1 ? (error as Error).message : this.transport.canSend(item);
      if (reason === undefined) run.requeue(start + i, item, false);
      else run.failItem(start + i, new TypeError(`item ${start + i} cannot be sent to a worker: ${reason}`));
    });
    this.#again = true;
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
  close(grace = this.options.closeTimeout): Promise<void> {
    if (this.#closing) return this.#closing;
    for (const run of [...this.#runs]) run.fail(new Error('the pool was closed while this map was running'));
    const exits = this.#slots.map((slot) => slot.stop(grace));
    this.#closing = Promise.all(exits).then(async () => {
      this.#ref = false;
      await this.transport.close?.();
    });
    this.#updateRef();
    return this.#closing;
  }
}
