import type { ResolvedPoolOptions } from '../options/pool.js';
import type { Transport } from '../transport.js';

/**
 * The life of a slot (one worker place of a pool):
 *
 *   empty ──start──▶ starting ──ready──▶ ready ──maxTasksPerWorker reached──▶ retiring
 *                     ▲    │               │                                     │
 *                     │    └──── crash, time-out, failed construction ───────────┤
 *                     └──────────── replaced by a new worker ◀───────────────────┘
 *   (any) ──pool closes──▶ stopping ──exit──▶ dead
 *
 * `empty`: no worker yet (workers start when a map needs them). `retiring`: it finishes the batches it
 * holds, runs its `close()` and exits, and a new worker takes its place.
 */
export type SlotState = 'empty' | 'starting' | 'ready' | 'retiring' | 'stopping' | 'dead';

/** What a slot needs from its pool. `PoolCore` is the one implementation. */
export interface SlotHost {
  readonly transport: Transport;
  readonly options: ResolvedPoolOptions;
  /** Whether workers keep the process alive now. */
  readonly keepsAlive: boolean;
  /** No worker may start: the pool is closing or broken. */
  readonly stopped: boolean;
  /** A worker has room now (it is ready, or finished a batch): feed the workers. */
  dispatch(): void;
  /** The pool cannot go on (a spec that cannot load, a constructor that keeps failing). */
  break(error: Error): void;
}
