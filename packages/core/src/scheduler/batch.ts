import type { MapRun } from './map-run.js';

let lastId = 0;

/** Items sent to a worker in one message. Items of a batch have consecutive input indices. */
export class Batch {
  /** Unique across pools, so that a reply can never be matched to the wrong batch. */
  readonly id = ++lastId;
  /** When it was handed to the transport (performance.now()); 0 until it is sent. */
  sentAt = 0;
  /** Time the parent spent copying it into its message. */
  copyMs = 0;
  /** When the worker said it started (0 until then). */
  startedAt = 0;
  /** The worker it was sent to (-1 until it is sent). */
  workerIndex = -1;
  /** Until the worker says it started: the unresponsive-worker timer; then the `taskTimeout` one. */
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly run: MapRun,
    /** The input index of the first item. */
    readonly start: number,
    readonly items: unknown[],
    /** Re-run alone after a crash, to find which item brought its worker down. */
    readonly suspect: boolean,
    /** `limits`: the labels of its (one) item, counted as running while the batch is out. */
    readonly labels?: readonly string[],
    /** `checkpoint`: the keys of its items. */
    readonly keys?: string[],
  ) {}
}
