// The retry examples of docs/retries-and-pacing.md: retry, onResult and pool.run, against a local
// service that fails on purpose (service.mjs).
// Usage: node docs/examples/retries.mjs
import { isException, Pool, pqdm, TaskTimeoutError } from '@mtl/threads';
import { startService } from './service.mjs';

const service = await startService();
const { base } = service;

// Sent to the workers as source text: it uses its argument and globals (fetch) only.
const getJson = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response.json();
};

// 1. A policy of your own: a 503 or a time-out is tried again, a 404 is not.
const paths = ['items/0', 'flaky/1', 'items/2', 'missing/3', 'stuck/4', 'items/5'];
const attempts = [];
const results = await pqdm(
  paths.map((path) => `${base}/${path}`),
  getJson,
  {
    nJobs: 2,
    taskTimeout: 1000,
    retry: {
      retries: 2,
      minTimeout: 100,
      shouldRetry: (error) => error.status === 503 || error instanceof TaskTimeoutError,
    },
    onResult: (event) => {
      attempts[event.index] = event.attempts;
    },
  },
);
for (const [i, result] of results.entries()) {
  if (isException(result)) console.log(`${paths[i]}: ${result.message} (attempts: ${result.attempts})`);
  else console.log(`${paths[i]}: ${result.name} (attempts: ${attempts[i]})`);
}

// 2. The default shouldRetry: every error the task threw is tried again; a crash is not.
const retry = { retries: 2, minTimeout: 50 };
const [missing] = await pqdm([`${base}/missing/6`], getJson, { nJobs: 2, retry });
console.log(`a 404, default policy: ${missing.message} (attempts: ${missing.attempts})`);
const [crashed] = await pqdm([1], () => process.exit(1), { nJobs: 2, retry });
console.log(`a crash, default policy: ${crashed.name} (attempts: ${crashed.attempts})`);

// 3. pool.run: one item, started at once; its promise rejects when the item fails.
const pool = new Pool(getJson, { nJobs: 2 });
try {
  const seven = pool.run(`${base}/items/7`); // already running while the next line starts another
  const eight = pool.run(`${base}/flaky/8`, { retry: { retries: 2, minTimeout: 50 } });
  console.log(`pool.run: ${(await seven).name}, ${(await eight).name}`);
  await pool.run(`${base}/missing/9`).catch((error) => console.log(`pool.run rejected: ${error.message}`));
} finally {
  await pool.close();
}
await service.close();
