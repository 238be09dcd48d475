// What tinypool itself offers against mtl's transport contract, observed (not read from its docs):
// per-worker init state, crash reporting and respawn, batches, killing a running task, bad values.
// Usage: node bench/experiments/tinypool-contract.mjs
import { writeFileSync } from 'node:fs';
import Tinypool from 'tinypool';

const probe = new URL('../fixtures/tinypool-probe.mjs', import.meta.url).href;
const broken = new URL('../fixtures/tinypool-broken.mjs', import.meta.url).href;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t = () => performance.now();

/** How a task settled within `ms`: its value, its error, or 'still pending'. */
async function settle(promise, ms = 1500) {
  const start = t();
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ value }),
      (error) => ({ error: `${error?.name}: ${error?.message}` }),
    ),
    sleep(ms).then(() => ({ pending: `still pending after ${ms} ms` })),
  ]);
  return { ...outcome, afterMs: Math.round(t() - start) };
}

const lines = [];
const log = (line) => {
  console.log(line);
  lines.push(line);
};
const show = (label, value) => log(`${label}: ${JSON.stringify(value)}`);
const pools = [];
const pool = (options) => {
  const p = new Tinypool({ filename: probe, minThreads: 1, maxThreads: 1, ...options });
  p.on('error', (error) => show('   pool emitted error', `${error.name}: ${error.message}`));
  pools.push(p);
  return p;
};
const whoami = (p) => p.run({ kind: 'whoami' });

log(`tinypool ${Tinypool.version}, Node ${process.version}\n`);

log('(a) per-worker init args');
{
  const shared = pool({ minThreads: 2, maxThreads: 2, workerData: { args: 'same for all' } });
  const seen = await Promise.all(Array.from({ length: 20 }, () => whoami(shared)));
  const byThread = new Map();
  for (const s of seen) byThread.set(s.threadId, [s.workerId, s.workerData, (byThread.get(s.threadId)?.[2] ?? 0) + 1]);
  show(' one pool, 2 threads: per thread [workerId, workerData, tasks]', [...byThread.values()]);
  const perSlot = [0, 1].map((slot) => pool({ workerData: { slot } }));
  show(
    ' one pool per slot: workerData seen',
    (await Promise.all(perSlot.map(whoami))).map((s) => s.workerData),
  );
}

log('\n(b) a worker that dies');
{
  const p = pool({ workerData: { slot: 7 } });
  await whoami(p);
  const exitCodes = [];
  p.threads[0].on('exit', (code) => exitCodes.push(code));
  show(' process.exit(3) in a task', await settle(p.run({ kind: 'exit', code: 3 })));
  show('  thread exit codes seen on pool.threads[0]', exitCodes);
  show('  threads in the pool after it', p.threads.length);
  show('  next task', await settle(whoami(p)));

  const q = pool({ workerData: { slot: 8 }, concurrentTasksPerWorker: 2 });
  const first = await whoami(q);
  const thrower = q.run({ kind: 'throwLater' });
  const bystander = q.run({ kind: 'hang' });
  show(' uncaught error in the thread, 2 tasks on it: the one that threw', await settle(thrower));
  show('  the other task on that thread', await settle(bystander));
  const after = await settle(whoami(q));
  show('  next task (replacement worker?)', after);
  show('  same thread as before / state kept', [after.value?.threadId === first.threadId, after.value?.calls]);

  const b = new Tinypool({ filename: broken, minThreads: 1, maxThreads: 1 });
  b.on('error', (error) => show('   pool emitted error', `${error.name}: ${error.message}`));
  pools.push(b);
  show(' module that throws on load: first task', await settle(b.run({})));
  await sleep(100);
  show('  threads after it', b.threads.length);
  show('  second task', await settle(b.run({})));
  show(' destroy() of the pool whose thread called process.exit', await settle(p.destroy()));
}

log('\n(c) batches');
{
  const p = pool();
  const items = Array.from({ length: 64 }, (_, i) => i);
  const out = await p.run({ kind: 'batch', items });
  show(' 64 items in one run(): results', [out.length, out[63]]);
}

log('\n(d) killing a task that runs too long');
{
  const p = pool({ concurrentTasksPerWorker: 2 });
  const first = await whoami(p);
  show(
    ' spin 1000 ms with signal AbortSignal.timeout(100)',
    await settle(p.run({ kind: 'spin', ms: 1000 }, { signal: AbortSignal.timeout(100) })),
  );
  const next = await settle(whoami(p));
  show('  next task: new thread? state?', [next.value?.threadId !== first.threadId, next.value?.calls, next.afterMs]);
  const ends = async (options) => {
    const start = t();
    const end = () => Math.round(t() - start);
    return Promise.all([
      p.run({ kind: 'sleep', ms: 200 }, options).then(end),
      p.run({ kind: 'sleep', ms: 200 }, options).then(end),
    ]);
  };
  show('  two async 200 ms tasks, concurrentTasksPerWorker 2, no signal: ms to each end', await ends({}));
  show('  the same, each with a signal', await ends({ signal: new AbortController().signal }));
}

log('\n(between tasks) does a worker run its timers while it has no task?');
for (const useAtomics of [true, false]) {
  const p = pool({ useAtomics });
  await p.run({ kind: 'ticks', start: true });
  await sleep(500);
  show(` useAtomics ${useAtomics}: 10 ms interval ticks counted during 500 ms idle`, await p.run({ kind: 'ticks' }));
}

log('\n(bad values)');
{
  const p = pool();
  const first = await whoami(p);
  let thrown = 'no';
  let pending;
  try {
    pending = p.run({ kind: 'whoami', f: () => 1 });
  } catch (error) {
    thrown = `${error.name}: ${error.message}`;
  }
  show(' input that cannot be cloned: run() throws synchronously?', thrown);
  if (pending) show('  or the promise', await settle(pending));
  const unclonable = p.run({ kind: 'unclonable' });
  show(' result that cannot be cloned', await settle(unclonable));
  show('  the rejection value', String(await unclonable.catch((error) => error)));
  const next = await settle(whoami(p));
  show('  next task: new thread?', [next.value?.threadId !== first.threadId, next.value?.calls]);
}

await Promise.all(pools.map((p) => p.destroy().catch(() => {})));
writeFileSync(
  new URL('../results/tinypool-contract.txt', import.meta.url),
  `node bench/experiments/tinypool-contract.mjs\n${lines.join('\n')}\n`,
);
process.exit(0); // a pool left with a task that never settles would keep the process alive
