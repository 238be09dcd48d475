// The scheduler (PoolCore, MapRun, PqdmResult) against the in-memory FakeTransport: the real worker
// runtime, no threads or processes, and faults on demand.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskTimeoutError, WorkerCrashedError } from '../../src/errors/classes.js';
import type { ToWorker } from '../../src/protocol.js';
import { type FakeTransport, type FakeTransportOptions, fakeBackend, until } from './fake-transport.js';
import { seeded } from './random.js';

// Worker functions travel as source text: they must be self-contained.
const double = (x: number) => x * 2;
const identity = (x: unknown) => x;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const holds = (item: number) => (msg: ToWorker) => msg.type === 'run' && msg.items.includes(item);

/** Each test takes well under a second: a hang (a result that never comes) fails in 10 s, not 30. */
const quick = { timeout: 10_000 };

const transports: FakeTransport[] = [];
const backend = (options?: FakeTransportOptions) => {
  const made = fakeBackend(options);
  transports.push(made.transport);
  return made;
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  // Nothing the scheduler did while handling a message threw (a test that expects it takes the errors out).
  for (const transport of transports.splice(0)) expect(transport.errors).toEqual([]);
});

/** How many times each item was sent to a worker. */
const timesSent = (transport: FakeTransport) => {
  const counts = new Map<unknown, number>();
  for (const worker of transport.workers)
    for (const item of worker.items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

describe('scheduler: order', quick, () => {
  it('ordered: results come in input order although replies arrive out of order', async () => {
    const random = seeded(11);
    const { transport, pqdm } = backend({ onReply: () => ({ delayMs: Math.floor(random() * 4) }) });
    const xs = range(200);
    const seen: unknown[] = [];
    for await (const y of pqdm(xs, double, { nJobs: 3, batchSize: 4 })) seen.push(y);
    expect(seen).toEqual(xs.map(double));
    // The replies did come out of order: the reorder buffer had work to do.
    expect(transport.delivered.flatMap((reply) => reply.values)).not.toEqual(seen);
  });

  it('ordered: false yields results in the order their replies arrive', async () => {
    const random = seeded(12);
    const { transport, pqdm } = backend({ onReply: () => ({ delayMs: Math.floor(random() * 4) }) });
    const xs = range(200);
    const out = await pqdm(xs, double, { nJobs: 3, batchSize: 4, ordered: false });
    expect(out).toEqual(transport.delivered.flatMap((reply) => reply.values));
    expect(out).not.toEqual(xs.map(double));
    expect([...(out as number[])].sort((a, b) => a - b)).toEqual(xs.map(double));
  });

  it('several maps on one Pool share its workers, each getting its own results in order', async () => {
    const { transport, Pool } = backend();
    const pool = new Pool(double, { nJobs: 2 });
    const [a, b, c] = await Promise.all([pool.map(range(500)), pool.map([7, 8]), pool.map(range(300).reverse())]);
    expect(a).toEqual(range(500).map(double));
    expect(b).toEqual([14, 16]);
    expect(c).toEqual(range(300).reverse().map(double));
    expect(transport.workers).toHaveLength(2);
    await pool.close();
    expect(transport.live).toBe(0);
  });
});

describe('scheduler: the bounded window', quick, () => {
  /** Maps over a counted input with a slow consumer; returns the most inputs ever pulled ahead of those handed over. */
  const mostAhead = async (asyncInput: boolean, ordered: boolean, take: number) => {
    const random = seeded(asyncInput ? 21 : 22);
    const { pqdm } = backend({ onReply: () => ({ delayMs: Math.floor(random() * 3) }) });
    let pulled = 0;
    let handed = 0;
    let most = 0;
    const pull = (i: number) => {
      pulled++;
      most = Math.max(most, pulled - handed);
      return i;
    };
    function* naturals() {
      for (let i = 0; ; i++) yield pull(i);
    }
    async function* asyncNaturals() {
      for (let i = 0; ; i++) yield pull(i);
    }
    const out = pqdm(asyncInput ? asyncNaturals() : naturals(), double, {
      nJobs: 2,
      chunkSize: 4,
      chunkPrefillRatio: 2,
      ordered,
      // Called as each result is handed over, before the consumer's loop sees it.
      onProgress: (done) => {
        handed = done;
      },
    });
    let taken = 0;
    for await (const _ of out) {
      await tick(); // a slow consumer: the workers have time to fill the window
      if (++taken === take) break;
    }
    return most;
  };

  it.each([
    ['a sync', true],
    ['a sync', false],
    ['an async', true],
    ['an async', false],
  ] as const)(
    'never pulls more than chunkSize × chunkPrefillRatio ahead of the consumer (%s input, ordered: %s)',
    async (input, ordered) => {
      // The bound is reached (the consumer is slow) and never passed.
      expect(await mostAhead(input === 'an async', ordered, 60)).toBe(8);
    },
  );

  it('reads nothing from the input before the first next(), and stops reading at break', async () => {
    const { pqdm } = backend();
    let pulled = 0;
    let released = false;
    function* naturals() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        released = true;
      }
    }
    const out = pqdm(naturals(), double, { nJobs: 2 });
    for (let i = 0; i < 20; i++) await tick();
    expect(pulled).toBe(0);
    for await (const y of out) if (y === 20) break;
    expect(released).toBe(true);
  });
});

