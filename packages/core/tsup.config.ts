import { defineConfig } from 'tsup';
import { library } from '../../scripts/tsup-options.js';

export default defineConfig(library(['src/index.ts', 'src/backend.ts', 'src/runtime.ts', 'src/worker.ts']));
