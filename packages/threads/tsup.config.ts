import { defineConfig } from 'tsup';
import { library, workerEntry } from '../../scripts/tsup-options.js';

export default defineConfig([library(['src/index.ts', 'src/worker.ts']), workerEntry('src/threads-worker.ts')]);