describe('scheduler: crashes and retirement', quick, () => {
  it('a crash in a batch runs the other items of that batch again, and fails only the culprit', async () => {
    const { transport, pqdm } = backend({ crashOn: holds(13) });
    const out = await pqdm(range(40), double, { nJobs: 2, batchSize: 8 });
    const crash = out[13] as unknown as WorkerCrashedError;
    expect(crash).toBeInstanceOf(WorkerCrashedError);
    expect(crash.index).toBe(13);
    expect(crash.exitCode).toBe(1);
    expect(crash.message).toMatch(/^worker [01] exited with code 1 while running this item$/);
    expect(out.filter((_, i) => i !== 13)).toEqual(
      range(40)
        .filter((i) => i !== 13)
        .map(double),
    );
    // Items 8..15 went out in one batch, which crashed; each ran again alone: 13 crashed again, alone.
    const sent = timesSent(transport);
    for (const i of range(40)) expect(sent.get(i), `item ${i}`).toBe(i >= 8 && i < 16 ? 2 : 1);
    expect(transport.workers.filter((worker) => worker.ended === 'crashed')).toHaveLength(2);
  });

  it('a crash while a worker holds batches of many cheap items fails that one item only', async () => {
    const { pqdm } = backend({ crashOn: holds(1500) });
    const out = await pqdm(range(3000), double, { nJobs: 2 });
    expect(out[1500]).toBeInstanceOf(WorkerCrashedError);
    expect(out.filter((_, i) => i !== 1500)).toEqual(
      range(3000)
        .filter((i) => i !== 1500)
        .map(double),
    );
  });

  it('maxTasksPerWorker: each worker runs at most that many items, then stops by itself; a crash fails its item only', async () => {
    const { transport, pqdm } = backend({ crashOn: holds(3) });
    const out = await pqdm(range(8), double, { nJobs: 2, maxTasksPerWorker: 1 });
    expect(out[3]).toBeInstanceOf(WorkerCrashedError);
    expect(out.filter((_, i) => i !== 3)).toEqual([0, 1, 2, 4, 5, 6, 7].map(double));
    for (const worker of transport.workers) expect(worker.items.length).toBeLessThanOrEqual(1);
    // Item 3 went alone (one task per worker), so its crash names it at once: one crash, no re-run.
    expect(transport.workers.filter((worker) => worker.ended === 'crashed')).toHaveLength(1);
    for (const worker of transport.workers.filter((w) => w.ended !== 'crashed')) {
      expect(worker.ended).toBe('exit');
      expect(worker.received.at(-1)).toEqual({ type: 'stop' });
    }

    const three = backend();
    expect(await three.pqdm(range(20), double, { nJobs: 2, maxTasksPerWorker: 3 })).toEqual(range(20).map(double));
    for (const worker of three.transport.workers) expect(worker.items.length).toBeLessThanOrEqual(3);
    expect(three.transport.workers.length).toBeGreaterThanOrEqual(Math.ceil(20 / 3));
  });

  it('a worker that exits while it is being built, three times in a row, ends the map', async () => {
    const { transport, pqdm } = backend({ crashOn: (msg) => msg.type === 'init' });
    await expect(pqdm([1, 2, 3], double, { nJobs: 2 })).rejects.toThrow(
      /^worker [01] exited with code 1 while it was being built, 3 times in a row$/,
    );
    expect(transport.live).toBe(0);
  });

  it('a reply that never comes fails its item after taskTimeout; the worker is killed and replaced', async () => {
    const { transport, pqdm } = backend({ onReply: (reply) => (reply.values[0] === double(2) ? 'drop' : undefined) });
    const out = await pqdm(range(6), double, { nJobs: 2, taskTimeout: 50 });
    expect(out[2]).toBeInstanceOf(TaskTimeoutError);
    expect((out[2] as unknown as TaskTimeoutError).index).toBe(2);
    expect(out.filter((_, i) => i !== 2)).toEqual([0, 1, 3, 4, 5].map(double));
    expect(transport.workers.filter((worker) => worker.ended === 'killed')).toHaveLength(1);
  });

  it('an item that cannot be sent fails alone; the rest of its batch runs', async () => {
    const { pqdm } = backend();
    const out = await pqdm([1, () => 2, 3, 4], identity, { nJobs: 2, batchSize: 4 });
    expect([out[0], out[2], out[3]]).toEqual([1, 3, 4]);
    expect(out[1]).toBeInstanceOf(TypeError);
    expect((out[1] as Error).message).toMatch(/^item 1 cannot be sent to a worker: /);
  });
});

