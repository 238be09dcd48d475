import { defineConfig } from 'tsup';
import { library, workerEntry } from '../../scripts/tsup-options.js';

export default defineConfig([
  library(['src/index.ts', 'src/worker.ts']),
  // The `mtl-worker` bin, which a launcher starts on the worker's host: it runs wherever this file is
  // (a shared file system, or a copy in the same place on each host).
  workerEntry('src/mtl-worker.ts', { banner: { js: '#!/usr/bin/env node' } }),
]);
