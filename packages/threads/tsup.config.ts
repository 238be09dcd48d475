import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    shims: true,
  },
  {
    // One worker entry, ESM, started by both the ESM and the CJS build.
    entry: ['src/threads-worker.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
