import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/worker.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    shims: true,
  },
  {
    // One worker entry, started by both the ESM and the CJS build: CommonJS with the core's worker
    // runtime inside, so that a worker starts without Node's ESM loader or a package lookup.
    entry: ['src/threads-worker.ts'],
    format: ['cjs'],
    noExternal: ['@mtl/core'],
    sourcemap: true,
    target: 'node20',
  },
]);
