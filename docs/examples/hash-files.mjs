// Hashes every file under a folder, as `sha256sum` would, with one Hasher per worker.
// Usage: node docs/examples/hash-files.mjs <folder> [algorithm]
import { opendir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { delayedInit, isException, pqdm } from '@mtl/threads';

const [folder = '.', algorithm = 'sha256'] = process.argv.slice(2);

/** Every file under `dir`, depth first, as it is found: the map starts before the walk ends. */
async function* filesUnder(dir) {
  for await (const entry of await opendir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

const Hasher = delayedInit(new URL('./hasher.mjs', import.meta.url), 'Hasher');

for await (const result of pqdm(filesUnder(folder), Hasher(algorithm), { nJobs: 2, desc: 'files' })) {
  if (isException(result)) console.error(`${result.message} (item ${result.index})`);
  else console.log(`${result.digest}  ${relative(folder, result.path)}`);
}
