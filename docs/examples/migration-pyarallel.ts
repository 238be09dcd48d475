// The pyarallel section of migration-guide.md, run by the test suite. It fetches from a local
// service (service.mjs) that answers 503 twice for /flaky/ paths and 404 for /missing/ ones.
// Usage: npx tsx docs/examples/migration-pyarallel.ts
import { isException, pqdm } from '@mtl/threads';
import { startService } from './service.mjs';

const service = await startService();
const urls = ['items/1', 'flaky/2', 'items/3', 'missing/4'].map((path) => `${service.base}/${path}`);

// Sent to the workers as source text: it uses its argument and globals (fetch) only.
const getJson = async (url: string) => {
  const response = await fetch(url);
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return (await response.json()) as { id: number; name: string };
};

const progress: string[] = [];
const results = await pqdm(urls, getJson, {
  nJobs: 4, // workers=4
  rateLimit: { limit: 20, interval: 1000 }, // rate_limit=RateLimit(20, 'second')
  retry: {
    retries: 2, // attempts=3: the first and two more
    minTimeout: 100, // backoff=0.1 (seconds)
    shouldRetry: (error) => (error as Error & { status?: number }).status === 503, // retry_if=...
  },
  chunkSize: 8, // window_size=16 (batch_size before 0.8): at most 8 * 2 items ahead
  onProgress: (done, total) => progress.push(`${done}/${total}`), // on_progress=...
});
for (const [i, result] of results.entries()) {
  if (isException(result)) console.log(`${i}: failed: ${result.message}`);
  else console.log(`${i}: ${result.name}`);
}
console.log(`progress: ${progress.join(' ')}`);
await service.close();
