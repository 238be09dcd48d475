// A Transport with no threads or processes: each worker is the real worker runtime (runWorker) in this
// thread, over an in-memory endpoint. Messages are structured-cloned both ways (as a worker thread's
// channel does: a value that cannot be cloned throws at send) and hop through setImmediate. The test
// steers it: crash a worker on a batch, hold a reply back, drop it, send it twice, or with a wrong id.
import { defineBackend } from '../../src/api/define-backend.js';
import { cloneProbe } from '../../src/probes.js';
import type { DoneMessage, FromWorker, ToWorker } from '../../src/protocol.js';
import { runWorker } from '../../src/runtime/loop.js';
import type { Transport, WorkerEvents, WorkerExit, WorkerHandle } from '../../src/transport.js';

/** What happens to a worker's reply on its way to the scheduler. */
export type ReplyFault = 'drop' | 'duplicate' | 'misnumber' | { delayMs: number };

/** One worker the fake started, as the test sees it. */
export interface FakeWorker {
  readonly slot: number;
  /** 0 for the first worker the transport started, then 1, 2, ... */
  readonly id: number;
  /** Every message the scheduler sent it, in order. */
  readonly received: ToWorker[];
  /** The items of every batch it received, in order. */
  readonly items: unknown[];
  alive: boolean;
  /** Whether it keeps the process alive (the scheduler's last `ref` call). */
  refd: boolean;
  /** How it ended: `exit` (it said `closed` and exited), `killed` or `crashed`. */
  ended: 'exit' | 'killed' | 'crashed' | undefined;
}

export interface FakeTransportOptions {
  /** Called as each message reaches a worker: true makes the worker crash then (exit code 1), before it acts on it. */
  crashOn?: (msg: ToWorker, worker: FakeWorker) => boolean;
  /** Called for each reply (`done`) a worker sends: what to do to it on the way. */
  onReply?: (msg: DoneMessage, worker: FakeWorker) => ReplyFault | undefined;
  /** The worker does not act on `stop` (it is stuck): only `kill` ends it. */
  ignoreStop?: boolean;
}

export class FakeTransport implements Transport {
  readonly name = 'fake';
  readonly canSend = cloneProbe;
  readonly workers: FakeWorker[] = [];
  /** Errors the scheduler threw while handling a message (a protocol error in strict mode). */
  readonly errors: unknown[] = [];
  /** Replies in the order the scheduler received them. */
  readonly delivered: DoneMessage[] = [];
  closed = false;

  constructor(readonly options: FakeTransportOptions = {}) {}

  /** Workers alive now. */
  get live(): number {
    return this.workers.filter((worker) => worker.alive).length;
  }

  start(slot: number, events: WorkerEvents): WorkerHandle {
    const worker: FakeWorker = {
      slot,
      id: this.workers.length,
      received: [],
      items: [],
      alive: true,
      refd: false,
      ended: undefined,
    };
    this.workers.push(worker);
    const { crashOn, onReply, ignoreStop } = this.options;
    let toWorker: ((msg: ToWorker) => void) | undefined;
    let exited: () => void = () => {};
    const exitPromise = new Promise<void>((resolve) => {
      exited = resolve;
    });

    // A worker that crashed or was killed says nothing more, even what it had sent and was under way.
    let silenced = false;
    const end = (how: NonNullable<FakeWorker['ended']>, exit: WorkerExit) => {
      if (!worker.alive) return;
      worker.alive = false;
      worker.ended = how;
      silenced = how !== 'exit';
      setImmediate(() => {
        this.#deliver(() => events.exit(exit));
        exited();
      });
    };

    const toScheduler = (msg: FromWorker) => {
      if (silenced) return;
      this.#deliver(() => {
        if (msg.type === 'done') this.delivered.push(msg);
        events.message(msg);
      });
    };

    runWorker({
      post: (msg) => {
        const copy = structuredClone(msg);
        const fault = copy.type === 'done' ? onReply?.(copy, worker) : undefined;
        if (fault === 'drop') return;
        if (typeof fault === 'object') {
          setTimeout(() => toScheduler(copy), fault.delayMs);
          return;
        }
        if (fault === 'misnumber' && copy.type === 'done') copy.batch += 1_000_000;
        setImmediate(() => toScheduler(copy));
        if (fault === 'duplicate') setImmediate(() => toScheduler(structuredClone(copy)));
      },
      onMessage: (handler) => {
        toWorker = handler;
      },
      canSend: cloneProbe,
      exit: () => end('exit', { code: 0, signal: null }),
    });

    return {
      send: (msg) => {
        const copy = structuredClone(msg);
        setImmediate(() => {
          if (!worker.alive) return;
          worker.received.push(copy);
          if (copy.type === 'run') worker.items.push(...copy.items);
          if (crashOn?.(copy, worker)) {
            end('crashed', { code: 1, signal: null });
            return;
          }
          if (copy.type === 'stop' && ignoreStop) return;
          toWorker?.(copy);
        });
      },
      kill: () => {
        end('killed', { code: 1, signal: null });
        return exitPromise;
      },
      ref: (keep) => {
        worker.refd = keep;
      },
    };
  }

  close(): void {
    this.closed = true;
  }

  /** Runs a scheduler callback; what it throws is kept for the test instead of escaping as an uncaught error. */
  #deliver(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.errors.push(error);
    }
  }
}

/** `pqdm` and `Pool` bound to a fake transport, and the transport, to steer and inspect. */
export function fakeBackend(options: FakeTransportOptions = {}) {
  const transport = new FakeTransport(options);
  const backend = defineBackend({ name: 'fake', optionNames: [], createTransport: () => transport });
  return { transport, ...backend };
}

/** Waits for `condition`, a macrotask at a time; fails after `ms`. */
export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
