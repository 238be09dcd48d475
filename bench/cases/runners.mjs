// Every runner of the suite behind one small interface. `runners[name]()` imports the library and
// resolves to `make(options)`, which constructs the pool at once (its workers start) and returns
//   { map(xs, onFirst?) → Promise<results>, stream(iterable) → AsyncIterable<result>, close() }.
// options: { task, jobs, initMs (stateful start-up), window (per-task pools), batch and inflight (raw),
// serialization (forks) }.
import { fileURLToPath } from 'node:url';
import { fixtures, functions } from './tasks.mjs';

const fixture = (name) => new URL(`../fixtures/${name}.mjs`, import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Payloads need structured clone on a fork (json turns a Float64Array into an object). */
const forkSerialization = (task) => (task === 'ta' || task === 'obj' ? 'advanced' : undefined);

/** Calls `onFirst`, then passes the value on. (Not `.finally`: workerpool's own `finally` never settles here.) */
const first = (onFirst) => (value) => {
  onFirst();
  return value;
};

/** Runs `xs` through `run(x)` with at most `window` calls in flight (0: all at once). */
async function feed(run, xs, window) {
  if (!window) return Promise.all(xs.map((x) => run(x)));
  const out = new Array(xs.length);
  let next = 0;
  const lane = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await run(xs[i]);
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return out;
}

/** A pool with one call per task (piscina, tinypool, workerpool), fed at most `window` tasks at a time. */
function perTask(run, close, { window = 0 }, pMapIterable) {
  return {
    map: (xs, onFirst) => feed(onFirst ? (x) => Promise.resolve(run(x)).then(first(onFirst)) : run, xs, window),
    stream: (iterable) => pMapIterable(iterable, run, { concurrency: window || 64 }),
    close,
  };
}

/** The stateful worker of mtl: an async factory that takes `ms` to build, then squares. */
const slowFactory = async (ms) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (x) => x * x;
};

/** `inThread`: `nJobs: 1`, where the map runs in this thread with no worker at all. */
const mtl =
  (backend, inThread = false) =>
  async () => {
    const { Pool, delayedInit, transfer } = await import(backend === 'threads' ? '@mtl/threads' : '@mtl/processes');
    return ({ task, jobs, initMs, move }) => {
      const worker = initMs ? delayedInit(slowFactory)(initMs) : functions[task];
      const pool = new Pool(worker, { nJobs: inThread ? 1 : jobs, disable: true });
      const moved = (xs) => (move ? xs.map((x) => transfer(x)) : xs);
      return {
        map: (xs, onFirst) => pool.map(moved(xs), onFirst && { onProgress: (done) => done === 1 && onFirst() }),
        stream: (iterable) => pool.map(iterable),
        close: () => pool.close(),
      };
    };
  };

const piscina = async () => {
  const [{ Piscina }, { pMapIterable }] = await Promise.all([import('piscina'), import('p-map')]);
  return (o) => {
    const filename = fixture(o.initMs ? 'slow-init' : fixtures[o.task]).href;
    const pool = new Piscina({ filename, minThreads: o.jobs, maxThreads: o.jobs, idleTimeout: 60_000 });
    return perTask(
      (x) => pool.run(o.move ? Piscina.move(x) : x),
      () => pool.destroy(),
      o,
      pMapIterable,
    );
  };
};

const tinypool = (runtime) => async () => {
  const [{ default: Tinypool }, { pMapIterable }] = await Promise.all([import('tinypool'), import('p-map')]);
  return (o) => {
    const filename = fixture(o.initMs ? 'slow-init' : fixtures[o.task]).href;
    const pool = new Tinypool({
      filename,
      runtime,
      minThreads: o.jobs,
      maxThreads: o.jobs,
      idleTimeout: 60_000,
      serialization: forkSerialization(o.task),
    });
    return perTask(
      (x) => pool.run(x),
      () => pool.destroy(),
      o,
      pMapIterable,
    );
  };
};

const workerpool = (workerType) => async () => {
  const [{ default: wp }, { pMapIterable }] = await Promise.all([import('workerpool'), import('p-map')]);
  return (o) => {
    const pool = wp.pool(fileURLToPath(fixture('workerpool-worker')), {
      minWorkers: o.jobs,
      maxWorkers: o.jobs,
      workerType,
      forkOpts: { serialization: forkSerialization(o.task) },
    });
    const method = o.initMs ? 'square' : fixtures[o.task];
    return perTask(
      (x) => pool.exec(method, [x]),
      () => pool.terminate(),
      o,
      pMapIterable,
    );
  };
};