describe('scheduler: replies the protocol does not allow', quick, () => {
  it('a reply for a batch the worker is not running throws under MTL_STRICT_PROTOCOL (set for the tests)', async () => {
    expect(process.env.MTL_STRICT_PROTOCOL).toBeTruthy();
    let first = true;
    const { transport, pqdm } = backend({
      onReply: () => {
        if (!first) return undefined;
        first = false;
        return 'misnumber';
      },
    });
    const out = pqdm([1, 2, 3], double, { nJobs: 2, batchSize: 1 });
    const settled = out.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await until(() => transport.errors.length > 0);
    const [error] = transport.errors.splice(0);
    expect((error as Error).message).toMatch(
      /^mtl: worker [01] sent a reply for batch \d+, which it was not running; it is replaced and its items run again$/,
    );
    // The real reply never came: only close() ends the map.
    await out.close();
    expect(await settled).toMatchObject({ code: 'ERR_MTL_CLOSED' });
  });

  it.each(['misnumber', 'duplicate'] as const)(
    'without it, a %s reply is a warning: the worker is replaced and every item still gets its result once',
    async (fault) => {
      vi.stubEnv('MTL_STRICT_PROTOCOL', '');
      const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      let faults = 0;
      const { transport, pqdm } = backend({ onReply: () => (faults++ < 2 ? fault : undefined) });
      const out = await pqdm(range(50), double, { nJobs: 2, batchSize: 5 });
      expect(out).toEqual(range(50).map(double));
      expect(warnings).toHaveBeenCalledWith(expect.stringMatching(/which it was not running/), {
        code: 'MTL_PROTOCOL',
      });
      expect(transport.workers.filter((worker) => worker.ended === 'killed').length).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('scheduler: closing', quick, () => {
  it('close() settles a consumer awaiting every result: the await rejects with ERR_MTL_CLOSED', async () => {
    // Replies for items from 5 on never come: without close(), the await would wait for ever.
    const { transport, pqdm } = backend({
      onReply: (reply) => ((reply.values[0] as number) >= double(5) ? 'drop' : undefined),
    });
    const out = pqdm(range(20), double, { nJobs: 2, batchSize: 1 });
    const settled = out.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await until(() => transport.delivered.length >= 5);
    await out.close();
    const error = await settled;
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'ERR_MTL_CLOSED' });
    expect((error as Error).message).toMatch(/the map was closed \(close\(\) was called\)/);
    expect(transport.live).toBe(0);
  });

  it('close() ends a for await loop that waits for a result that does not come', async () => {
    const { transport, pqdm } = backend({
      onReply: (reply) => ((reply.values[0] as number) >= double(1) ? 'drop' : undefined),
    });
    const out = pqdm(range(20), double, { nJobs: 2, batchSize: 1 });
    const iterator = out[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    const waiting = iterator.next();
    await tick();
    await out.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(transport.live).toBe(0);
  });

  it('a worker that does not stop when asked is killed after closeTimeout', async () => {
    const { transport, Pool } = backend({ ignoreStop: true });
    const pool = new Pool(double, { nJobs: 2, closeTimeout: 30 });
    expect(await pool.map(range(10))).toEqual(range(10).map(double));
    await pool.close();
    expect(transport.workers.map((worker) => worker.ended)).toEqual(['killed', 'killed']);
    expect(transport.closed).toBe(true);
  });

  it('closing a Pool fails the maps still running on it, and later maps', async () => {
    const { Pool } = backend({ onReply: () => 'drop' });
    const pool = new Pool(double, { nJobs: 2 });
    const running = pool.map(range(5)).then(
      () => 'resolved',
      (error: unknown) => (error as Error).message,
    );
    await tick();
    await pool.close();
    expect(await running).toBe('the pool was closed while this map was running');
    await expect(pool.map([1])).rejects.toThrow('the pool is closed; create a new Pool to run more maps');
  });
});

describe('scheduler: workers', quick, () => {
  it('start when a map is created, only as many as a sized input has items', async () => {
    const { transport, pqdm } = backend();
    const out = pqdm([1, 2, 3], double, { nJobs: 8 });
    expect(transport.workers).toHaveLength(3);
    expect(await out).toEqual([2, 4, 6]);
    expect(transport.workers).toHaveLength(3);
    expect(await pqdm([], double, { nJobs: 8 })).toEqual([]);
    expect(transport.workers).toHaveLength(3);
  });

  it('a Pool starts none until a map needs them, then as many as that map can use', async () => {
    const { transport, Pool } = backend();
    const pool = new Pool(double, { nJobs: 4 });
    expect(transport.workers).toHaveLength(0);
    expect(await pool.map([1])).toEqual([2]);
    expect(transport.workers).toHaveLength(1);
    function* unsized() {
      yield* range(10);
    }
    expect(await pool.map(unsized())).toEqual(range(10).map(double));
    expect(transport.workers).toHaveLength(4);
    await pool.close();
  });

  it('keep the process alive only while a map is being consumed', async () => {
    const { transport, Pool } = backend();
    const pool = new Pool(double, { nJobs: 2 });
    const out = pool.map(range(10));
    expect(transport.workers).toHaveLength(2);
    expect(transport.workers.map((worker) => worker.refd)).toEqual([false, false]);
    const iterator = out[Symbol.asyncIterator]();
    await iterator.next();
    expect(transport.workers.map((worker) => worker.refd)).toEqual([true, true]);
    while (!(await iterator.next()).done);
    expect(transport.workers.map((worker) => worker.refd)).toEqual([false, false]);
    await pool.close();
  });
});

describe('scheduler: cost per item', () => {
  /** Maps `n` trivial items on a fresh pool, collected with await or streamed with for await. */
  const map = async (n: number, stream: boolean) => {
    const { pqdm } = backend();
    const xs = range(n);
    let count = 0;
    if (stream) for await (const _ of pqdm(xs, identity, { nJobs: 2 })) count++;
    else count = (await pqdm(xs, identity, { nJobs: 2 })).length;
    expect(count).toBe(n);
  };

  /** The best of three timings (ms) of `times` maps of `n` items, one after the other. */
  const timed = async (n: number, times: number, stream: boolean) => {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      for (let k = 0; k < times; k++) await map(n, stream);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };

  // In the spirit of p-map's: linear would be 10×, quadratic 100×; no absolute time is asserted. The
  // time of one 10,000-item map is that of ten in a row, divided by ten: each measured stretch is
  // then as long as the one 100,000-item map, and as exposed to whatever else runs on the machine.
  it.each([
    ['collected with await', false],
    ['streamed with for await', true],
  ])('100,000 items take well under 30× the time of 10,000 (%s)', async (_, stream) => {
    await timed(100_000, 1, stream); // warm up
    const small = (await timed(10_000, 10, stream)) / 10;
    const large = await timed(100_000, 1, stream);
    expect(large / small).toBeLessThan(30);
  });
});
