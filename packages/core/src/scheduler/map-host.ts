import type { MapRun } from './map-run.js';

/** What a map needs from the pool that runs it. `PoolCore` is the one implementation. */
export interface MapHost {
  readonly nJobs: number;
  /** Batches a worker holds at once. */
  readonly perWorker: number;
  /** Items go one to a batch: the pool paces starts, or runs several items at once in a worker. */
  readonly singleItems: boolean;
  /**
   * Starts workers, up to `wanted` (the items a map has, when it is sized): a map starts them when it is
   * created, so that slow constructions overlap whatever the caller does before it reads the results.
   */
  warm(wanted: number): void;
  /** The map starts: the pool serves it from now on (or fails it at once, when it cannot). */
  attach(run: MapRun): void;
  /** The map has items to run again after it had run out: the pool feeds from it again. */
  rejoin(run: MapRun): void;
  /** There is new input, or room in the window: feed the workers. */
  dispatch(): void;
  /** The map has ended or was broken off (`urgent`: by an error or an abort): stop serving it. */
  detach(run: MapRun, urgent: boolean): Promise<void>;
}

/** How a map ended before its last result: the consumer gets `error` next (or, closed by its consumer, just stops). */
export interface Failure {
  error: unknown;
  /** `close()` was called: a `for await` loop ends, an `await` rejects with `error`. */
  closed: boolean;
}