/** p-map: no workers, the functions run in this thread (`initMs`: one construction, here). */
const pMap = async () => {
  const { default: map, pMapIterable } = await import('p-map');
  return ({ task, jobs, initMs }) => {
    const fn = initMs ? functions.trivial : functions[task];
    const built = initMs ? sleep(initMs) : Promise.resolve();
    return {
      map: async (xs, onFirst) => {
        await built;
        const call = (x) => {
          const y = fn(x);
          onFirst();
          return y;
        };
        return map(xs, onFirst ? call : fn, { concurrency: jobs });
      },
      stream: (iterable) => pMapIterable(iterable, fn, { concurrency: jobs }),
      close: async () => {},
    };
  };
};

/** One bare endpoint (worker thread or forked child) running fixtures/raw-endpoint.mjs. */
async function endpoint(kind, task, serialization) {
  const file = fixture('raw-endpoint');
  const args = [task];
  if (kind === 'threads') {
    const { Worker } = await import('node:worker_threads');
    return () => {
      const worker = new Worker(file, { argv: args });
      return {
        on: (f) => worker.on('message', f),
        send: (m, transfer) => worker.postMessage(m, transfer),
        kill: () => worker.terminate(),
      };
    };
  }
  const { fork } = await import('node:child_process');
  return () => {
    const child = fork(fileURLToPath(file), args, { serialization });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    return {
      on: (f) => child.on('message', f),
      send: (m) => child.send(m),
      kill: () => {
        child.kill();
        return exited;
      },
    };
  };
}

/**
 * The raw floor: no pool, `batch` items per message, `inflight` messages outstanding per worker, each
 * worker sent its next message as soon as it answers one. What a pool's messaging can reach at best.
 */
const raw = (kind) => async () => {
  let start;
  return (o) => {
    const { jobs, batch = 1, inflight = 2 } = o;
    const task = o.initMs ? 'trivial' : o.task;
    start ??= endpoint(kind, fixtures[task], o.serialization ?? forkSerialization(task) ?? 'advanced');
    const workers = Array.from({ length: jobs }, () => {
      const w = { handler: undefined };
      w.ready = start.then((spawn) => {
        Object.assign(w, spawn());
        return new Promise((resolve) => w.on((msg) => (msg.ready ? resolve() : w.handler(msg))));
      });
      return w;
    });
    return {
      map: (xs, onFirst) =>
        new Promise((resolve) => {
          const results = new Array(xs.length);
          let next = 0;
          let done = 0;
          for (const w of workers) {
            const pump = () => {
              if (next >= xs.length) return;
              const end = Math.min(next + batch, xs.length);
              const x = batch === 1 ? xs[next] : xs.slice(next, end);
              w.send({ id: next, x }, o.move ? (batch === 1 ? [x.buffer] : x.map((a) => a.buffer)) : undefined);
              next = end;
            };
            w.handler = ({ id, r }) => {
              if (batch === 1) results[id] = r;
              else for (let k = 0; k < r.length; k++) results[id + k] = r[k];
              done += batch === 1 ? 1 : r.length;
              onFirst?.();
              if (done === xs.length) resolve(results);
              else pump();
            };
            void w.ready.then(() => {
              for (let k = 0; k < inflight; k++) pump();
            });
          }
        }),
      stream: () => {
        throw new Error('the raw floor has no streaming mode');
      },
      close: () => Promise.all(workers.map((w) => w.ready.then(() => w.kill()))),
    };
  };
};

export const runners = {
  'mtl-threads': mtl('threads'),
  'mtl-processes': mtl('processes'),
  'mtl-in-thread': mtl('threads', true),
  piscina,
  'tinypool-threads': tinypool('worker_threads'),
  'tinypool-processes': tinypool('child_process'),
  'workerpool-threads': workerpool('thread'),
  'workerpool-processes': workerpool('process'),
  'p-map': pMap,
  'raw-threads': raw('threads'),
  'raw-fork': raw('fork'),
};
