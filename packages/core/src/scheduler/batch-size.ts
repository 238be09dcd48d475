/** Batches each worker holds at once: one running, one waiting, so no worker idles between messages. */
export const PREFETCH = 2;
/**
 * The largest batch `batchSize: 'auto'` grows to: for tiny items, messaging then costs a few per cent
 * (4,096 items per message moved 1M trivial items on threads about 10 % faster than 1,024; see
 * bench/results/analysis.md), while a batch still copies in well under the copy budget.
 */
export const MAX_BATCH = 4096;
/**
 * What an auto-sized batch aims to cost in a worker. Between two batches a worker loses 0.2–0.7 ms
 * when every core is busy (the parent, woken by the reply, takes its turn on a core), so a batch of
 * 50 ms keeps that near 1 %; results still come back faster than a progress bar redraws.
 */
const TARGET_BATCH_MS = 50;
/**
 * What an auto-sized batch may cost the parent to copy into its message. Copying happens on the one
 * thread that feeds every worker, so a large batch of large items stalls them all, and holds that
 * much more memory.
 */
const COPY_BUDGET_MS = 0.5;
/**
 * Items slower than this are queued behind one another on a worker only while plenty of a sized
 * input is left: the message latency they hide is small beside them, and near the end a queued item
 * could not move to a worker that falls idle.
 */
const PREFETCH_BELOW_MS = 1;

/** What the policy is told about a map once. */
export interface BatchPolicyInput {
  nJobs: number;
  /** Batches a worker holds at once: PREFETCH, or `concurrentTasksPerWorker` when it runs several. */
  perWorker: number;
  /** `batchSize`, when the user fixed it. */
  fixed: number | undefined;
  /** `chunkSize * chunkPrefillRatio`, when the user fixed the window. */
  window: number | undefined;
  /** One item per batch, never queued behind another (a task time-out counts per item from its start). */
  single: boolean;
}

/**
 * How many items go in a batch, how far ahead a map reads, and whether a busy worker gets a second
 * batch: learnt from how long the workers spend per item and how long the parent spends copying.
 */
export class BatchPolicy {
  #size = 1;
  #perItemMs = 0;
  #copyPerItemMs = 0;

  constructor(readonly input: BatchPolicyInput) {}

  /** Inputs that may be pulled and not yet handed to the consumer (a bounded map). */
  get window(): number {
    const { window, nJobs, perWorker, fixed } = this.input;
    return window ?? nJobs * perWorker * 2 * (fixed ?? this.#size);
  }

  /** The size of the next batch, given how many items of a sized input are not pulled yet. */
  next(unpulled: number | undefined): number {
    const { single, fixed, window, nJobs, perWorker } = this.input;
    if (single) return 1;
    let n = fixed ?? this.#size;
    if (window !== undefined) n = Math.min(n, Math.max(1, Math.floor(window / (nJobs * perWorker))));
    // Near the end of a sized input, batches shrink (to one share of what is left per batch a worker
    // may hold), so that the last ones are single items and the workers finish together.
    if (unpulled !== undefined) n = Math.min(n, Math.max(1, Math.ceil(unpulled / (nJobs * perWorker))));
    return n;
  }

  /**
   * Whether a worker that holds a batch may get a second one: for items known to be quick, or slow
   * items while more than two per worker are left; never for single items, nor with a fixed `batchSize`.
   */
  prefetch(unpulled: number | undefined): boolean {
    if (this.input.single || this.#perItemMs === 0) return false;
    if (this.#perItemMs < PREFETCH_BELOW_MS) return true;
    return unpulled !== undefined && unpulled > 2 * this.input.nJobs;
  }

  /** Learns from a batch: the worker's time on it and the parent's time copying it. */
  observe(items: number, serviceMs: number, copyMs: number): void {
    if (this.input.fixed !== undefined) return;
    const first = this.#perItemMs === 0;
    this.#perItemMs = first ? serviceMs / items : 0.7 * this.#perItemMs + 0.3 * (serviceMs / items);
    this.#copyPerItemMs = first ? copyMs / items : 0.7 * this.#copyPerItemMs + 0.3 * (copyMs / items);
    const ideal = Math.floor(
      Math.min(TARGET_BATCH_MS / Math.max(this.#perItemMs, 1e-6), COPY_BUDGET_MS / Math.max(this.#copyPerItemMs, 1e-6)),
    );
    this.#size = Math.max(1, Math.min(ideal, this.#size * 8, MAX_BATCH));
  }
}
