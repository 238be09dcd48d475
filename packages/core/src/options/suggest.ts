/** Python spellings and other habits, mapped to what mtl calls them (as code to write). */
const aliases: Record<string, string> = Object.assign(Object.create(null), {
  njobs: 'nJobs',
  isunordered: 'ordered: false',
  unordered: 'ordered: false',
  exceptionbehavior: 'exceptionBehaviour',
  concurrency: 'nJobs',
  maxworkers: 'nJobs',
  maxthreads: 'nJobs',
  processes: 'nJobs',
  tqdmclass: 'progress',
  timeout: 'taskTimeout',
  // Python's chunksize is the items per message: mtasklite's chunkSize is the window.
  chunksize: 'batchSize',
  maxtasksperchild: 'maxTasksPerWorker',
  workers: 'nJobs',
  windowsize: 'chunkSize',
  // p-retry's `retries` counts the tries after the first; pyarallel's `attempts` counts them all.
  attempts: 'retries',
  // tqdm's bar arguments are bar options here.
  unit: 'progress: { unit }',
  barformat: 'progress: { format }',
});

const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
};

const squash = (name: string) => name.replace(/[_-]/g, '').toLowerCase();

/** The known option nearest to an unknown one (as code to write), if any is near. */
export function suggestOption(unknown: string, known: readonly string[]): string | undefined {
  const key = squash(unknown);
  const same = known.find((name) => squash(name) === key);
  // A snake_case or kebab-case spelling of a known name is that name, before any alias: mtasklite's
  // chunk_size is chunkSize, where Python's chunksize (one word) is batchSize.
  if (same && /[_-]/.test(unknown)) return same;
  if (aliases[key]) return aliases[key];
  if (same) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const distance = editDistance(key, squash(name));
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** Throws a TypeError naming the first unknown key, with the nearest known name. */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = suggestOption(key, known);
    throw new TypeError(
      `${where}: unknown option \`${key}\`${hint ? `; did you mean \`${hint}\`?` : '.'} Known options: ${known.join(', ')}.`,
    );
  }
}
